import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DEFAULT_MAX_LEDGER_ROWS, LedgerReadError, parseCsv, readLedger } from './read';
import { parseDate } from './values';
import { markProblems } from './write';

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readError(p: Promise<unknown>): Promise<LedgerReadError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LedgerReadError) return e;
    throw e;
  }
  throw new Error('expected a LedgerReadError');
}

describe('readLedger: xlsx written by exceljs', () => {
  it('finds the header under a merged title banner and a two-level merged header, and numbers rows as the sheet does', async () => {
    const buffer = await xlsx((wb) => {
      const ws = wb.addWorksheet('台账');
      ws.addRow(['2025年招商引资项目台账']);
      ws.mergeCells('A1:G1');
      ws.addRow(['填报单位:宜昌市商务局']);
      ws.addRow(['序号', '项目名称', '投资主体', '所属县市区', '签约情况', null, '备注']);
      ws.addRow([null, null, null, null, '签约时间', '合同投资（万元）', null]);
      for (const col of ['A', 'B', 'C', 'D', 'G']) ws.mergeCells(`${col}3:${col}4`);
      ws.mergeCells('E3:F3');
      ws.addRow([1, '甲项目', '甲公司', '西陵区', new Date(Date.UTC(2025, 2, 1)), 1234.5, null]);
      ws.addRow([]);
      ws.addRow([null, '  ', null]);
      ws.addRow([2, '乙项目', '乙公司', '420506', 45717, { formula: 'F5*2', result: 2469 }, '备注文字']);
    });
    const sheet = await readLedger(buffer, '台账.xlsx');
    expect(sheet.sheets).toEqual(['台账']);
    expect(sheet.sheet).toBe('台账');
    expect(sheet.headerRow).toBe(4);
    expect(sheet.headers).toEqual([
      '序号',
      '项目名称',
      '投资主体',
      '所属县市区',
      '签约时间',
      '合同投资（万元）',
      '备注',
    ]);
    expect(sheet.rows.map((r) => r.rowNumber)).toEqual([5, 8]);
    expect(sheet.rows[0].cells).toEqual([
      1,
      '甲项目',
      '甲公司',
      '西陵区',
      new Date(Date.UTC(2025, 2, 1)),
      1234.5,
      null,
    ]);
    // A formula counts by its cached result.
    expect(sheet.rows[1].cells).toEqual([2, '乙项目', '乙公司', '420506', 45717, 2469, '备注文字']);
  });

  it('reads a cell merged down several rows as its value in each, rich text as its text, a formula error as blank', async () => {
    const buffer = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['项目名称', '投资方', '所属县市区', '合同编号']);
      ws.addRow([
        '甲',
        { richText: [{ text: '甲' }, { text: '公司', font: { bold: true } }] },
        '西陵区',
        'HT-1',
      ]);
      ws.addRow(['乙', '乙公司', null, { formula: 'NA()', result: { error: '#N/A' } }]);
      ws.mergeCells('C2:C3');
    });
    const sheet = await readLedger(buffer, 's.xlsx');
    expect(sheet.rows.map((r) => r.cells)).toEqual([
      ['甲', '甲公司', '西陵区', 'HT-1'],
      ['乙', '乙公司', '西陵区', null],
    ]);
  });

  it('reads the sheet named, else the first with data, and names every sheet', async () => {
    const buffer = await xlsx((wb) => {
      wb.addWorksheet('说明');
      wb.addWorksheet('2024').addRow(['项目名称', '投资方', '所属县市区']).commit();
      const ws = wb.getWorksheet('2024')!;
      ws.addRow(['旧项目', '旧公司', '西陵区']);
      const ws2 = wb.addWorksheet('2025');
      ws2.addRow(['项目名称', '投资方', '所属县市区']);
      ws2.addRow(['新项目', '新公司', '伍家岗区']);
    });
    const first = await readLedger(buffer, 'a.xlsx');
    expect(first.sheets).toEqual(['说明', '2024', '2025']);
    expect(first.sheet).toBe('2024');
    expect(first.rows[0].cells[0]).toBe('旧项目');
    const named = await readLedger(buffer, 'a.xlsx', { sheet: '2025' });
    expect(named.sheet).toBe('2025');
    expect(named.rows[0].cells[0]).toBe('新项目');
    const missing = await readError(readLedger(buffer, 'a.xlsx', { sheet: '2026' }));
    expect(missing.code).toBe('SHEET_NOT_FOUND');
    expect(missing.zh).toContain('2026');
  });

  it('names a column of a two-level header by the row above when its own cell is blank', async () => {
    const buffer = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['项目名称', '投资方', '签约情况', null, '标题外']);
      ws.addRow([null, null, '签约时间', '合同编号', null]);
      ws.addRow(['甲', '甲公司', '2025-01-01', 'HT', 'x']);
    });
    const sheet = await readLedger(buffer, 's.xlsx');
    expect(sheet.headerRow).toBe(2);
    // A column named by nothing is no column of the ledger.
    expect(sheet.headers).toEqual(['项目名称', '投资方', '签约时间', '合同编号']);
  });

  it('skips 合计 rows and section titles, and a hidden sheet unless it is named', async () => {
    const buffer = await xlsx((wb) => {
      const hidden = wb.addWorksheet('旧表', { state: 'hidden' });
      hidden.addRow(['项目名称', '投资方', '所属县市区']);
      hidden.addRow(['旧', '旧公司', '西陵区']);
      const ws = wb.addWorksheet('台账');
      ws.addRow(['序号', '项目名称', '投资方', '所属县市区', '计划总投资']);
      ws.addRow(['一、工业项目']);
      ws.addRow([1, '甲', '甲公司', '西陵区', 500]);
      ws.addRow(['（二）服务业项目']);
      ws.addRow([2, '一、二期综合体', '乙公司', '西陵区', 300]);
      ws.addRow(['合 计', null, null, null, { formula: 'SUM(E3:E5)', result: 800 }]);
      ws.addRow([null, '小计', null, null, 800]);
    });
    const sheet = await readLedger(buffer, 'a.xlsx');
    expect(sheet.sheet).toBe('台账');
    expect(sheet.rows.map((r) => [r.rowNumber, r.cells[1]])).toEqual([
      [3, '甲'],
      [5, '一、二期综合体'],
    ]);
    expect((await readLedger(buffer, 'a.xlsx', { sheet: '旧表' })).rows[0].cells[0]).toBe('旧');
  });

  it('names blank and repeated headers apart', async () => {
    const buffer = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['项目名称', null, '投资方', '所属县市区', '备注', '备注']);
      ws.addRow(['甲', 'x', '甲公司', '西陵区', 'a', 'b']);
    });
    const sheet = await readLedger(buffer, 's.xlsx');
    expect(sheet.headers).toEqual(['项目名称', 'B列', '投资方', '所属县市区', '备注', '备注#2']);
  });

  it('refuses a sheet without a header row, an empty workbook, a broken file and an .xls', async () => {
    const noHeader = await xlsx((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['a', 'b', 'c']);
      ws.addRow([1, 2, 3]);
    });
    expect((await readError(readLedger(noHeader, 's.xlsx'))).code).toBe('NO_HEADER_ROW');
    const empty = await xlsx((wb) => void wb.addWorksheet('S'));
    expect((await readError(readLedger(empty, 's.xlsx'))).code).toBe('NO_DATA');
    expect((await readError(readLedger(Buffer.from('PK\u0003\u0004garbage'), 's.xlsx'))).code).toBe(
      'UNREADABLE_FILE',
    );
    expect((await readError(readLedger(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), 's.xls'))).code).toBe(
      'UNSUPPORTED_FILE',
    );
  });

  it('caps the rows with a clear error', async () => {
    const header = '项目名称,投资方,所属县市区\n';
    const csv = header + Array.from({ length: 6 }, (_, i) => `项目${i},公司${i},西陵区`).join('\n');
    expect((await readLedger(Buffer.from(csv), 'a.csv', { maxRows: 6 })).rows).toHaveLength(6);
    const error = await readError(readLedger(Buffer.from(csv), 'a.csv', { maxRows: 5 }));
    expect(error.code).toBe('TOO_MANY_ROWS');
    expect(error.zh).toContain('5');
    expect(DEFAULT_MAX_LEDGER_ROWS).toBe(50_000);
  });
});

describe('readLedger: csv', () => {
  const text =
    '项目名称,投资方,所属县市区,备注\r\n' +
    '"甲项目,一期",甲公司,西陵区,"第一行\n第二行"\r\n' +
    '\r\n' +
    ',,,\r\n' +
    '乙项目,"乙""公司""",宜昌市伍家岗区,\r\n';

  it('reads UTF-8 with quoted commas, quotes and line breaks, blank records skipped', async () => {
    const sheet = await readLedger(Buffer.from(text, 'utf8'), '台账.csv');
    expect(sheet.sheets).toEqual([]);
    expect(sheet.sheet).toBeNull();
    expect(sheet.headerRow).toBe(1);
    expect(sheet.rows).toEqual([
      { rowNumber: 2, cells: ['甲项目,一期', '甲公司', '西陵区', '第一行\n第二行'] },
      { rowNumber: 5, cells: ['乙项目', '乙"公司"', '宜昌市伍家岗区', null] },
    ]);
  });

  it('reads UTF-8 with a BOM, and GBK, to the same rows', async () => {
    const utf8 = await readLedger(Buffer.from(text, 'utf8'), 'a.csv');
    const bom = await readLedger(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      'a.csv',
    );
    const gbkBytes = iconv.encode(text, 'gbk');
    // Not valid UTF-8: the reader must fall back.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbkBytes)).toThrow();
    const gbk = await readLedger(gbkBytes, 'a.csv');
    expect(bom).toEqual(utf8);
    expect(gbk).toEqual(utf8);
  });

  it("reads Excel's Unicode text (UTF-16 with a BOM, tab-separated) and semicolon-separated text", async () => {
    const utf8 = await readLedger(Buffer.from(text, 'utf8'), 'a.csv');
    const tabbed = text.replace(/,/g, '\t').replace('"甲项目\t一期"', '"甲项目,一期"');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tabbed, 'utf16le')]);
    expect(await readLedger(utf16, 'a.txt')).toEqual(utf8);
    const semicolons = text.replace(/,/g, ';').replace('"甲项目;一期"', '"甲项目,一期"');
    expect(await readLedger(Buffer.from(semicolons), 'a.csv')).toEqual(utf8);
  });

  it('parses records as RFC 4180 says', () => {
    expect(parseCsv('a,"b,c",d\n"e""f",,\n')).toEqual([
      ['a', 'b,c', 'd'],
      ['e"f', '', ''],
    ]);
    expect(parseCsv('x\r\ny')).toEqual([['x'], ['y']]);
  });
});

describe('readLedger: a workbook LibreOffice saved', () => {
  it('reads its numbers, dates and computed formulas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-lo-'));
    try {
      const csv =
        '项目名称,投资方,所属县市区,计划总投资（亿元）,签约时间,合同投资（万元）,合同编号\n' +
        '甲项目,甲公司,西陵区,1.1,2025-03-01,=1000+234.5,HT-1\n' +
        '乙项目,乙公司,宜昌市夷陵区,2,2025/3/2,500,HT-2\n';
      writeFileSync(join(dir, 'ledger.csv'), csv);
      execFileSync(
        'soffice',
        [
          `-env:UserInstallation=file://${join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          'xlsx',
          // CSV filter: comma, double quote, UTF-8 (76), from line 1, formulas evaluated.
          '--infilter=CSV:44,34,76,1,,,,,,,,-1',
          '--outdir',
          dir,
          join(dir, 'ledger.csv'),
        ],
        { timeout: 120_000, stdio: 'pipe' },
      );
      const sheet = await readLedger(readFileSync(join(dir, 'ledger.xlsx')), 'ledger.xlsx');
      expect(sheet.headers[3]).toBe('计划总投资（亿元）');
      expect(sheet.rows.map((r) => r.rowNumber)).toEqual([2, 3]);
      const [first, second] = sheet.rows.map((r) => r.cells);
      expect(first.slice(0, 4)).toEqual(['甲项目', '甲公司', '西陵区', 1.1]);
      expect(first[4]).toEqual(new Date(Date.UTC(2025, 2, 1)));
      expect(first[5]).toBe(1234.5);
      expect(first[6]).toBe('HT-1');
      // LibreOffice keeps 2025/3/2 as text or makes it a date, by its locale: either reads as the day.
      expect(parseDate(second[4])).toBe('2025-03-02');
      // Its bad cells can be marked in the workbook as LibreOffice wrote it.
      const marked = await markProblems(readFileSync(join(dir, 'ledger.xlsx')), 'ledger.xlsx', sheet.sheet, [
        {
          row: 3,
          column: '合同编号',
          key: 'contractNumber',
          value: 'HT-2',
          rule: 'X',
          message: '重复的合同编号',
        },
      ]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(marked as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      expect((ws.getCell('G3').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
      expect(ws.getCell('H3').value).toBe('合同编号:重复的合同编号');
      expect(ws.getCell('F2').value).toMatchObject({ result: 1234.5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
