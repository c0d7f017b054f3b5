import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {
  chinaCalendar,
  creditCodeCheckCharacter,
  decide,
  DEFAULT_POLICY,
  foldEvents,
  initialState,
  type HistoryStep,
  type ProjectState,
  type RegisterLeadData,
} from '@app/domain';
import { LEDGER_COLUMNS, matchColumns } from './columns';
import { rowToHistory, type CellProblem } from './history';
import { readLedger } from './read';
import { canonicalHeader, ledgerRowFromState, markProblems, PROBLEMS_HEADER, writeLedger } from './write';

const TODAY = '2026-12-01';
const CREDIT_BASE = '91420500MA4F00000';
const CREDIT_CODE = CREDIT_BASE + creditCodeCheckCharacter(CREDIT_BASE)!;

const producing: ProjectState = {
  ...initialState,
  exists: true,
  projectId: 'p-1',
  stage: 'producing',
  name: '宜昌生物医药产业园',
  investor: { name: '某某药业集团有限公司', type: 'private', flags: ['china_top_500', 'listed'] },
  industryChain: '生物医药',
  region: '420502',
  park: '宜昌高新区',
  industrial: true,
  plannedInvestment: '123456789.01',
  source: '以商招商',
  leadDate: '2024-01-05',
  talksDate: '2024-02-01',
  signedDate: '2024-03-01',
  contractInvestment: '120005000.00',
  contractNumber: 'YC-2024-001',
  creditCode: CREDIT_CODE,
  companyName: '宜昌某某药业有限公司',
  landedDate: '2024-04-01',
  site: { kind: 'land_parcel', parcelNumber: 'ZD-01' },
  startedDate: '2024-05-06',
  constructionEvidence: { kind: 'construction_permit', permitNumber: 'SG-123' },
  inStatsDate: '2024-07-01',
  statisticsCode: 'TJ-9',
  productionDate: '2025-01-10',
  productionScope: 'partial',
  fundsArrivedTotal: '30000000.07',
  fundsArrived: [
    { version: 9, month: '2024-12', amount: '10000000.00' },
    { version: 11, month: '2025-01', amount: '20000000.07' },
  ],
  serviceOfficerId: 'officer-1',
};

const dropped: ProjectState = {
  ...initialState,
  exists: true,
  projectId: 'p-2',
  stage: 'dropped',
  stageBeforeDrop: 'signed',
  name: '北京市朝阳区项目',
  investor: { name: '央企甲', type: 'central_soe', flags: [] },
  industryChain: '新材料',
  region: '110105',
  industrial: false,
  plannedInvestment: '0.01',
  source: '展会',
  leadDate: '2023-01-01',
  signedDate: '2023-02-01',
  contractInvestment: '99999999999.99',
  contractNumber: 'BJ-1',
  droppedDate: '2023-06-30',
  dropReason: '企业战略调整',
};

const lead: ProjectState = {
  ...initialState,
  exists: true,
  projectId: 'p-3',
  stage: 'lead',
  name: '线索项目',
  investor: { name: '港资乙', type: 'hk_macao_taiwan', flags: ['fortune_global_500'] },
  industryChain: '电子信息',
  region: '429004',
  industrial: true,
  plannedInvestment: '5000000.00',
  source: '驻外招商',
  leadDate: '2026-11-30',
};

async function readBack(buffer: Buffer) {
  const sheet = await readLedger(buffer, '台账.xlsx');
  const mapping = matchColumns(sheet.headers);
  return {
    sheet,
    histories: sheet.rows.map((row) =>
      rowToHistory(row, sheet.headers, mapping, {
        projectId: 'p',
        today: TODAY,
        // The directory knows a person by name or by id.
        people: (v) => (v === '张三' || v === 'officer-1' ? 'officer-1' : null),
      }),
    ),
  };
}

describe('writeLedger and ledgerRowFromState', () => {
  it('writes the canonical layout: every column, amounts in 万元 as exact numbers, dates as real dates', async () => {
    const buffer = await writeLedger([ledgerRowFromState(producing, { people: { 'officer-1': '张三' } })]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('项目台账');
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(LEDGER_COLUMNS.map(canonicalHeader));
    const cell = (key: string) => ws.getCell(2, LEDGER_COLUMNS.findIndex((c) => c.key === key) + 1);
    expect(cell('plannedInvestment').value).toBe(12345.678901);
    expect(cell('plannedInvestment').numFmt).toBe('#,##0.00####');
    expect(cell('contractDate').value).toEqual(new Date(Date.UTC(2024, 2, 1)));
    expect(cell('contractDate').numFmt).toBe('yyyy-mm-dd');
    expect(cell('industrial').value).toBe('是');
    expect(cell('region').value).toBe('西陵区');
    expect(cell('investorType').value).toBe('民营');
    expect(cell('investorFlags').value).toBe('中国500强、上市公司');
    expect(cell('status').value).toBe('投产');
    expect(cell('productionScope').value).toBe('部分投产');
    expect(cell('serviceOfficer').value).toBe('张三');
    expect(cell('fundsMonth').value).toBe('2025-01');
  });

  it('reads back to the histories the states hold (round trip)', async () => {
    const rows = [producing, dropped, lead].map((s) =>
      ledgerRowFromState(s, { people: { 'officer-1': '张三' } }),
    );
    const { histories } = await readBack(await writeLedger(rows));
    const [a, b, c] = histories.map((h) => {
      if (!h.ok) throw new Error(JSON.stringify(h.problems));
      return h;
    });
    expect(a.lead).toEqual({
      projectId: 'p',
      name: '宜昌生物医药产业园',
      investor: { name: '某某药业集团有限公司', type: 'private', flags: ['china_top_500', 'listed'] },
      industryChain: '生物医药',
      region: '420502',
      park: '宜昌高新区',
      industrial: true,
      plannedInvestment: '123456789.01',
      source: '以商招商',
      leadDate: '2024-01-05',
      serviceOfficerId: 'officer-1',
    } satisfies RegisterLeadData);
    expect(a.steps).toEqual([
      { type: 'StartTalks', data: { talksDate: '2024-02-01' } },
      {
        type: 'Sign',
        data: {
          contractDate: '2024-03-01',
          contractInvestment: '120005000.00',
          contractNumber: 'YC-2024-001',
        },
      },
      {
        type: 'Land',
        data: {
          creditCode: CREDIT_CODE,
          companyName: '宜昌某某药业有限公司',
          landedDate: '2024-04-01',
          site: { kind: 'land_parcel', parcelNumber: 'ZD-01' },
        },
      },
      {
        type: 'StartConstruction',
        data: { startDate: '2024-05-06', evidence: { kind: 'construction_permit', permitNumber: 'SG-123' } },
      },
      { type: 'EnterStatistics', data: { statisticsCode: 'TJ-9', inStatsDate: '2024-07-01' } },
      { type: 'StartProduction', data: { productionDate: '2025-01-10', scope: 'partial' } },
      { type: 'RecordFundsArrived', data: { month: '2025-01', amount: '30000000.07' } },
    ] satisfies HistoryStep[]);
    expect(b.lead).toMatchObject({
      region: '110105',
      plannedInvestment: '0.01',
      industrial: false,
      investor: { type: 'central_soe', flags: [] },
    });
    expect(b.steps).toEqual([
      {
        type: 'Sign',
        data: { contractDate: '2023-02-01', contractInvestment: '99999999999.99', contractNumber: 'BJ-1' },
      },
      { type: 'Drop', data: { reason: '企业战略调整', droppedDate: '2023-06-30' } },
    ]);
    expect(c.lead).toMatchObject({
      region: '429004',
      investor: { type: 'hk_macao_taiwan', flags: ['fortune_global_500'] },
    });
    expect(c.steps).toEqual([]);
    // Written twice, the same rows hash the same.
    const again = await readBack(await writeLedger(rows));
    expect(again.histories).toEqual(histories);
  });

  it('round-trips a history the domain recorded: imported, folded, exported, read again to the same lead and steps', async () => {
    const sheet = await readLedger(await writeLedger([ledgerRowFromState(producing)]), 'a.xlsx');
    const mapping = matchColumns(sheet.headers);
    const first = rowToHistory(sheet.rows[0], sheet.headers, mapping, { projectId: 'p-9', today: TODAY });
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    const { serviceOfficerId: _officer, ...leadData } = first.lead;
    const decision = decide(
      {
        type: 'RecordHistory',
        data: {
          lead: leadData,
          steps: first.steps,
          source: {
            importId: 'i',
            fileName: 'a.xlsx',
            fileSha256: 'x',
            sheet: sheet.sheet,
            row: 2,
            key: first.key,
            rowHash: first.rowHash,
          },
        },
      },
      initialState,
      {
        actor: { id: 'officer-1', role: 'officer', regions: ['420500'] },
        now: `${TODAY}T02:00:00.000Z`,
        deadlineRules: { policy: DEFAULT_POLICY, calendar: chinaCalendar },
      },
    );
    if (decision.outcome !== 'accepted') throw new Error(JSON.stringify(decision.refusal));
    const state = foldEvents(decision.events);
    const again = await readBack(await writeLedger([ledgerRowFromState(state)]));
    const h = again.histories[0];
    if (!h.ok) throw new Error(JSON.stringify(h.problems));
    // The officer who imported it serves it.
    expect(h.lead).toEqual({ ...leadData, projectId: 'p', serviceOfficerId: 'officer-1' });
    expect(h.steps).toEqual(first.steps);
    expect(h.key).toBe(first.key);
  });
});

describe('markProblems', () => {
  const problems: CellProblem[] = [
    {
      row: 4,
      column: '计划总投资（万元）',
      key: 'plannedInvestment',
      value: 'abc',
      rule: 'INVALID_AMOUNT',
      message: '「abc」不是金额数字',
    },
    {
      row: 4,
      column: '所属县市区',
      key: 'region',
      value: '火星',
      rule: 'UNKNOWN_REGION',
      message: '「火星」不是已知的行政区划',
    },
    { row: 5, column: '合同编号', key: 'contractNumber', value: '', rule: 'REQUIRED', message: '缺少必填项' },
    { row: 5, column: '', key: null, value: '', rule: 'PROJECT_DROPPED', message: '项目已终止' },
  ];

  it('fills the bad cells of the uploaded sheet, notes their messages, and explains each row in 错误说明', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['本表说明']);
    const ws = wb.addWorksheet('2025');
    ws.addRow(['2025年招商引资项目台账']);
    ws.mergeCells('A1:D1');
    ws.addRow([]);
    ws.addRow(['项目名称', '投资方', '所属县市区', '计划总投资（万元）']);
    ws.addRow(['甲', '甲公司', '火星', 'abc']);
    ws.addRow(['乙', '乙公司', '西陵区', 500]);
    const upload = Buffer.from(await wb.xlsx.writeBuffer());
    const marked = await markProblems(upload, '台账.xlsx', '2025', problems);

    const out = new ExcelJS.Workbook();
    await out.xlsx.load(marked as unknown as ArrayBuffer);
    expect(out.worksheets.map((w) => w.name)).toEqual(['说明', '2025']);
    const sheet = out.getWorksheet('2025')!;
    expect(sheet.getCell('A1').value).toBe('2025年招商引资项目台账');
    expect(sheet.getCell('E3').value).toBe(PROBLEMS_HEADER);
    const bad = sheet.getCell('D4');
    expect(bad.value).toBe('abc');
    expect((bad.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(JSON.stringify(bad.note)).toContain('不是金额数字');
    expect((sheet.getCell('C4').fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).toBe('FFFFC7CE');
    expect(sheet.getCell('A4').fill?.type).toBeUndefined();
    expect(sheet.getCell('E4').value).toBe(
      '计划总投资（万元）:「abc」不是金额数字;所属县市区:「火星」不是已知的行政区划',
    );
    // A column the file lacks and a problem of the whole row are told in 错误说明 only.
    expect(sheet.getCell('E5').value).toBe('合同编号:缺少必填项;项目已终止');
    expect(sheet.getCell('E6').value).toBeNull();
    // The marked file reads as the same ledger, with its explanations beside.
    const reread = await readLedger(marked, 'marked.xlsx', { sheet: '2025' });
    expect(reread.headers).toEqual([
      '项目名称',
      '投资方',
      '所属县市区',
      '计划总投资（万元）',
      PROBLEMS_HEADER,
    ]);
    // Marking the marked file again reuses its 错误说明 column.
    const twice = new ExcelJS.Workbook();
    await twice.xlsx.load(
      (await markProblems(marked, 'marked.xlsx', '2025', problems.slice(0, 1))) as unknown as ArrayBuffer,
    );
    expect(twice.getWorksheet('2025')!.getCell('E4').value).toBe('计划总投资（万元）:「abc」不是金额数字');
    expect(twice.getWorksheet('2025')!.getCell('F3').value).toBeNull();
  });

  it('answers a GBK csv as an xlsx of its rows, marked', async () => {
    const csv =
      '项目名称,投资方,所属县市区,计划总投资（万元）\r\n占位,占位,西陵区,1\r\n空,空,西陵区,1\r\n甲,甲公司,火星,abc\r\n';
    const marked = await markProblems(iconv.encode(csv, 'gbk'), '台账.csv', null, problems.slice(0, 2));
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(marked as unknown as ArrayBuffer);
    const ws = out.worksheets[0];
    expect(ws.getCell('A1').value).toBe('项目名称');
    expect(ws.getCell('C4').value).toBe('火星');
    expect((ws.getCell('D4').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(ws.getCell('E1').value).toBe(PROBLEMS_HEADER);
    expect(ws.getCell('E4').value as string).toContain('不是已知的行政区划');
  });
});
