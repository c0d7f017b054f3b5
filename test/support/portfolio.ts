import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  addDays,
  addMonthsToMonth,
  initialState,
  makeEvent,
  monthOf,
  shanghaiStartOfDay,
  type InvestorType,
  type ProjectEvent,
  type ProjectState,
  type StageCode,
} from '../../libs/domain/src';
import {
  appendEvents,
  createDataSource,
  projectRowFromState,
  replaceProjectFunds,
  runMigrations,
  upsertProjectRow,
} from '../../libs/persistence/src';

/** A database of its own on the suite's PostgreSQL, migrated, so a review sees only what a test puts in. */
export async function freshDatabase(): Promise<DataSource> {
  const admin = createDataSource(process.env.TEST_DATABASE_URL!);
  await admin.initialize();
  const name = `review_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const dataSource = createDataSource(url.toString());
  await dataSource.initialize();
  await runMigrations(dataSource);
  return dataSource;
}

/** Closes a database made by freshDatabase and removes it. */
export async function dropDatabase(dataSource: DataSource): Promise<void> {
  const name = (dataSource.options as { url?: string }).url?.split('/').pop()?.split('?')[0];
  await dataSource.destroy();
  const admin = createDataSource(process.env.TEST_DATABASE_URL!);
  await admin.initialize();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.destroy();
}

/** A small deterministic generator (mulberry32), so a failing portfolio can be reproduced. */
export function random(seed: number): {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
} {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

export interface GeneratedProject {
  state: ProjectState;
  /** Alert events (deadline id, type, when) recorded for it. */
  alerts: {
    deadlineId: string;
    rule: string;
    type: 'AlertRaised' | 'AlertEscalated' | 'AlertResolved';
    at: string;
    rung: number;
  }[];
}

const REGIONS = ['420502', '420503', '420506', '420525'];
const CHAINS = ['新材料', '生物医药', '食品饮料', '先进装备制造'];
const INVESTORS: InvestorType[] = ['private', 'private', 'local_soe', 'central_soe', 'foreign'];
const AMOUNTS = [
  '3000000.00',
  '80000000.00',
  '150000000.00',
  '600000000.00',
  '1200000000.00',
  '4999999.99',
  '5000000.00',
];
const DEADLINES = [
  { id: 'land_after_signing', rule: 'land_after_signing' },
  { id: 'start_after_signing', rule: 'start_after_signing' },
  { id: 'blocker_due:B-1', rule: 'blocker_due' },
];

/**
 * Projects across regions, chains and signing years with stage dates on both sides of `asOf`,
 * funds by month (with adjustments), drops, and alert histories; what the review is tested on.
 */
/** Where a generated project stands: dropped, or the last step it has a date for. */
export function stageReached(
  dates: Record<'lead' | 'signed' | 'landed' | 'started' | 'in_stats' | 'producing', string | null>,
  dropped: string | null,
): StageCode {
  if (dropped) return 'dropped';
  const order = ['lead', 'signed', 'landed', 'started', 'in_stats', 'producing'] as const;
  return [...order].reverse().find((step) => dates[step] !== null) ?? 'lead';
}

export function generatePortfolio(count: number, seed: number, asOf: string): GeneratedProject[] {
  const r = random(seed);
  const out: GeneratedProject[] = [];
  for (let i = 0; i < count; i++) {
    const projectId = randomUUID();
    const leadDate = addDays(asOf, -r.int(-20, 1000));
    const next = (from: string | null, p: number): string | null =>
      from && r.chance(p) ? addDays(from, r.int(1, 260)) : null;
    const signedDate = next(leadDate, 0.8);
    const landedDate = next(signedDate, 0.75);
    const startedDate = next(landedDate, 0.8);
    const productionDate = next(startedDate, 0.5);
    const inStatsDate = next(startedDate, 0.6);
    const planned = r.pick(AMOUNTS);
    const contract = signedDate ? (r.chance(0.8) ? r.pick(AMOUNTS) : planned) : null;
    const fundsArrived: ProjectState['fundsArrived'] = [];
    if (startedDate) {
      let month = monthOf(startedDate);
      for (
        let k = 0;
        k < 18 && month <= monthOf(addDays(asOf, 90));
        k++, month = addMonthsToMonth(month, 1)
      ) {
        if (r.chance(0.45))
          fundsArrived.push({ version: fundsArrived.length + 2, month, amount: `${r.int(1, 3000)}0000.00` });
        if (r.chance(0.05))
          fundsArrived.push({ version: fundsArrived.length + 2, month, amount: '-10000.50' });
      }
    }
    const dropped = r.chance(0.08) ? addDays(leadDate, r.int(10, 900)) : null;
    const stage = stageReached(
      {
        lead: leadDate,
        signed: signedDate,
        landed: landedDate,
        started: startedDate,
        in_stats: inStatsDate,
        producing: productionDate,
      },
      dropped,
    );
    const total = fundsArrived.reduce((acc, f) => acc + BigInt(f.amount.replace('.', '')), 0n);
    const state: ProjectState = {
      ...initialState,
      exists: true,
      projectId,
      version: 1,
      stage,
      name: `项目${i}`,
      investor: { name: `投资方${i}`, type: r.pick(INVESTORS), flags: [] },
      industryChain: r.pick(CHAINS),
      region: r.pick(REGIONS),
      industrial: r.chance(0.7),
      plannedInvestment: planned,
      source: '以商招商',
      contractInvestment: contract,
      leadDate,
      signedDate,
      landedDate,
      startedDate,
      inStatsDate,
      productionDate,
      productionScope: productionDate ? 'partial' : null,
      droppedDate: dropped,
      fundsArrived,
      fundsArrivedTotal: `${total < 0n ? '-' : ''}${(total < 0n ? -total : total) / 100n}.${String((total < 0n ? -total : total) % 100n).padStart(2, '0')}`,
    };
    const alerts: GeneratedProject['alerts'] = [];
    if (signedDate && r.chance(0.4)) {
      const d = r.pick(DEADLINES);
      const raisedAt = addDays(asOf, r.int(-200, 40));
      alerts.push({ deadlineId: d.id, rule: d.rule, type: 'AlertRaised', at: raisedAt, rung: 1 });
      if (r.chance(0.5))
        alerts.push({
          deadlineId: d.id,
          rule: d.rule,
          type: 'AlertEscalated',
          at: addDays(raisedAt, r.int(5, 60)),
          rung: 2,
        });
      if (r.chance(0.4))
        alerts.push({
          deadlineId: d.id,
          rule: d.rule,
          type: 'AlertResolved',
          at: addDays(raisedAt, r.int(1, 120)),
          rung: 0,
        });
      alerts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    }
    out.push({ state, alerts });
  }
  return out;
}

/** The alert events a generated project records, as the workflows would write them. */
export function alertEvents(alerts: GeneratedProject['alerts']): ProjectEvent[] {
  return alerts.map((a) => {
    const at = shanghaiStartOfDay(a.at);
    if (a.type === 'AlertRaised')
      return makeEvent('AlertRaised', at, {
        deadlineId: a.deadlineId,
        rule: a.rule,
        step: 'land',
        dueDate: addDays(a.at, -1),
        rung: 1,
        addressee: { kind: 'service_officer', role: 'officer', label: '服务专员' },
        light: 'yellow',
      });
    if (a.type === 'AlertEscalated')
      return makeEvent('AlertEscalated', at, {
        deadlineId: a.deadlineId,
        fromRung: 1,
        rung: 2,
        addressee: { kind: 'chief_service_officer', role: 'chief_officer', label: '首席服务官' },
      });
    return makeEvent('AlertResolved', at, { deadlineId: a.deadlineId, resolution: 'met', rung: 1 });
  });
}

/** Writes the projects' read-model rows, funds and alert events. */
export async function storePortfolio(dataSource: DataSource, projects: GeneratedProject[]): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const { state, alerts } of projects) {
      await upsertProjectRow(manager, projectRowFromState(state, '2025-01-01T00:00:00.000Z'));
      await replaceProjectFunds(manager, state);
      if (alerts.length === 0) continue;
      const events = alertEvents(alerts);
      await appendEvents(manager, {
        projectId: state.projectId!,
        expectedVersion: 0,
        events: events.map((event) => ({
          eventId: randomUUID(),
          type: event.type,
          schemaVersion: event.schemaVersion,
          businessTime: event.businessTime,
          data: event.data,
        })),
        actor: { id: 'system', role: 'system' },
        commandId: `portfolio-${state.projectId}`,
        workflowId: `project-${state.projectId}`,
        runId: 'generated',
        recordedAt: new Date('2025-01-01T00:00:00.000Z'),
      });
    }
  });
}
