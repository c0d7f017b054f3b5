// Writing the 台账: the canonical layout (what readLedger reads back to the same histories), a project's
// row from its state, and an uploaded sheet back with its bad cells marked.
import ExcelJS from 'exceljs';
import {
  INVESTOR_FLAG_LABELS,
  INVESTOR_TYPE_LABELS,
  PRODUCTION_SCOPE_LABELS,
  STAGE_LABELS,
  toWanYuan,
  type ProjectState,
} from '@app/domain';
import { LEDGER_COLUMNS, type LedgerColumn, type LedgerColumnKey } from './columns';
import type { CellProblem } from './history';
import { csvRecords, findHeader, ledgerFileKind, loadWorkbook, pickWorksheet, worksheetRows } from './read';
import { regionLabel } from './regions';

/**
 * One project as the ledger shows it: amounts as exact yuan strings, dates as YYYY-MM-DD, months as
 * YYYY-MM, 是否工业项目 as a boolean, everything else as the text people read (region and labels by name).
 */
export type LedgerRow = { [K in LedgerColumnKey]?: string | boolean | null };

/** Names the state holds only as ids: the people directory, by id. */
export interface LedgerNames {
  people?: Record<string, string> | ((id: string) => string | null | undefined);
}

function personName(names: LedgerNames | undefined, id: string | null): string | null {
  if (!id) return null;
  const p = names?.people;
  const name = typeof p === 'function' ? p(id) : p?.[id];
  return name ?? id;
}

/** A project's row, from its state as the read model stores it. */
export function ledgerRowFromState(state: ProjectState, names?: LedgerNames): LedgerRow {
  const site = state.site;
  const evidence = state.constructionEvidence;
  const months = (state.fundsArrived ?? []).map((f) => f.month).sort();
  const funds =
    state.fundsArrivedTotal && state.fundsArrivedTotal !== '0.00' ? state.fundsArrivedTotal : null;
  return {
    name: state.name,
    investorName: state.investor?.name ?? null,
    investorType: state.investor ? (INVESTOR_TYPE_LABELS[state.investor.type] ?? null) : null,
    investorFlags: state.investor?.flags.length
      ? state.investor.flags.map((f) => INVESTOR_FLAG_LABELS[f]).join('、')
      : null,
    region: state.region ? (regionLabel(state.region) ?? state.region) : null,
    park: state.park,
    industryChain: state.industryChain,
    industrial: state.industrial,
    plannedInvestment: state.plannedInvestment,
    source: state.source,
    leadDate: state.leadDate,
    talksDate: state.talksDate,
    leadingOfficial: state.leadingOfficial,
    contractDate: state.signedDate,
    contractInvestment: state.contractInvestment,
    contractNumber: state.contractNumber,
    creditCode: state.creditCode,
    companyName: state.companyName,
    landedDate: state.landedDate,
    parcelNumber: site?.kind === 'land_parcel' ? site.parcelNumber : null,
    leaseContractNumber: site?.kind === 'lease' ? site.leaseContractNumber : null,
    startDate: state.startedDate,
    permitNumber: evidence?.kind === 'construction_permit' ? evidence.permitNumber : null,
    constructionEvidence: evidence?.kind === 'other' ? evidence.description : null,
    inStatsDate: state.inStatsDate,
    statisticsCode: state.statisticsCode,
    productionDate: state.productionDate,
    productionScope: state.productionScope ? PRODUCTION_SCOPE_LABELS[state.productionScope] : null,
    fundsArrived: funds,
    fundsMonth: funds ? (months[months.length - 1] ?? null) : null,
    status: state.stage ? STAGE_LABELS[state.stage] : null,
    droppedDate: state.stage === 'dropped' ? state.droppedDate : null,
    dropReason: state.stage === 'dropped' ? state.dropReason : null,
    serviceOfficer: personName(names, state.serviceOfficerId),
    note: null,
  };
}

/** The header the export writes: amounts name their unit, 万元. */
export function canonicalHeader(column: LedgerColumn): string {
  return column.kind === 'amount' ? `${column.header}（万元）` : column.header;
}

const AMOUNT_FORMAT = '#,##0.00####';
const DATE_FORMAT = 'yyyy-mm-dd';

/** The canonical layout's columns: headers, widths and the amount and date formats (the streaming export's too). */
export function ledgerSheetColumns(): Partial<ExcelJS.Column>[] {
  return LEDGER_COLUMNS.map((c) => ({
    header: canonicalHeader(c),
    key: c.key,
    width:
      c.kind === 'date'
        ? 12
        : c.kind === 'amount'
          ? 14
          : c.key === 'name' || c.key === 'investorName'
            ? 28
            : 14,
    style:
      c.kind === 'amount'
        ? { numFmt: AMOUNT_FORMAT }
        : c.kind === 'date'
          ? { numFmt: DATE_FORMAT }
          : undefined,
  }));
}

/** A row's cells in the canonical layout's order. */
export function ledgerCells(row: LedgerRow): ExcelJS.CellValue[] {
  return LEDGER_COLUMNS.map((c) => excelValue(c, row[c.key]));
}

function excelValue(column: LedgerColumn, value: string | boolean | null | undefined): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (column.kind === 'amount') {
    // Six decimals of 万元 are exact to the fen; a double holds them exactly for any real amount.
    return Number(toWanYuan(value, 6));
  }
  if (column.kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  return value;
}

export interface WriteLedgerOptions {
  sheetName?: string;
}

/** The 台账 in the canonical layout: the header in row 1, one row per project. */
export async function writeLedger(rows: LedgerRow[], options: WriteLedgerOptions = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet(options.sheetName ?? '项目台账', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  ws.columns = ledgerSheetColumns();
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(ledgerCells(row));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The column of the marks' explanations. */
export const PROBLEMS_HEADER = '错误说明';

const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };

/**
 * The uploaded sheet back with each bad cell filled red and commented with its rule's message, and a
 * 错误说明 column telling every problem of the row (those of columns the file lacks too). A csv comes
 * back as an xlsx of its rows.
 */
export async function markProblems(
  buffer: Buffer,
  fileName: string,
  sheet: string | null,
  problems: CellProblem[],
): Promise<Buffer> {
  let workbook: ExcelJS.Workbook;
  let ws: ExcelJS.Worksheet;
  if (ledgerFileKind(fileName, buffer) === 'csv') {
    workbook = new ExcelJS.Workbook();
    ws = workbook.addWorksheet(sheet ?? 'Sheet1');
    csvRecords(buffer).forEach((fields, i) => {
      const row = ws.getRow(i + 1);
      fields.forEach((f, j) => {
        if (f !== '') row.getCell(j + 1).value = f;
      });
    });
  } else {
    workbook = await loadWorkbook(buffer);
    ws = pickWorksheet(workbook, sheet ?? undefined);
  }
  const layout = findHeader(worksheetRows(ws));
  const columnOf = new Map<string, number>();
  layout.headers.forEach((h, i) => columnOf.set(h, layout.columns[i] + 1));
  const problemsColumn =
    columnOf.get(PROBLEMS_HEADER) ?? Math.max(ws.columnCount, ...layout.columns.map((c) => c + 1)) + 1;
  const header = ws.getCell(layout.headerRow, problemsColumn);
  header.value = PROBLEMS_HEADER;
  header.font = { bold: true, color: { argb: 'FFC00000' } };
  ws.getColumn(problemsColumn).width = 60;

  const byRow = new Map<number, CellProblem[]>();
  for (const p of problems) byRow.set(p.row, [...(byRow.get(p.row) ?? []), p]);
  for (const [rowNumber, rowProblems] of byRow) {
    const byColumn = new Map<number, string[]>();
    for (const p of rowProblems) {
      const col = columnOf.get(p.column);
      if (col === undefined || col === problemsColumn) continue;
      byColumn.set(col, [...(byColumn.get(col) ?? []), p.message]);
    }
    for (const [col, messages] of byColumn) {
      const cell = ws.getCell(rowNumber, col);
      cell.fill = BAD_FILL;
      cell.note = messages.join('\n');
    }
    const explanation = ws.getCell(rowNumber, problemsColumn);
    explanation.value = rowProblems.map((p) => (p.column ? `${p.column}:${p.message}` : p.message)).join(';');
    explanation.alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
