// Reading a bureau's 台账: an .xlsx (any sheet) or a .csv in UTF-8 or GBK, to its header and rows.
import ExcelJS from 'exceljs';
import { assertWorkbookBounded, MAX_WORKBOOK_INFLATED_BYTES, WorkbookBoundsError } from './zip-bounds';
import { columnForHeader } from './columns';
import { isBlank, type LedgerCell } from './values';

export interface LedgerRowCells {
  /** The row's number as the sheet shows it (1-based, counting the rows above the header). */
  rowNumber: number;
  /** One cell per header, in the headers' order. */
  cells: LedgerCell[];
}

export interface LedgerSheet {
  /** Every sheet of the workbook (a csv has none). */
  sheets: string[];
  /** The sheet read, or null for a csv. */
  sheet: string | null;
  /** The row number of the header row. */
  headerRow: number;
  /** The headers as the file writes them, made unique ("备注", "备注#2"); blank ones named by column. */
  headers: string[];
  rows: LedgerRowCells[];
}

export type LedgerReadErrorCode =
  | 'UNSUPPORTED_FILE'
  | 'UNREADABLE_FILE'
  | 'TOO_LARGE'
  | 'SHEET_NOT_FOUND'
  | 'NO_DATA'
  | 'NO_HEADER_ROW'
  | 'TOO_MANY_ROWS';

/** A file that cannot be read as a ledger: the caller answers 4xx with the message. */
export class LedgerReadError extends Error {
  constructor(
    readonly code: LedgerReadErrorCode,
    readonly zh: string,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerReadError';
  }
}

export interface ReadLedgerOptions {
  /** The sheet to read; default the first with data. */
  sheet?: string;
  /** Rows beyond this are refused (default DEFAULT_MAX_LEDGER_ROWS). */
  maxRows?: number;
}

export const DEFAULT_MAX_LEDGER_ROWS = 50_000;
/** The header row is looked for among the first rows (a title banner, a note, a two-level header). */
const HEADER_SEARCH_ROWS = 30;
/** A row is the header when at least this many of its cells name known columns. */
const MIN_HEADER_MATCHES = 3;

export type LedgerFileKind = 'xlsx' | 'csv';

export function ledgerFileKind(fileName: string, buffer?: Buffer): LedgerFileKind | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  // A zip (xlsx) named otherwise.
  if (buffer && buffer.length > 4 && buffer.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  return null;
}

/** A cell's value as exceljs holds it, to what a reader sees: formulas by their cached result. */
export function excelCellValue(value: ExcelJS.CellValue): LedgerCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText))
      return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null) return null;
      if (typeof result === 'object' && !(result instanceof Date)) return null; // an error value (#N/A)
      return result as LedgerCell;
    }
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('hyperlink' in value) return String((value as { hyperlink: string }).hyperlink);
    if ('error' in value) return null;
  }
  return null;
}

function textOf(cell: LedgerCell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

/** Raw rows of a sheet, every row a sparse array of cells by column (0-based), with its number. */
interface RawRow {
  rowNumber: number;
  cells: LedgerCell[];
}

function headerScore(cells: LedgerCell[]): number {
  let n = 0;
  const seen = new Set<string>();
  for (const c of cells) {
    const key = typeof c === 'string' ? columnForHeader(c) : null;
    if (key && !seen.has(key)) {
      seen.add(key);
      n++;
    }
  }
  return n;
}

function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Where the header row is and each column's index, shared by the reader and markProblems. */
export interface HeaderLayout {
  headerIndex: number;
  headerRow: number;
  headers: string[];
  /** Column index (0-based) of each header. */
  columns: number[];
}

/**
 * A row's cells as a header: under a two-level header, a blank cell takes the name of the cell right
 * above it when that names a column (项目名称 over a blank, beside 签约情况 over 签约时间 | 合同编号).
 */
function headerCellsAt(raw: RawRow[], i: number): LedgerCell[] {
  const cells = raw[i].cells;
  if (i === 0 || raw[i - 1].rowNumber !== raw[i].rowNumber - 1) return cells;
  const above = raw[i - 1].cells;
  const out = cells.slice();
  for (let col = 0; col < above.length; col++) {
    const a = above[col];
    if (isBlank(out[col] ?? null) && typeof a === 'string' && columnForHeader(a)) out[col] = a;
  }
  return out;
}

export function findHeader(raw: RawRow[]): HeaderLayout {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(raw.length, HEADER_SEARCH_ROWS); i++) {
    const score = headerScore(headerCellsAt(raw, i));
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  if (best < 0 || bestScore < MIN_HEADER_MATCHES) {
    throw new LedgerReadError(
      'NO_HEADER_ROW',
      `前${HEADER_SEARCH_ROWS}行中找不到表头(至少${MIN_HEADER_MATCHES}列应为已知列名,如项目名称、投资方、所属县市区)`,
      'no header row: no row among the first rows names enough known columns',
    );
  }
  const headerCells = headerCellsAt(raw, best);
  const headers: string[] = [];
  const columns: number[] = [];
  const used = new Map<string, number>();
  let last = headerCells.length - 1;
  while (last >= 0 && isBlank(headerCells[last] ?? null)) last--;
  for (let col = 0; col <= last; col++) {
    let h = textOf(headerCells[col] ?? null).replace(/\s+/g, ' ');
    if (h === '') h = `${columnLetter(col)}列`;
    const count = (used.get(h) ?? 0) + 1;
    used.set(h, count);
    headers.push(count === 1 ? h : `${h}#${count}`);
    columns.push(col);
  }
  return { headerIndex: best, headerRow: raw[best].rowNumber, headers, columns };
}

const TOTAL_WORDS = new Set(['合计', '总计', '小计', '累计', '共计']);
/** "一、工业项目", "（二）西陵区", "第一部分": a section's title row. */
const SECTION_TITLE =
  /^(?:[一二三四五六七八九十百]+[、.]|[((][一二三四五六七八九十]+[))]|第[一二三四五六七八九十]+[部分类批]).*$/;

/**
 * A 合计 row (its first filled cell says so) or a section title alone on its row: the ledger's own
 * furniture, not a project.
 */
function isTotalOrSectionRow(cells: LedgerCell[]): boolean {
  const filled = cells.filter((c) => !isBlank(c));
  const first = filled[0];
  if (typeof first !== 'string') return false;
  const text = first.normalize('NFKC').replace(/\s+/g, '');
  if (TOTAL_WORDS.has(text)) return true;
  return filled.length === 1 && SECTION_TITLE.test(text);
}

function toSheet(raw: RawRow[], sheets: string[], sheet: string | null, maxRows: number): LedgerSheet {
  if (raw.length === 0) throw new LedgerReadError('NO_DATA', '文件中没有数据', 'the file holds no data');
  const layout = findHeader(raw);
  const rows: LedgerRowCells[] = [];
  for (let i = layout.headerIndex + 1; i < raw.length; i++) {
    const r = raw[i];
    const cells = layout.columns.map((c) => r.cells[c] ?? null);
    if (cells.every(isBlank) || isTotalOrSectionRow(cells)) continue;
    if (rows.length >= maxRows) {
      throw new LedgerReadError(
        'TOO_MANY_ROWS',
        `数据行超过上限 ${maxRows} 行,请拆分文件后分批导入`,
        `more than ${maxRows} data rows`,
      );
    }
    rows.push({ rowNumber: r.rowNumber, cells });
  }
  return { sheets, sheet, headerRow: layout.headerRow, headers: layout.headers, rows };
}

const unreadableWorkbook = (why: string) =>
  new LedgerReadError(
    'UNREADABLE_FILE',
    '无法读取该 Excel 文件(应为 .xlsx 格式)',
    `the workbook cannot be read: ${why}`,
  );

export async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    assertWorkbookBounded(buffer);
  } catch (e) {
    if (!(e instanceof WorkbookBoundsError)) throw e;
    if (e.reason === 'malformed') throw unreadableWorkbook(e.message);
    throw new LedgerReadError(
      'TOO_LARGE',
      `工作簿解压后超过 ${MAX_WORKBOOK_INFLATED_BYTES / 1024 / 1024} MB,请拆分文件后分批导入`,
      `the workbook ${e.message} (${MAX_WORKBOOK_INFLATED_BYTES} bytes)`,
    );
  }
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (e) {
    throw unreadableWorkbook((e as Error).message);
  }
  return workbook;
}

/** A worksheet's rows, merged cells reading as their top-left cell (exceljs gives slaves the master's value). */
export function worksheetRows(ws: ExcelJS.Worksheet): RawRow[] {
  const raw: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: LedgerCell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col - 1] = excelCellValue(cell.value);
    });
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
    raw.push({ rowNumber: row.number, cells });
  });
  return raw;
}

export function pickWorksheet(workbook: ExcelJS.Workbook, sheet: string | undefined): ExcelJS.Worksheet {
  if (sheet !== undefined) {
    const ws = workbook.worksheets.find((w) => w.name === sheet);
    if (!ws) {
      throw new LedgerReadError(
        'SHEET_NOT_FOUND',
        `工作簿中没有名为"${sheet}"的工作表`,
        `no sheet named ${sheet}`,
      );
    }
    return ws;
  }
  // A hidden sheet is seldom the one meant; it is read when named.
  const ws =
    workbook.worksheets.find((w) => w.actualRowCount > 0 && w.state === 'visible') ??
    workbook.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) throw new LedgerReadError('NO_DATA', '工作簿中没有数据', 'the workbook holds no data');
  return ws;
}

/** Bytes of a csv to text: UTF-8 (with or without BOM), UTF-16 with its BOM, else GBK. */
export function decodeCsv(buffer: Buffer): string {
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(buffer.subarray(3));
  }
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(buffer.subarray(2));
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(buffer.subarray(2));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('gbk').decode(buffer);
  }
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
/**
 * The field separator of a delimited text: a comma, else what Excel's other exports use (a tab in
 * "Unicode text", a semicolon in some locales), by which of them the first line holds most of.
 */
export function csvDelimiter(text: string): string {
  const firstLine =
    text
      .slice(0, 4096)
      .split(/\r?\n/)
      .find((l) => l.trim() !== '') ?? '';
  const count = (d: string) => firstLine.split(d).length - 1;
  const commas = count(',');
  const tabs = count('\t');
  const semicolons = count(';');
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

export function parseCsv(text: string, delimiter = ','): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function csvRows(buffer: Buffer): RawRow[] {
  return csvRecords(buffer).map((fields, i) => ({
    rowNumber: i + 1,
    cells: fields.map((f) => (f.trim() === '' ? null : f)),
  }));
}

/** The rows of a csv as a worksheet would hold them (for markProblems, which answers an xlsx). */
export function csvRecords(buffer: Buffer): string[][] {
  const text = decodeCsv(buffer);
  return parseCsv(text, csvDelimiter(text));
}

export async function readLedger(
  buffer: Buffer,
  fileName: string,
  options: ReadLedgerOptions = {},
): Promise<LedgerSheet> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_LEDGER_ROWS;
  const kind = ledgerFileKind(fileName, buffer);
  if (kind === 'csv') return toSheet(csvRows(buffer), [], null, maxRows);
  if (kind !== 'xlsx') {
    throw new LedgerReadError(
      'UNSUPPORTED_FILE',
      '只支持 .xlsx 和 .csv 文件(.xls 请先另存为 .xlsx)',
      'only .xlsx and .csv files are read',
    );
  }
  const workbook = await loadWorkbook(buffer);
  const ws = pickWorksheet(workbook, options.sheet);
  return toSheet(
    worksheetRows(ws),
    workbook.worksheets.map((w) => w.name),
    ws.name,
    maxRows,
  );
}
