import type { Actor, Role } from './actor';
import { maySetTargets } from './permissions';
import { positionalParameters } from './region-scope';
import { metricProgress, rankRegions } from './targets-progress';
import {
  canonicalTargets,
  countedInvestment,
  describeValue,
  HUNDRED_MILLION_YUAN,
  isFromOutsideProvince,
  outsideProvinceSql,
  isHundredMillionOrMore,
  isPositiveTarget,
  isTargetMetric,
  metricValue,
  TARGET_METRIC_BY_CODE,
  TARGET_METRIC_CODES,
  targetReasonProblem,
} from './targets';

describe('target metrics', () => {
  it('lists the nine metrics in bulletin order, with their labels and kinds', () => {
    expect(TARGET_METRIC_CODES).toEqual([
      'signed_projects',
      'signed_amount',
      'new_signed_100m_projects',
      'new_started_100m_projects',
      'funds_arrived',
      'funds_outside_province',
      'landed_projects',
      'started_projects',
      'in_stats_projects',
    ]);
    expect(TARGET_METRIC_CODES.map((m) => TARGET_METRIC_BY_CODE[m].label)).toEqual([
      '签约项目数',
      '签约金额',
      '新签约亿元以上项目数',
      '新开工亿元以上项目数',
      '到位资金',
      '实际利用省外资金',
      '落地项目数',
      '新开工项目数',
      '入统项目数',
    ]);
    expect(TARGET_METRIC_CODES.filter((m) => TARGET_METRIC_BY_CODE[m].kind === 'amount')).toEqual([
      'signed_amount',
      'funds_arrived',
      'funds_outside_province',
    ]);
    expect(isTargetMetric('funds_arrived')).toBe(true);
    expect(isTargetMetric('funds')).toBe(false);
    expect(HUNDRED_MILLION_YUAN).toBe('100000000.00');
  });

  it('reads a value in its metric’s form: whole counts, two-decimal yuan', () => {
    expect(metricValue('signed_projects', '12.00')).toBe(12);
    expect(metricValue('signed_projects', 7)).toBe(7);
    expect(metricValue('funds_arrived', '500000000')).toBe('500000000.00');
    expect(metricValue('funds_arrived', '12.5')).toBe('12.50');
  });

  it('has a completion rate only for a target above 0', () => {
    expect(isPositiveTarget('signed_projects', 0)).toBe(false);
    expect(isPositiveTarget('signed_projects', 1)).toBe(true);
    expect(isPositiveTarget('funds_arrived', '0.00')).toBe(false);
    expect(isPositiveTarget('funds_arrived', '0.01')).toBe(true);
  });

  it('puts a set in metric order, so equal sets compare alike', () => {
    const set = canonicalTargets({ in_stats_projects: 2, funds_arrived: '1.00', signed_projects: 3 });
    expect(Object.keys(set)).toEqual(['signed_projects', 'funds_arrived', 'in_stats_projects']);
    expect(JSON.stringify(set)).toBe(
      JSON.stringify(canonicalTargets({ signed_projects: 3, in_stats_projects: 2, funds_arrived: '1.00' })),
    );
  });

  it('describes counts in 个 and amounts in 万元', () => {
    expect(describeValue('signed_projects', 12)).toBe('12 个');
    expect(describeValue('funds_arrived', '12345600.00')).toBe('1234.56 万元');
  });
});

describe('who sets targets', () => {
  const actor = (role: Role, regions: string[]): Actor => ({ id: `${role}-1`, role, regions });

  it('admins anywhere, leaders in the regions they cover, nobody else', () => {
    expect(maySetTargets(actor('admin', []), '420506')).toBe(true);
    expect(maySetTargets(actor('leader', ['420500']), '420506')).toBe(true);
    expect(maySetTargets(actor('leader', ['420500']), '420500')).toBe(true);
    expect(maySetTargets(actor('leader', ['420000']), '420500')).toBe(true);
    expect(maySetTargets(actor('leader', ['420506']), '420500')).toBe(false);
    expect(maySetTargets(actor('leader', ['420600']), '420506')).toBe(false);
    for (const role of ['officer', 'chief_officer', 'auditor', 'system'] as const) {
      expect(maySetTargets(actor(role, ['420000']), '420506')).toBe(false);
    }
  });
});

describe('the 签约金额, 新签约亿元以上 and 省外资金 rules', () => {
  it('counts a project with its contract investment, its plan where none', () => {
    expect(countedInvestment('150000000.00', '120000000.00')).toBe('150000000.00');
    expect(countedInvestment(null, '100000000')).toBe('100000000.00');
    // A contract below the plan decides: the signed figure is what was signed.
    expect(countedInvestment('99999999.99', '200000000.00')).toBe('99999999.99');
  });

  it('亿元以上 is 1亿元 or more, to the 分', () => {
    expect(isHundredMillionOrMore('100000000.00')).toBe(true);
    expect(isHundredMillionOrMore('99999999.99')).toBe(false);
    expect(isHundredMillionOrMore('1253900000000.00')).toBe(true);
  });

  it('省外 is a domestic investor of recorded origin in another province', () => {
    expect(isFromOutsideProvince({ type: 'private', origin: '440300' }, '420506')).toBe(true);
    expect(isFromOutsideProvince({ type: 'central_soe', origin: '110000' }, '420500')).toBe(true);
    // The same province, whatever city.
    expect(isFromOutsideProvince({ type: 'private', origin: '420100' }, '420506')).toBe(false);
    // 境外 money is 外资, not 省外资金.
    expect(isFromOutsideProvince({ type: 'foreign', origin: '440300' }, '420506')).toBe(false);
    expect(isFromOutsideProvince({ type: 'hk_macao_taiwan', origin: '810000' }, '420506')).toBe(false);
    // No origin recorded: not counted, never guessed.
    expect(isFromOutsideProvince({ type: 'private' }, '420506')).toBe(false);
    expect(isFromOutsideProvince({ type: 'private', origin: null }, '420506')).toBe(false);
  });

  it('省外 as SQL binds the 境外 types and compares the provinces of origin and project', () => {
    const params: unknown[] = ['earlier'];
    const sql = outsideProvinceSql(
      { investorType: 'p.investor_type', origin: "p.state->'investor'->>'origin'", region: 'p.region' },
      positionalParameters(params),
    );
    expect(sql).toBe(
      "(p.investor_type <> ALL($2::text[]) AND left(p.state->'investor'->>'origin', 2) <> left(p.region, 2)) IS TRUE",
    );
    expect(params).toEqual(['earlier', ['foreign', 'hk_macao_taiwan']]);
  });

  it('words the new metrics as the bulletin prints them, exact to the 分 in the rate', () => {
    // Yichang 2020: 1253.9亿元 signed against a target 27% lower (987.32亿元 ≈ 1253.9 ÷ 1.27).
    const p = metricProgress('signed_amount', '98732000000.00', '125390000000.00', '2020-12-31');
    expect(p).toMatchObject({
      label: '签约金额',
      completionPercent: '127.00',
      timeProgressPercent: '100.00',
      aheadByPoints: '27.00',
      assessment: '超时序进度 27.00 个百分点',
      summary: '签约金额完成 12539000.00 万元,目标 9873200.00 万元,完成率 127.00%,超时序进度 27.00 个百分点',
    });
    const outside = metricProgress('funds_outside_province', '100000000.00', '40000000.01', '2024-06-30');
    expect(outside.summary).toBe(
      '实际利用省外资金完成 4000.00 万元,目标 10000.00 万元,完成率 40.00%,落后时序进度 9.73 个百分点',
    );
    const count = metricProgress('new_signed_100m_projects', 10, 6, '2024-06-30');
    expect(count.summary).toBe(
      '新签约亿元以上项目数完成 6 个,目标 10 个,完成率 60.00%,超时序进度 10.27 个百分点',
    );
  });

  it('ranks on the new metrics as on the others', () => {
    const asOf = '2024-06-30';
    const ranked = rankRegions([
      { region: '420506', metrics: [metricProgress('funds_outside_province', '100.00', '10.00', asOf)] },
      { region: '420502', metrics: [metricProgress('new_signed_100m_projects', 2, 2, asOf)] },
    ]);
    expect(ranked.map((r) => [r.rank, r.region, r.scorePoints])).toEqual([
      [1, '420502', '50.27'],
      [2, '420506', '-39.73'],
    ]);
  });
});

describe('the reason a change of targets gives', () => {
  it('is required, not blank, at most 500 characters', () => {
    expect(targetReasonProblem(undefined)).toBe('required');
    expect(targetReasonProblem(null)).toBe('required');
    expect(targetReasonProblem('  ')).toBe('required');
    expect(targetReasonProblem('按市政府年度目标责任书下达')).toBeNull();
    expect(targetReasonProblem('因'.repeat(500))).toBeNull();
    expect(targetReasonProblem('因'.repeat(501))).toBe('tooLong');
  });
});
