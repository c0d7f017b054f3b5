import type { Actor, Role } from './actor';
import { maySetTargets } from './permissions';
import {
  canonicalTargets,
  describeValue,
  HUNDRED_MILLION_YUAN,
  isPositiveTarget,
  isTargetMetric,
  metricValue,
  TARGET_METRIC_BY_CODE,
  TARGET_METRIC_CODES,
} from './targets';

describe('target metrics', () => {
  it('lists the six metrics in bulletin order, with their labels and kinds', () => {
    expect(TARGET_METRIC_CODES).toEqual([
      'signed_projects',
      'new_started_100m_projects',
      'funds_arrived',
      'landed_projects',
      'started_projects',
      'in_stats_projects',
    ]);
    expect(TARGET_METRIC_CODES.map((m) => TARGET_METRIC_BY_CODE[m].label)).toEqual([
      '签约项目数',
      '新开工亿元以上项目数',
      '到位资金',
      '落地项目数',
      '新开工项目数',
      '入统项目数',
    ]);
    expect(TARGET_METRIC_CODES.filter((m) => TARGET_METRIC_BY_CODE[m].kind === 'amount')).toEqual([
      'funds_arrived',
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
