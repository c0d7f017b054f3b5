import {
  chinaCalendar,
  creditCodeCheckCharacter,
  decide,
  DEFAULT_POLICY,
  foldEvents,
  initialState,
  refusal,
  type HistoryStep,
  type RegisterLeadData,
} from '@app/domain';
import { matchColumns } from './columns';
import { ledgerKey, problemsFromRefusal, rowToHistory, type CellProblem, type RowHistory } from './history';
import type { LedgerCell } from './values';

const TODAY = '2026-12-01';
const CREDIT_BASE = '91420500MA4F00000';
const CREDIT_CODE = CREDIT_BASE + creditCodeCheckCharacter(CREDIT_BASE)!;

/** A one-row sheet: header → cell. */
function parse(
  cells: Record<string, LedgerCell>,
  options: { people?: (v: string) => string | null; today?: string; projectId?: string } = {},
): RowHistory {
  const headers = Object.keys(cells);
  return rowToHistory({ rowNumber: 7, cells: headers.map((h) => cells[h]) }, headers, matchColumns(headers), {
    projectId: options.projectId ?? 'p-1',
    today: options.today ?? TODAY,
    people: options.people,
  });
}

function ok(result: RowHistory): Extract<RowHistory, { ok: true }> {
  if (!result.ok) throw new Error(`problems: ${JSON.stringify(result.problems)}`);
  return result;
}

function problems(result: RowHistory): CellProblem[] {
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const BASE = {
  项目名称: '宜昌生物医药产业园',
  投资方: '某某药业集团有限公司',
  投资方类型: '民营',
  所属县市区: '西陵区',
  产业链: '生物医药',
  是否工业项目: '是',
  '计划总投资（亿元）': 1.1,
  线索来源: '以商招商',
  线索时间: '2024-01-05',
};

describe('rowToHistory', () => {
  it('makes a whole row into the lead and each stage as a dated step, amounts exact in their unit', () => {
    const result = ok(
      parse(
        {
          ...BASE,
          投资方标签: '中国500强、上市公司',
          园区: '宜昌高新区',
          在谈时间: '2024/2/1',
          签约时间: new Date(Date.UTC(2024, 2, 1)),
          '合同投资（万元）': 12000.5,
          合同编号: 'YC-2024-001',
          统一社会信用代码: CREDIT_CODE.toLowerCase(),
          项目公司: '宜昌某某药业有限公司',
          落地时间: '2024.4.1',
          宗地编号: 'ZD-01',
          开工时间: '2024年5月6日',
          施工许可证号: 'SG-123',
          入统时间: 45474, // 2024-07-01
          项目统计代码: 'TJ-9',
          投产时间: '2025-01-10',
          投产情况: '部分投产',
          '到位资金（万元）': '3,000',
          服务专员: '张三',
          备注: '重点项目',
        },
        { people: (v) => (v === '张三' ? 'officer-1' : null) },
      ),
    );
    expect(result.lead).toEqual({
      projectId: 'p-1',
      name: '宜昌生物医药产业园',
      investor: { name: '某某药业集团有限公司', type: 'private', flags: ['china_top_500', 'listed'] },
      industryChain: '生物医药',
      region: '420502',
      park: '宜昌高新区',
      industrial: true,
      plannedInvestment: '110000000.00',
      source: '以商招商',
      leadDate: '2024-01-05',
      serviceOfficerId: 'officer-1',
    });
    expect(result.steps).toEqual([
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
      // The running total, as of the month of the row's latest step.
      { type: 'RecordFundsArrived', data: { month: '2025-01', amount: '30000000.00' } },
    ] satisfies HistoryStep[]);
    expect(result.key).toMatch(/^[0-9a-f]{64}$/);
    expect(result.rowHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('dates a lead without 线索时间 by its first step, sources it 台账导入, and records a lease, other evidence, a drop', () => {
    const { 线索时间: _l, 线索来源: _s, ...base } = BASE;
    const result = ok(
      parse({
        ...base,
        签约时间: '2023-06-01',
        '合同投资（万元）': 500,
        合同编号: 'HT-9',
        落地时间: '2023-07-01',
        租赁合同编号: 'ZL-7',
        统一社会信用代码: CREDIT_CODE,
        开工时间: '2023-08-01',
        开工佐证: '桩基施工照片',
        项目状态: '已终止',
        终止时间: '2024-02-01',
        终止原因: '企业资金链断裂',
        到位资金月份: '2023-09',
        '到位资金（元）': 800,
      }),
    );
    expect(result.lead.leadDate).toBe('2023-06-01');
    expect(result.lead.source).toBe('台账导入');
    expect(result.steps.map((s) => s.type)).toEqual([
      'Sign',
      'Land',
      'StartConstruction',
      'RecordFundsArrived',
      'Drop',
    ]);
    expect(result.steps[1].data).toMatchObject({ site: { kind: 'lease', leaseContractNumber: 'ZL-7' } });
    expect(result.steps[2].data).toMatchObject({ evidence: { kind: 'other', description: '桩基施工照片' } });
    expect(result.steps[3].data).toEqual({ month: '2023-09', amount: '800.00' });
    expect(result.steps[4].data).toEqual({ reason: '企业资金链断裂', droppedDate: '2024-02-01' });
  });

  it('sends what the domain requires but the row lacks as empty, for the decision to refuse on its field', () => {
    const result = ok(
      parse({ 项目名称: '甲', 投资方: '甲公司', 所属县市区: '西陵区', 签约时间: '2025-01-01' }),
    );
    expect(result.lead).toMatchObject({ investor: { type: '' }, plannedInvestment: '', industryChain: '' });
    expect(result.lead.industrial).toBeUndefined();
    expect(result.steps).toEqual([
      { type: 'Sign', data: { contractDate: '2025-01-01', contractInvestment: '', contractNumber: '' } },
    ]);
  });

  it('tells every bad cell of a row at once: row, column as the file writes it, value, rule and a Chinese message', () => {
    const found = problems(
      parse(
        {
          项目名称: '甲',
          投资方: '甲公司',
          投资方类型: '个体户',
          投资方标签: '世界500强、隐形冠军',
          所属县市区: '朝阳区',
          是否工业项目: '也许',
          '计划总投资（万元）': '约500',
          签约时间: '2025-02-30',
          落地时间: '2026-12-02',
          统一社会信用代码: CREDIT_BASE + (creditCodeCheckCharacter(CREDIT_BASE) === '0' ? '1' : '0'),
          投产时间: '2025-01-01',
          投产情况: '快了',
          到位资金月份: '2025-13',
          服务专员: '李四',
        },
        { people: () => null },
      ),
    );
    const byColumn = Object.fromEntries(found.map((p) => [p.column, p]));
    expect(found.every((p) => p.row === 7)).toBe(true);
    expect(byColumn['投资方类型']).toMatchObject({
      key: 'investorType',
      value: '个体户',
      rule: 'INVALID_VALUE',
    });
    expect(byColumn['投资方标签']).toMatchObject({ rule: 'INVALID_VALUE', value: '世界500强、隐形冠军' });
    expect(byColumn['投资方标签'].message).toContain('隐形冠军');
    expect(byColumn['所属县市区']).toMatchObject({ key: 'region', value: '朝阳区', rule: 'UNKNOWN_REGION' });
    expect(byColumn['是否工业项目']).toMatchObject({ rule: 'INVALID_VALUE' });
    expect(byColumn['计划总投资（万元）']).toMatchObject({
      key: 'plannedInvestment',
      value: '约500',
      rule: 'INVALID_AMOUNT',
    });
    expect(byColumn['计划总投资（万元）'].message).toContain('万元');
    expect(byColumn['签约时间']).toMatchObject({
      key: 'contractDate',
      value: '2025-02-30',
      rule: 'INVALID_DATE',
    });
    expect(byColumn['落地时间']).toMatchObject({ value: '2026-12-02', rule: 'DATE_IN_FUTURE' });
    expect(byColumn['统一社会信用代码']).toMatchObject({ rule: 'CREDIT_CODE_CHECK_FAILED' });
    expect(byColumn['投产情况']).toMatchObject({ rule: 'INVALID_VALUE' });
    expect(byColumn['到位资金月份']).toMatchObject({ rule: 'INVALID_MONTH' });
    expect(byColumn['服务专员']).toMatchObject({
      key: 'serviceOfficer',
      value: '李四',
      rule: 'UNKNOWN_PERSON',
    });
    expect(found).toHaveLength(11);
    for (const p of found) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    ['91420500MA4F0000', '应为18位'],
    ['91420500MA4F0000I0', '不允许的字符'],
    ['9142A500MA4F000000', '行政区划代码'],
  ])('tells why the credit code %s is invalid', (code, why) => {
    const [p] = problems(parse({ ...BASE, 统一社会信用代码: code }));
    expect(p).toMatchObject({ column: '统一社会信用代码', rule: 'INVALID_CREDIT_CODE', value: code });
    expect(p.message).toContain(why);
  });

  it('refuses a month of funds after this month', () => {
    const [p] = problems(parse({ ...BASE, 到位资金: 5, 到位资金月份: '2027-01' }));
    expect(p).toMatchObject({ column: '到位资金月份', rule: 'DATE_IN_FUTURE' });
  });

  it('knows a row by region, investor and name however they are written, and nothing else', () => {
    const a = ok(parse(BASE));
    const b = ok(
      parse({
        ...BASE,
        项目名称: ' 宜昌生物医药产业园 ',
        投资方: '某某药业集团有限公司',
        所属县市区: '湖北省宜昌市西陵区',
        '计划总投资（亿元）': 2,
      }),
    );
    const c = ok(parse({ ...BASE, 所属县市区: '420502', 项目名称: '宜昌生物医药产业园(二期)' }));
    expect(b.key).toBe(a.key);
    expect(c.key).not.toBe(a.key);
    expect(ledgerKey('420502', '甲 公司', '项目,一期')).toBe(ledgerKey('420502', '甲公司', '项目一期'));
    expect(ledgerKey('420502', '甲公司', '项目')).not.toBe(ledgerKey('420503', '甲公司', '项目'));
  });

  it("hashes the parsed history, not the cells' formatting or the caller's project id", () => {
    const a = ok(parse({ ...BASE, 签约时间: '2024-03-01', '合同投资（万元）': 500, 合同编号: 'HT' }));
    const { '计划总投资（亿元）': _planned, ...rest } = BASE;
    const sameOtherwise = ok(
      parse(
        { 协议投资: '5000000元', ...rest, 计划总投资: 11000, 签约日期: 45352, 合同号: ' HT ' },
        { projectId: 'another' },
      ),
    );
    expect(sameOtherwise.rowHash).toBe(a.rowHash);
    const changed = ok(parse({ ...BASE, 签约时间: '2024-03-02', '合同投资（万元）': 500, 合同编号: 'HT' }));
    expect(changed.rowHash).not.toBe(a.rowHash);
  });
});

describe('problemsFromRefusal', () => {
  const headers = [
    '项目名称',
    '投资方',
    '所属县市区',
    '签约时间',
    '开工时间',
    '施工许可证号',
    '入统时间',
    '项目状态',
  ];
  const mapping = matchColumns(headers);
  const lead = { projectId: 'p', name: '甲', region: '420502' } as RegisterLeadData;
  const steps: HistoryStep[] = [
    { type: 'Sign', data: { contractDate: '2024-01-01', contractInvestment: '', contractNumber: '' } },
    {
      type: 'Land',
      data: { creditCode: '', landedDate: '2024-02-01', site: { kind: 'land_parcel', parcelNumber: '' } },
    },
    { type: 'EnterStatistics', data: { statisticsCode: 'T', inStatsDate: '2024-03-01' } },
    { type: 'Drop', data: { reason: '台账项目状态:终止' } },
  ];
  const history = { lead, steps };

  it("puts a lead's refusal on its column", () => {
    expect(
      problemsFromRefusal(refusal('REGION_NOT_IN_SCOPE', 'data.lead.region'), history, headers, mapping, 4),
    ).toEqual([
      {
        row: 4,
        column: '所属县市区',
        key: 'region',
        value: '420502',
        rule: 'REGION_NOT_IN_SCOPE',
        message: '项目不在您负责的区域内',
      },
    ]);
    const [type] = problemsFromRefusal(
      refusal('INVALID_VALUE', 'data.lead.investor.type'),
      history,
      headers,
      mapping,
      4,
    );
    expect(type).toMatchObject({ column: '投资方类型', key: 'investorType' });
  });

  it("puts a step's refusal on the column of its field, by the step's index as sent", () => {
    const [p] = problemsFromRefusal(
      refusal('NOT_STARTED', 'data.steps[2].data.inStatsDate'),
      history,
      headers,
      mapping,
      4,
    );
    expect(p).toMatchObject({
      column: '入统时间',
      key: 'inStatsDate',
      value: '2024-03-01',
      rule: 'NOT_STARTED',
    });
    expect(p.message).toBe('项目尚未开工');
  });

  it('names the canonical header of a column the file lacks, and the column that made a step for its own missing one', () => {
    const [amount] = problemsFromRefusal(
      refusal('INVALID_AMOUNT', 'data.steps[0].data.contractInvestment'),
      history,
      headers,
      mapping,
      4,
    );
    expect(amount).toMatchObject({ column: '合同投资', key: 'contractInvestment', value: '' });
    const [site] = problemsFromRefusal(
      refusal('REQUIRED', 'data.steps[1].data.site.parcelNumber'),
      history,
      headers,
      mapping,
      4,
    );
    expect(site).toMatchObject({ column: '宗地编号', key: 'parcelNumber' });
    const [reason] = problemsFromRefusal(
      refusal('PROJECT_COMPLETED', 'data.steps[3].data.reason'),
      history,
      headers,
      mapping,
      4,
    );
    expect(reason).toMatchObject({ column: '项目状态', key: 'status' });
  });

  it('tells a refusal of the row as a whole on no column', () => {
    const [p] = problemsFromRefusal(refusal('PROJECT_DROPPED'), history, headers, mapping, 4);
    expect(p).toMatchObject({ column: '', key: null, value: '', rule: 'PROJECT_DROPPED' });
  });
});

describe('a dry run: the domain decides, its refusal comes back on the column', () => {
  it.each([
    [
      '入统 without 开工',
      {
        签约时间: '2024-03-01',
        '合同投资（万元）': 800,
        合同编号: 'HT-1',
        入统时间: '2024-06-01',
        项目统计代码: 'TJ',
      },
      '入统时间',
    ],
    [
      '落地 before 签约',
      {
        签约时间: '2024-03-01',
        '合同投资（万元）': 800,
        合同编号: 'HT-1',
        统一社会信用代码: CREDIT_CODE,
        落地时间: '2024-02-01',
        宗地编号: 'ZD',
      },
      '落地时间',
    ],
    ['a 签约 without 合同编号', { 签约时间: '2024-03-01', '合同投资（万元）': 800 }, '合同编号'],
  ])('%s', (_, extra, column) => {
    const cells: Record<string, LedgerCell> = { ...BASE, ...extra };
    const headers = Object.keys(cells);
    const mapping = matchColumns(headers);
    const parsed = ok(parse(cells));
    const history = { lead: parsed.lead, steps: parsed.steps };
    const decision = decide(
      {
        type: 'RecordHistory',
        data: {
          ...history,
          source: {
            importId: 'i',
            fileName: 'f.xlsx',
            fileSha256: 'x',
            sheet: null,
            row: 7,
            key: parsed.key,
            rowHash: parsed.rowHash,
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
    if (decision.outcome !== 'refused') throw new Error('expected a refusal');
    const [p] = problemsFromRefusal(decision.refusal, history, headers, mapping, 7);
    expect(p.column).toBe(column);
    expect(p.row).toBe(7);
    expect(p.message).toBe(decision.refusal.message.zh);
  });
});

describe('importing a row again', () => {
  const context = {
    actor: { id: 'officer-1', role: 'officer' as const, regions: ['420500'] },
    now: `${TODAY}T02:00:00.000Z`,
    deadlineRules: { policy: DEFAULT_POLICY, calendar: chinaCalendar },
  };
  const record = (parsed: Extract<RowHistory, { ok: true }>) => ({
    type: 'RecordHistory' as const,
    data: {
      lead: parsed.lead,
      steps: parsed.steps,
      source: {
        importId: 'i',
        fileName: 'f.xlsx',
        fileSha256: 'x',
        sheet: null,
        row: 7,
        key: parsed.key,
        rowHash: parsed.rowHash,
      },
    },
  });
  const signed = { ...BASE, 签约时间: '2024-03-01', '合同投资（万元）': 800, 合同编号: 'HT-1' };

  it('changes nothing when the row is the same however its cells are written, and records a changed row', () => {
    const first = ok(parse(signed));
    const decision = decide(record(first), initialState, context);
    if (decision.outcome !== 'accepted') throw new Error(JSON.stringify(decision.refusal));
    const state = foldEvents(decision.events);

    const same = ok(
      parse({
        ...signed,
        签约时间: '2024年3月1日',
        '合同投资（万元）': '800.00',
        所属县市区: '宜昌市西陵区',
      }),
    );
    expect(same.key).toBe(first.key);
    const again = decide(record(same), state, context);
    expect(again.outcome === 'refused' && again.refusal.code).toBe('HISTORY_UNCHANGED');

    const changed = ok(parse({ ...signed, '合同投资（万元）': 900 }));
    expect(changed.key).toBe(first.key);
    const correction = decide(record(changed), state, context);
    if (correction.outcome !== 'accepted') throw new Error(JSON.stringify(correction.refusal));
    expect(foldEvents(correction.events, state).contractInvestment).toBe('9000000.00');
  });
});
