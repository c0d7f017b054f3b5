import { chinaCalendar } from './calendar';
import {
  DEFAULT_POLICY,
  blockerDueDate,
  policyForRegion,
  validatePolicy,
  type ProjectPolicy,
} from './policy';

const clone = (): ProjectPolicy => JSON.parse(JSON.stringify(DEFAULT_POLICY)) as ProjectPolicy;

describe('policy', () => {
  it('validates the defaults', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it('holds DESIGN.md’s defaults', () => {
    const limit = (id: string): unknown => DEFAULT_POLICY.rules.find((r) => r.id === id)?.limit;
    expect(limit('land_after_signing')).toEqual({ amount: 3, unit: 'month' });
    expect(limit('start_after_signing')).toEqual({ amount: 6, unit: 'month' });
    expect(limit('statistics_after_start')).toEqual({ amount: 1, unit: 'month' });
    expect(limit('chief_officer_after_signing')).toEqual({ amount: 5, unit: 'working_day' });
    expect(limit('lead_follow_up')).toEqual({ amount: 30, unit: 'calendar_day' });
    expect(limit('talks_follow_up')).toEqual({ amount: 60, unit: 'calendar_day' });
    expect(DEFAULT_POLICY.escalation.map((r) => [r.rung, r.after.amount, r.after.unit, r.addressee])).toEqual(
      [
        [1, 0, 'working_day', 'service_officer'],
        [2, 5, 'working_day', 'chief_service_officer'],
        [3, 10, 'working_day', 'deputy_leader'],
        [4, 20, 'working_day', 'principal_leader'],
      ],
    );
    expect(DEFAULT_POLICY.structureTargets).toEqual({
      industrialSharePercent: '70',
      privateSharePercent: '70',
    });
  });

  it('reports each problem with its field and rule', () => {
    const p = clone();
    p.rules[0].limit.unit = 'week' as never;
    p.rules[1].id = p.rules[0].id;
    p.rules[2].limit.amount = -1;
    p.rules[3].from = 'signed';
    p.escalation = p.escalation.slice(0, 3);
    p.redFromRung = 7 as never;
    p.structureTargets.privateSharePercent = '170';
    p.regionalOverrides = { '4205': {}, '420500': { rules: { no_such_rule: { enabled: false } } } };
    const result = validatePolicy(p);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.map((e) => [e.field, e.rule]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['rules[0].limit.unit', 'unit'],
        ['rules[1].id', 'unique'],
        ['rules[2].limit.amount', 'non_negative_integer'],
        ['rules[3].from', 'shape'],
        ['escalation', 'four_rungs'],
        ['redFromRung', 'rung'],
        ['structureTargets.privateSharePercent', 'percent'],
        ['regionalOverrides.4205', 'region'],
        ['regionalOverrides.420500.rules.no_such_rule', 'known_rule'],
      ]),
    );
  });

  it('refuses what is not a policy', () => {
    expect(validatePolicy(null)).toMatchObject({ ok: false });
    expect(validatePolicy({ rules: 'x' })).toMatchObject({ ok: false });
  });

  it('applies province, city and county overrides in that order', () => {
    const p: ProjectPolicy = {
      ...clone(),
      regionalOverrides: {
        '420000': { rules: { land_after_signing: { limit: { amount: 4, unit: 'month' } } }, redFromRung: 3 },
        '420500': { rules: { land_after_signing: { limit: { amount: 2, unit: 'month' } } } },
        '420506': { rules: { start_after_signing: { enabled: false } } },
      },
    };
    expect(validatePolicy(p).ok).toBe(true);
    const county = policyForRegion(p, '420506');
    expect(county.rules.find((r) => r.id === 'land_after_signing')?.limit).toEqual({
      amount: 2,
      unit: 'month',
    });
    expect(county.rules.find((r) => r.id === 'start_after_signing')?.enabled).toBe(false);
    expect(county.redFromRung).toBe(3);
    const otherCity = policyForRegion(p, '420100');
    expect(otherCity.rules.find((r) => r.id === 'land_after_signing')?.limit).toEqual({
      amount: 4,
      unit: 'month',
    });
    expect(policyForRegion(p, '110105')).toEqual(p);
  });

  it('defaults blocker due dates in working days (泉州: 7 lead, 3 co-handling)', () => {
    expect(blockerDueDate(DEFAULT_POLICY, chinaCalendar, '2025-09-30', 'lead')).toBe('2025-10-16');
    expect(blockerDueDate(DEFAULT_POLICY, chinaCalendar, '2025-09-30', 'co_handling')).toBe('2025-10-11');
  });
});
