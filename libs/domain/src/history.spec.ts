import type { DecisionContext } from './actor';
import { chinaCalendar } from './calendar';
import { catchUpDeadlines, resolutionsAt } from './catch-up';
import { businessDateOf } from './dates';
import { decide } from './decide';
import { makeEvent, type ProjectEvent } from './events';
import { foldEvents } from './evolve';
import type { HistorySource, HistoryStep, RecordHistoryData } from './history';
import { DEFAULT_POLICY } from './policy';
import { CREDIT_CODE, OTHER_REGION, leadData, officer } from './testing/fixtures';
import { specification } from './testing/specification';

/** 2026-12-01 10:00 in Shanghai: the real today of the import. */
const NOW = '2026-12-01T02:00:00.000Z';
const rules = { policy: DEFAULT_POLICY, calendar: chinaCalendar };
const importing: DecisionContext = { actor: officer, now: NOW, deadlineRules: rules };
const given = specification(expect, importing);

const source = (overrides: Partial<HistorySource> = {}): HistorySource => ({
  importId: 'imp-1',
  fileName: '2020年招商台账.xlsx',
  fileSha256: 'f'.repeat(64),
  sheet: '签约项目',
  row: 7,
  key: '420506|某某药业|宜昌生物医药产业园',
  rowHash: 'h1',
  ...overrides,
});

const SIGN: HistoryStep = {
  type: 'Sign',
  data: { contractDate: '2020-01-10', contractInvestment: '200000000', contractNumber: 'HT-2020-007' },
};
const LAND: HistoryStep = {
  type: 'Land',
  data: {
    creditCode: CREDIT_CODE,
    landedDate: '2020-09-01',
    site: { kind: 'land_parcel', parcelNumber: '宜市夷陵[2020]12号' },
  },
};

const row = (steps: HistoryStep[], overrides: Partial<RecordHistoryData> = {}): RecordHistoryData => ({
  lead: leadData({ projectId: 'P-2020-007', leadDate: '2019-12-20' }),
  steps,
  source: source(),
  ...overrides,
});

const record = (data: RecordHistoryData, context: DecisionContext = importing): ProjectEvent[] => {
  const d = decide({ type: 'RecordHistory', data }, foldEvents([]), context);
  if (d.outcome !== 'accepted') throw new Error(`refused: ${d.refusal.code} ${d.refusal.field}`);
  return d.events;
};

/** What a review reads of the alerts at a past date: those raised by then and not yet resolved. */
function openAlertsOn(events: ProjectEvent[], date: string): Map<string, number> {
  const open = new Map<string, number>();
  for (const e of events) {
    if (businessDateOf(e.businessTime) > date) continue;
    if (e.type === 'AlertRaised') open.set(e.data.deadlineId, e.data.rung);
    if (e.type === 'AlertEscalated') open.set(e.data.deadlineId, e.data.rung);
    if (e.type === 'AlertResolved') open.delete(e.data.deadlineId);
  }
  return open;
}

const timersOf = (events: ProjectEvent[], deadlineId: string) =>
  events
    .filter(
      (e) =>
        (e.type === 'AlertRaised' ||
          e.type === 'AlertEscalated' ||
          e.type === 'AlertResolved' ||
          e.type === 'LightChanged') &&
        e.data.deadlineId === deadlineId,
    )
    .map((e) => {
      const d = e.data as { rung?: number; to?: string; light?: string };
      return [e.type, e.businessTime, e.type === 'LightChanged' ? d.to : d.rung];
    });

describe('RecordHistory — a 2020 ledger row recorded in 2026', () => {
  const events = record(row([LAND, SIGN]));

  it('records where it came from, then the lead and the steps in date order', () => {
    const people = events.filter(
      (e) => !['AlertRaised', 'AlertEscalated', 'LightChanged', 'AlertResolved'].includes(e.type),
    );
    expect(people.map((e) => [e.type, e.businessTime])).toEqual([
      ['HistoryImported', NOW],
      ['LeadRegistered', '2019-12-20'],
      ['ProjectSigned', '2020-01-10'],
      ['ProjectLanded', '2020-09-01'],
    ]);
    expect(events[0].data).toEqual(source());
    const state = foldEvents(events);
    expect(state).toMatchObject({ importKey: source().key, importedRowHash: 'h1', stage: 'landed' });
  });

  it('raises the land alert on its first overdue day, escalates it rung by rung on working days, resolves it on landing', () => {
    // Due 2020-04-10 (3 months after signing); overdue from Saturday 2020-04-11; rung 2 five working
    // days on (04-17), rung 3 ten more (04-30, with Sunday 04-26 a working day), rung 4 twenty more
    // (06-01, after the May Day holiday); landed 2020-09-01. Each at 00:00 Asia/Shanghai that day.
    expect(timersOf(events, 'land_after_signing')).toEqual([
      ['LightChanged', '2020-04-02T16:00:00.000Z', 'yellow'],
      ['AlertRaised', '2020-04-10T16:00:00.000Z', 1],
      ['AlertEscalated', '2020-04-16T16:00:00.000Z', 2],
      ['LightChanged', '2020-04-16T16:00:00.000Z', 'red'],
      ['AlertEscalated', '2020-04-29T16:00:00.000Z', 3],
      ['AlertEscalated', '2020-05-31T16:00:00.000Z', 4],
      ['AlertResolved', '2020-08-31T16:00:00.000Z', 4],
      ['LightChanged', '2020-08-31T16:00:00.000Z', 'green'],
    ]);
  });

  it('reads as it happened: a review at 2020-06-30 finds the land alert open at the top rung, and at 2020-12-31 closed', () => {
    expect(openAlertsOn(events, '2020-04-10').has('land_after_signing')).toBe(false);
    expect(openAlertsOn(events, '2020-06-30').get('land_after_signing')).toBe(4);
    expect(openAlertsOn(events, '2020-12-31').has('land_after_signing')).toBe(false);
    // Never started: that alert is still open today.
    expect(openAlertsOn(events, '2026-12-01').get('start_after_signing')).toBe(4);
  });

  it('tells nothing of deadlines without the rules (the workflow then catches up itself)', () => {
    const bare = record(row([LAND, SIGN]), { actor: officer, now: NOW });
    expect(bare.map((e) => e.type)).toEqual([
      'HistoryImported',
      'LeadRegistered',
      'ProjectSigned',
      'ProjectLanded',
    ]);
  });

  it('dates funds on the last day of their month, and past blockers and drops on their own dates', () => {
    const all = record(
      row([
        SIGN,
        { type: 'RecordFundsArrived', data: { month: '2020-02', amount: '5000000' } },
        {
          type: 'RaiseBlocker',
          data: {
            blockerId: 'B-1',
            category: 'land',
            description: '用地指标未落实',
            responsibleDepartment: '自然资源局',
            dueDate: '2020-03-31',
            raisedDate: '2020-03-01',
          },
        },
        {
          type: 'ResolveBlocker',
          data: { blockerId: 'B-1', resolution: '已落实', resolvedDate: '2020-05-06' },
        },
        { type: 'Drop', data: { reason: '企业投资计划调整', droppedDate: '2020-06-15' } },
      ]),
    );
    const people = all.filter((e) =>
      ['FundsArrivedRecorded', 'BlockerRaised', 'BlockerResolved', 'ProjectDropped'].includes(e.type),
    );
    expect(people.map((e) => [e.type, e.businessTime])).toEqual([
      ['FundsArrivedRecorded', '2020-02-29'],
      ['BlockerRaised', '2020-03-01'],
      ['BlockerResolved', '2020-05-06'],
      ['ProjectDropped', '2020-06-15'],
    ]);
    // The blocker was overdue from 2020-04-01 until its resolution.
    expect(timersOf(all, 'blocker_due:B-1')[0]).toEqual([
      'LightChanged',
      '2020-03-29T16:00:00.000Z',
      'yellow',
    ]);
    expect(timersOf(all, 'blocker_due:B-1')).toContainEqual(['AlertRaised', '2020-03-31T16:00:00.000Z', 1]);
    expect(timersOf(all, 'blocker_due:B-1')).toContainEqual([
      'AlertResolved',
      '2020-05-05T16:00:00.000Z',
      expect.any(Number),
    ]);
    // Dropped: nothing is raised after 2020-06-15.
    expect(
      all.filter((e) => e.type === 'AlertRaised' && businessDateOf(e.businessTime) > '2020-06-15'),
    ).toEqual([]);
    const dropped = all.find((e) => e.type === 'ProjectDropped')!;
    expect(dropped.data).toMatchObject({ droppedDate: '2020-06-15', fromStage: 'signed' });
  });

  it('records a confirmed likely duplicate as DuplicateConfirmed at import', () => {
    const confirmed = record(
      row([SIGN], {
        duplicateConfirmation: { of: 'P-2019-003', match: 'investor_name', reason: '二期项目,另行签约' },
      }),
    );
    expect(confirmed.find((e) => e.type === 'DuplicateConfirmed')).toEqual(
      makeEvent('DuplicateConfirmed', NOW, {
        of: 'P-2019-003',
        match: 'investor_name',
        reason: '二期项目,另行签约',
        at: 'import',
      }),
    );
  });

  it('walks a decade of history in milliseconds', () => {
    const started = Date.now();
    record(row([SIGN]), { ...importing, now: '2030-12-01T02:00:00.000Z' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('RecordHistory — refusals name the field as sent', () => {
  it('a date after the real today', () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([SIGN, { ...LAND, data: { ...LAND.data, landedDate: '2026-12-02' } }]),
      })
      .thenRefused('DATE_IN_FUTURE', 'data.steps[1].data.landedDate');
  });

  it('入统 without 开工', () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([
          SIGN,
          LAND,
          {
            type: 'EnterStatistics',
            data: { statisticsCode: '4205062020000001', inStatsDate: '2020-10-01' },
          },
        ]),
      })
      .thenRefused('NOT_STARTED', 'data.steps[2].data.inStatsDate');
  });

  it('a credit code whose check character is wrong', () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([SIGN, { ...LAND, data: { ...LAND.data, creditCode: '914403001922038217' } }]),
      })
      .thenRefused('CREDIT_CODE_CHECK_FAILED', 'data.steps[1].data.creditCode');
  });

  it('a landing dated before the signing', () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([{ ...LAND, data: { ...LAND.data, landedDate: '2020-01-05' } }, SIGN]),
      })
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.steps[0].data.landedDate');
  });

  it('a signing before the lead', () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([{ ...SIGN, data: { ...SIGN.data, contractDate: '2019-12-01' } }]),
      })
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.steps[0].data.contractDate');
  });

  it('an amount that is not a number', () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([{ ...SIGN, data: { ...SIGN.data, contractInvestment: '两亿' } }]),
      })
      .thenRefused('INVALID_AMOUNT', 'data.steps[0].data.contractInvestment');
  });

  it('a malformed date', () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([{ ...SIGN, data: { ...SIGN.data, contractDate: '2020/1/10' } }]),
      })
      .thenRefused('INVALID_DATE', 'data.steps[0].data.contractDate');
  });

  it("the lead's own fields, and a region the officer may not act in", () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([SIGN], { lead: leadData({ name: ' ', leadDate: '2019-12-20' }) }),
      })
      .thenRefused('REQUIRED', 'data.lead.name');
    given([])
      .when({ type: 'RecordHistory', data: row([SIGN], { lead: leadData({ region: OTHER_REGION }) }) })
      .thenRefused('REGION_NOT_IN_SCOPE', 'data.lead.region');
    given([])
      .when({ type: 'RecordHistory', data: row([SIGN], { lead: leadData({ leadDate: '2027-01-01' }) }) })
      .thenRefused('DATE_IN_FUTURE', 'data.lead.leadDate');
  });

  it('a step that cannot be imported, and a source without its row', () => {
    given([])
      .when({ type: 'RecordHistory', data: row([{ type: 'Reopen', data: { reason: 'x' } } as never]) })
      .thenRefused('HISTORY_STEP_UNKNOWN', 'data.steps[0].type');
    given([])
      .when({ type: 'RecordHistory', data: row([SIGN], { source: { ...source(), row: 0 } }) })
      .thenRefused('INVALID_VALUE', 'data.source.row');
  });

  it('a duplicate confirmation of the project itself', () => {
    given([])
      .when({
        type: 'RecordHistory',
        data: row([SIGN], {
          duplicateConfirmation: { of: 'P-2020-007', match: 'credit_code', reason: '同一企业' },
        }),
      })
      .thenRefused('DUPLICATE_OF_ITSELF', 'data.duplicateConfirmation.of');
  });

  it('a role that may not register leads', () => {
    given([])
      .when(
        { type: 'RecordHistory', data: row([SIGN]) },
        { ...importing, actor: { id: 'leader-1', role: 'leader', regions: ['420500'] } },
      )
      .thenRefused('ROLE_NOT_ALLOWED');
  });
});

describe('RecordHistory — the same row imported again', () => {
  const first = record(row([SIGN, LAND]));

  it('is refused as unchanged when its hash is the one recorded', () => {
    given(first)
      .when({ type: 'RecordHistory', data: row([SIGN, LAND]) })
      .thenRefused('HISTORY_UNCHANGED', 'data.source.rowHash');
  });

  it('records changed values as corrections, the new steps, and where the change came from', () => {
    const changed = row(
      [
        { ...SIGN, data: { ...SIGN.data, contractInvestment: '250000000' } },
        LAND,
        {
          type: 'StartConstruction',
          data: {
            startDate: '2020-10-15',
            evidence: { kind: 'construction_permit', permitNumber: '420506202010150101' },
          },
        },
      ],
      { source: source({ rowHash: 'h2', importId: 'imp-2', fileName: '2020年招商台账(修订).xlsx' }) },
    );
    const { events } = given(first).when({ type: 'RecordHistory', data: changed }).thenAccepted();
    const signedVersion = foldEvents(first).stageVersions.signed!;
    expect(events.map((e) => e.type)).toEqual(['EventCorrected', 'ConstructionStarted', 'HistoryImported']);
    expect(events[0].data).toEqual({
      correctsVersion: signedVersion,
      correctsType: 'ProjectSigned',
      reason: '台账重新导入:《2020年招商台账(修订).xlsx》第 7 行',
      changes: { eventType: 'ProjectSigned', contractInvestment: '250000000.00' },
      previous: { contractInvestment: '200000000.00' },
    });
    const state = foldEvents([...first, ...events]);
    expect(state).toMatchObject({
      contractInvestment: '250000000.00',
      startedDate: '2020-10-15',
      importedRowHash: 'h2',
    });
  });

  it('refuses a step the row no longer gives, naming its field', () => {
    given(first)
      .when({ type: 'RecordHistory', data: row([SIGN], { source: source({ rowHash: 'h3' }) }) })
      .thenRefused('HISTORY_STEP_REMOVED', 'data.steps[Land].data.landedDate');
  });

  it('refuses a correction the rules refuse, on the changed column', () => {
    given(first)
      .when({
        type: 'RecordHistory',
        data: row([SIGN, LAND], {
          lead: leadData({ projectId: 'P-2020-007', leadDate: '2020-02-01' }),
          source: source({ rowHash: 'h4' }),
        }),
      })
      .thenRefused('DATE_AFTER_NEXT_STAGE', 'data.lead.leadDate');
  });

  it('refuses stages out of order in the row before any correction', () => {
    given(first)
      .when({
        type: 'RecordHistory',
        data: row([{ ...SIGN, data: { ...SIGN.data, contractDate: '2020-10-01' } }, LAND], {
          source: source({ rowHash: 'h6' }),
        }),
      })
      .thenRefused('DATE_BEFORE_PREVIOUS_STAGE', 'data.steps[1].data.landedDate');
  });

  it('refuses a row of another key', () => {
    given(first)
      .when({
        type: 'RecordHistory',
        data: row([SIGN, LAND], { source: source({ key: 'other', rowHash: 'h5' }) }),
      })
      .thenRefused('HISTORY_KEY_MISMATCH', 'data.source.key');
  });
});

describe('catchUpDeadlines — a backdated entry on a running project', () => {
  it('never resolves an alert nor lowers a light the state holds, and leaves later alerts alone', () => {
    const imported = record(row([SIGN]));
    const state = foldEvents(imported);
    expect(state.alerts.map((a) => a.deadlineId).sort()).toEqual([
      'chief_officer_after_signing',
      'land_after_signing',
      'start_after_signing',
    ]);
    // Walking again from the signing adds nothing: everything due was told, and nothing is undone.
    const again = catchUpDeadlines(state, rules, '2020-01-10T00:00:00.000Z', NOW, { monotone: true });
    expect(again.events).toEqual([]);
    expect(again.state.alerts).toEqual(state.alerts);
  });

  it("closes on the entry's own day what the entry ended: a lead entered late, then its late signing", () => {
    const lead = decide(
      { type: 'RegisterLead', data: leadData({ projectId: 'P-2024-1', leadDate: '2024-05-01' }) },
      foldEvents([]),
      { actor: officer, now: NOW },
    );
    if (lead.outcome !== 'accepted') throw new Error('refused');
    const afterLead = catchUpDeadlines(foldEvents(lead.events), rules, '2024-04-30T16:00:00.000Z', NOW, {
      monotone: true,
      includeFrom: true,
    });
    expect(afterLead.state.alerts.map((a) => [a.deadlineId, a.raisedAt])).toEqual([
      ['lead_follow_up', '2024-05-31T16:00:00.000Z'],
    ]);
    const sign = decide(
      { type: 'Sign', data: { ...SIGN.data, contractDate: '2024-06-15' } },
      afterLead.state,
      { actor: officer, now: NOW },
    );
    if (sign.outcome !== 'accepted') throw new Error('refused');
    const signed = foldEvents(sign.events, afterLead.state);
    const from = '2024-06-14T16:00:00.000Z';
    const walked = catchUpDeadlines(signed, rules, from, NOW, { monotone: true, includeFrom: true });
    const ended = resolutionsAt(walked.state, rules, from, NOW);
    expect(
      ended.events.map((e) => [e.type, e.businessTime, (e.data as { deadlineId?: string }).deadlineId]),
    ).toEqual([
      ['AlertResolved', from, 'lead_follow_up'],
      ['LightChanged', from, 'lead_follow_up'],
    ]);
    // The signing's own deadlines were told on their days meanwhile.
    expect(timersOf(walked.events, 'land_after_signing')[1]).toEqual([
      'AlertRaised',
      '2024-09-15T16:00:00.000Z',
      1,
    ]);
  });

  it('stops at the cap of change points', () => {
    const signedOnly = foldEvents(record(row([SIGN]), { actor: officer, now: NOW }));
    const walk = catchUpDeadlines(signedOnly, rules, '2020-01-10T00:00:00.000Z', NOW, {
      monotone: true,
      maxChangePoints: 2,
    });
    expect(walk).toMatchObject({ changePoints: 2, truncated: true });
  });
});
