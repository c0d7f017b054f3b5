import fc from 'fast-check';
import type { Actor } from './actor';
import { chinaCalendar } from './calendar';
import { CORRECTABLE_EVENT_TYPES, type ProjectCommand } from './commands';
import { addDays, addMonthsToMonth, shanghaiDate } from './dates';
import { deadlineCommands, openDeadlines } from './deadlines';
import { decide } from './decide';
import { EVENT_SCHEMA_VERSIONS, SYSTEM_EVENT_TYPES, type ProjectEvent } from './events';
import { evolve, foldEvents } from './evolve';
import { DEFAULT_POLICY } from './policy';
import { initialState, type ProjectState } from './state';
import {
  CREDIT_CODE,
  OTHER_REGION,
  admin,
  auditor,
  chief,
  leadData,
  leader,
  officer,
  system,
} from './testing/fixtures';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

// Dates are mostly relative to the step's own day ('T-2' = two days before today, 'M-0' = this month),
// so that long runs get far into the lifecycle; fixed and malformed values keep the refusals exercised.
const date = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('T-0', 'T-1', 'T-3', 'T-10', 'T+1') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2025-01-06',
      '2025-02-10',
      '2025-03-01',
      '2025-10-08',
      '2026-01-05',
      '2025-02-30',
    ),
  },
);
const month = fc.constantFrom('M-0', 'M-0', 'M-1', '2025-02', '2025-13');
const amount = fc.constantFrom(
  '150000000',
  '150000000',
  '150000000',
  '4000000',
  '5000000.00',
  '0',
  '-100',
  '1e8',
  '100.001',
);
const fundsAmount = fc.constantFrom('100', '250000.50', '-50', '-1000000000', '0');
const text = fc.constantFrom('理由', '理由', '理由', '', ' ');
const deadlineId = fc.constantFrom('land_after_signing', 'chief_officer_after_signing', 'blocker_due:B1');
const addressee = fc.constantFrom(
  { kind: 'service_officer', role: 'officer', label: '服务专员' } as const,
  { kind: 'deputy_leader', role: 'leader', label: '分管领导' } as const,
);
const rung = fc.constantFrom<0 | 1 | 2 | 3 | 4>(0, 1, 2, 3, 4);
const light = fc.constantFrom<'green' | 'yellow' | 'red'>('green', 'yellow', 'red');

const command: fc.Arbitrary<ProjectCommand> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({ plannedInvestment: amount, leadDate: date })
      .map((o) => ({ type: 'RegisterLead', data: leadData(o) }) as const),
  },
  { weight: 5, arbitrary: date.map((talksDate) => ({ type: 'StartTalks', data: { talksDate } }) as const) },
  {
    weight: 5,
    arbitrary: fc
      .record({
        contractDate: date,
        contractInvestment: amount,
        contractNumber: fc.constantFrom('HT-1', 'HT-1', ''),
        plannedProductionDate: fc.option(date),
      })
      .map((data) => ({ type: 'Sign', data }) as const),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        creditCode: fc.constantFrom(CREDIT_CODE, CREDIT_CODE, '914403001922038217', 'x'),
        landedDate: date,
      })
      .map(
        (o) =>
          ({ type: 'Land', data: { ...o, site: { kind: 'lease', leaseContractNumber: 'ZL-1' } } }) as const,
      ),
  },
  {
    weight: 5,
    arbitrary: date.map(
      (startDate) =>
        ({
          type: 'StartConstruction',
          data: { startDate, evidence: { kind: 'other', description: '桩基施工' } },
        }) as const,
    ),
  },
  {
    weight: 5,
    arbitrary: date.map(
      (inStatsDate) => ({ type: 'EnterStatistics', data: { statisticsCode: 'S-1', inStatsDate } }) as const,
    ),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({
        productionDate: date,
        scope: fc.constantFrom<'partial' | 'full'>('partial', 'full'),
      })
      .map((data) => ({ type: 'StartProduction', data }) as const),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({ month, amount: fundsAmount })
      .map((data) => ({ type: 'RecordFundsArrived', data }) as const),
  },
  {
    weight: 1,
    arbitrary: fc.record({ blockerId: fc.constantFrom('B1', 'B2'), dueDate: date }).map(
      (o) =>
        ({
          type: 'RaiseBlocker',
          data: { ...o, category: 'land', description: '用地', responsibleDepartment: '自然资源局' },
        }) as const,
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ blockerId: fc.constantFrom('B1', 'B2'), resolution: text })
      .map((data) => ({ type: 'ResolveBlocker', data }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ visitDate: date, summary: text })
      .map((data) => ({ type: 'LogServiceVisit', data }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('officer-1', 'officer-2')
      .map((officerId) => ({ type: 'AssignServiceOfficer', data: { officerId } }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('chief-1', 'chief-2')
      .map((chiefOfficerId) => ({ type: 'AssignChiefServiceOfficer', data: { chiefOfficerId } }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ deadlineId, newDueDate: date, reason: text })
      .map((data) => ({ type: 'ExtendDeadline', data }) as const),
  },
  { weight: 1, arbitrary: text.map((reason) => ({ type: 'Drop', data: { reason } }) as const) },
  { weight: 1, arbitrary: text.map((reason) => ({ type: 'Reopen', data: { reason } }) as const) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        correctsVersion: fc.oneof(fc.constant(1), fc.nat(12)),
        reason: text,
        changes: fc.oneof(
          date.map((contractDate) => ({ eventType: 'ProjectSigned', contractDate }) as const),
          fundsAmount.map((a) => ({ eventType: 'FundsArrivedRecorded', amount: a }) as const),
          amount.map((plannedInvestment) => ({ eventType: 'LeadRegistered', plannedInvestment }) as const),
          date.map((productionDate) => ({ eventType: 'ProductionStarted', productionDate }) as const),
          date.map((startDate) => ({ eventType: 'ConstructionStarted', startDate }) as const),
        ),
      })
      .map((data) => ({ type: 'CorrectEvent', data }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ deadlineId, rung, addressee, light, dueDate: date })
      .map(
        (o) => ({ type: 'RaiseAlert', data: { ...o, rule: 'land_after_signing', step: 'land' } }) as const,
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ deadlineId, rung, addressee })
      .map((data) => ({ type: 'Escalate', data }) as const),
  },
  {
    weight: 1,
    arbitrary: fc.record({ deadlineId, light }).map((data) => ({ type: 'ChangeLight', data }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        deadlineId,
        resolution: fc.constantFrom('met', 'extended', 'no_longer_applies') as fc.Arbitrary<'met'>,
      })
      .map((data) => ({ type: 'ResolveAlert', data }) as const),
  },
);

const outsider: Actor = { id: 'officer-9', role: 'officer', regions: [OTHER_REGION] };
const actor = fc.constantFrom<Actor>(
  officer,
  officer,
  officer,
  leader,
  chief,
  admin,
  auditor,
  system,
  outsider,
);

/** A step: a command by an actor, or the timers reconciling alerts with deadlines; days pass between steps. */
type Step =
  { kind: 'command'; command: ProjectCommand; actor: Actor; days: number } | { kind: 'tick'; days: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('command' as const), command, actor, days: fc.nat(12) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), days: fc.nat(40) }) },
);

const START = Date.parse('2025-01-06T02:00:00.000Z');
const instant = (days: number): string => new Date(START + days * 86_400_000).toISOString();

/** Resolves the relative date tokens of a generated command against the step's business date. */
function resolve<T>(value: T, today: string): T {
  if (typeof value === 'string') {
    const day = /^T([+-]\d+)$/.exec(value);
    if (day) return addDays(today, Number(day[1])) as T;
    const month = /^M-(\d+)$/.exec(value);
    if (month) return addMonthsToMonth(today.slice(0, 7), -Number(month[1])) as T;
    return value;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => resolve(v, today)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, today)])) as T;
  }
  return value;
}

interface Run {
  events: ProjectEvent[];
  state: ProjectState;
}

function play(steps: Step[]): Run {
  let state = initialState;
  const events: ProjectEvent[] = [];
  let day = 0;
  for (const s of steps) {
    day += s.days;
    const now = instant(day);
    const planned =
      s.kind === 'tick'
        ? deadlineCommands(state, openDeadlines(state, DEFAULT_POLICY, chinaCalendar, now), now).map((c) => ({
            c,
            a: system,
          }))
        : [{ c: resolve(s.command, shanghaiDate(now)), a: s.actor }];
    for (const { c, a } of planned) {
      const before = JSON.stringify(state);
      deepFreeze(state);
      const decision = decide(c, state, { actor: a, now });
      // A refusal — or any decision — leaves the state as it was.
      expect(JSON.stringify(state)).toBe(before);
      if (s.kind === 'tick') expect([c.type, decision.outcome]).toEqual([c.type, 'accepted']);
      if (decision.outcome === 'refused') {
        expect(decision.refusal.code).toMatch(/^[A-Z][A-Z_]+$/);
        continue;
      }
      for (const event of decision.events) {
        expect(event.schemaVersion).toBe(EVENT_SCHEMA_VERSIONS[event.type]);
        expect(typeof event.businessTime).toBe('string');
        expect(JSON.parse(JSON.stringify(event))).toEqual(event);
        const next = evolve(state, event);
        expect(next.version).toBe(state.version + 1);
        state = next;
        events.push(event);
      }
    }
  }
  return { events, state };
}

describe('properties of the decider', () => {
  it('for any sequence of commands: evolve never throws, versions are contiguous, refusals change nothing', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { events, state } = play(steps);
        expect(state.version).toBe(events.length);
        // Only people's events move the revision, and only correctable ones are kept for corrections.
        const people = events.flatMap((e, i) => (SYSTEM_EVENT_TYPES.includes(e.type) ? [] : [i + 1]));
        expect(state.revision).toBe(people.length ? people[people.length - 1] : 0);
        expect(state.correctableEvents.map((e) => e.version)).toEqual(
          events.flatMap((e, i) =>
            (CORRECTABLE_EVENT_TYPES as readonly string[]).includes(e.type) ? [i + 1] : [],
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('folding the same events twice gives the same state, and it is plain JSON', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { events, state } = play(steps);
        const once = foldEvents(events);
        const twice = foldEvents(JSON.parse(JSON.stringify(events)) as ProjectEvent[]);
        expect(once).toEqual(state);
        expect(twice).toEqual(once);
        expect(JSON.parse(JSON.stringify(once))).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('the running total of funds arrived is never negative', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { events } = play(steps);
        let s = initialState;
        for (const e of events) {
          s = evolve(s, e);
          expect(s.fundsArrivedTotal.startsWith('-')).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reaches the later stages often enough to mean something', () => {
    const stages = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 30, maxLength: 80 }), (steps) => {
        stages.add(play(steps).state.stage ?? 'none');
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(stages.size).toBeGreaterThanOrEqual(6);
  });
});
