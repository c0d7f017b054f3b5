import type { Actor } from '../../libs/domain/src';
import { getDeadlines } from '../../libs/workflow-interface/src';
import {
  eventsOf,
  ProjectDriver,
  shanghaiDay,
  startTimeSkipping,
  type TimeSkippingSystem,
} from '../support/time-skipping';

/**
 * Months of deadlines in seconds, on Temporal's time-skipping server with its clock started in
 * August 2025, so the 入统 deadline falls due on the eve of the National Day holidays.
 */
const REGION = '420506';
const officer: Actor = { id: 'officer-1', role: 'officer', regions: [REGION] };
const leader: Actor = { id: 'leader-1', role: 'leader', regions: ['420500'] };

/** Lead, signing, landing and construction all on 2025-08-29: 入统 is due a month later, on 2025-09-29. */
async function startedProject(system: TimeSkippingSystem): Promise<ProjectDriver> {
  const p = await ProjectDriver.start(system.env.client, system.taskQueue);
  await p.send(officer, {
    type: 'RegisterLead',
    data: {
      projectId: p.projectId,
      name: '年产2万吨食品级磷酸盐项目',
      investor: { name: '某某化工有限公司', type: 'private', flags: [] },
      industryChain: '精细化工',
      region: REGION,
      park: null,
      industrial: true,
      plannedInvestment: '50000000',
      source: '以商招商',
      leadDate: '2025-08-29',
    },
  });
  await p.send(officer, {
    type: 'Sign',
    data: {
      contractDate: '2025-08-29',
      contractInvestment: '50000000',
      contractNumber: `HT-${p.projectId.slice(0, 8)}`,
    },
  });
  await p.send(officer, {
    type: 'Land',
    data: {
      creditCode: '914403001922038216',
      landedDate: '2025-08-29',
      site: { kind: 'lease', leaseContractNumber: 'ZL-2025-017' },
    },
  });
  await p.send(officer, {
    type: 'StartConstruction',
    data: {
      startDate: '2025-08-29',
      evidence: { kind: 'construction_permit', permitNumber: '420506202508290001' },
    },
  });
  return p;
}

/** Each alert, escalation and light change of one deadline, by the Shanghai day it was recorded. */
async function timeline(system: TimeSkippingSystem, p: ProjectDriver, deadlineId: string): Promise<string[]> {
  const events = await eventsOf(system.dataSource, p.projectId, [
    'AlertRaised',
    'AlertEscalated',
    'AlertResolved',
    'LightChanged',
  ]);
  return events
    .filter((e) => (e.data as { deadlineId: string }).deadlineId === deadlineId)
    .map((e) => {
      const d = e.data as {
        rung?: number;
        to?: string;
        light?: string;
        resolution?: string;
        addressee?: { kind: string };
      };
      const what =
        e.type === 'LightChanged'
          ? `light ${d.to}`
          : e.type === 'AlertResolved'
            ? `resolved ${d.resolution}`
            : e.type === 'AlertRaised'
              ? `alert rung ${d.rung} to ${d.addressee?.kind}, light ${d.light}`
              : `escalated rung ${d.rung} to ${d.addressee?.kind}`;
      return `${shanghaiDay(e.recordedAt)} ${what}`;
    });
}

let system: TimeSkippingSystem;
let plain: ProjectDriver;
let extended: ProjectDriver;
let completed: ProjectDriver;

beforeAll(async () => {
  // 2025-08-29 09:00 in Shanghai.
  system = await startTimeSkipping('2025-08-29 01:00:00');
  [plain, extended, completed] = await Promise.all([
    startedProject(system),
    startedProject(system),
    startedProject(system),
  ]);
}, 180_000);
afterAll(() => system?.stop(), 60_000);

const DEADLINE = 'statistics_after_start';

describe('deadline timers, alerts and escalation, across the 2025 National Day holidays', () => {
  it('is not overdue before the due date, and says when it will next change', async () => {
    const view = await plain.handle.query(getDeadlines);
    const d = view.deadlines.find((x) => x.id === DEADLINE);
    expect(d).toMatchObject({ dueDate: '2025-09-29', overdue: false, rung: 0, light: 'green' });
    expect(view.nextChangeAt).not.toBeNull();
  });

  it('alerts the service officer the day after the due date', async () => {
    await system.sleepUntil('2025-10-01T01:00:00.000Z');
    for (const p of [plain, extended, completed]) {
      expect(await timeline(system, p, DEADLINE)).toEqual([
        '2025-09-30 alert rung 1 to service_officer, light yellow',
      ]);
    }
  }, 120_000);

  it('moves the alert when a leader extends the deadline, and stops it when the step is done', async () => {
    await extended.send(leader, {
      type: 'ExtendDeadline',
      data: { deadlineId: DEADLINE, newDueDate: '2025-10-31', reason: '统计部门国庆假期后集中审核' },
    });
    await system.sleepUntil('2025-10-10T01:00:00.000Z');
    await completed.send(officer, {
      type: 'EnterStatistics',
      data: { statisticsCode: '4205062025000456', inStatsDate: '2025-10-09' },
    });
  }, 120_000);

  it('escalates rung by rung on the working-day schedule: 5, then 10, then 20 working days', async () => {
    await system.sleepUntil('2025-12-15T01:00:00.000Z');
    // 5 working days after 2025-09-30, across 10-01..10-08 off and the 10-11 make-up day, is 10-14;
    // 10 more is 10-28; 20 more is 11-25.
    expect(await timeline(system, plain, DEADLINE)).toEqual([
      '2025-09-30 alert rung 1 to service_officer, light yellow',
      '2025-10-14 escalated rung 2 to deputy_leader',
      '2025-10-14 light red',
      '2025-10-28 escalated rung 3 to deputy_leader',
      '2025-11-25 escalated rung 4 to principal_leader',
    ]);
  }, 180_000);

  it('after an extension, alerts again only once the new date has passed', async () => {
    const days = await timeline(system, extended, DEADLINE);
    expect(days.slice(0, 3)).toEqual([
      '2025-09-30 alert rung 1 to service_officer, light yellow',
      '2025-10-01 resolved extended',
      '2025-10-01 light green',
    ]);
    // Overdue again from 2025-11-01; 5 working days later (11-03..11-07) is 11-07, 10 more is 11-21.
    expect(days.slice(3)).toEqual([
      '2025-11-01 alert rung 1 to service_officer, light yellow',
      '2025-11-07 escalated rung 2 to deputy_leader',
      '2025-11-07 light red',
      '2025-11-21 escalated rung 3 to deputy_leader',
    ]);
  });

  it('stops escalating once the step is done', async () => {
    expect(await timeline(system, completed, DEADLINE)).toEqual([
      '2025-09-30 alert rung 1 to service_officer, light yellow',
      '2025-10-10 resolved met',
      '2025-10-10 light green',
    ]);
    const state = await completed.handle.query('getState');
    expect(state).toMatchObject({ stage: 'in_stats', light: 'green', alerts: [] });
  });

  it('queues every alert and escalation in the outbox, once', async () => {
    const rows = await system.dataSource.query<{ kind: string; rung: number; n: string }[]>(
      `SELECT kind, rung, count(*) AS n FROM outbox WHERE project_id = $1 GROUP BY kind, rung ORDER BY rung`,
      [plain.projectId],
    );
    expect(rows.map((r) => [r.kind, r.rung, Number(r.n)])).toEqual([
      ['alert', 1, 1],
      ['escalation', 2, 1],
      ['escalation', 3, 1],
      ['escalation', 4, 1],
    ]);
  });
});
