import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { foldEvents, INVESTOR_FLAGS, INVESTOR_TYPES } from '@app/domain';
import { projectRowFromState } from '@app/persistence';
import { createApp } from '../../apps/api/src/app.factory';
import { random } from '../../test/support/portfolio';
import type { BenchContext } from '../lib/context';
import { msSince, percentile, type Figure, type Section } from '../lib/measure';
import { projectHistory } from '../lib/project-history';
import type { BenchSection } from './index';

const PROJECTS_AT_SCALE_1 = 10_000;
const EVENTS_PER_PROJECT = 20;
const ROWS_PER_STATEMENT = 500;
/** Rounds over the filter list per run, after one untimed round. */
const ROUNDS = 4;
const JWT_SECRET = 'bench-secret-not-for-production';
const GOAL = { atMost: 300, text: 'at most 300 ms' };

/** Two cities' counties: the read model spans more than any one reader's scope. */
const COUNTIES = ['420502', '420503', '420504', '420505', '420506', '420525', '420526', '420527'];
const OTHER_CITY = ['420602', '420606', '420607', '420624'];
const PARKS = ['宜昌高新区', '猇亭工业园', '白洋工业园', '枝江经开区', null];

/** Who reads: a county's officer, the city's leader, and an auditor who reads every project. */
const READERS = [
  { label: 'county officer', role: 'officer', regions: ['420506'] },
  { label: 'city leader', role: 'leader', regions: ['420500'] },
  { label: 'auditor (all)', role: 'auditor', regions: [] as string[] },
];

/** The filter changes an officer makes in the ledger, each one a fresh list with its 合计. */
const FILTERS = [
  '',
  'stage=signed,landed',
  'region=420506',
  'light=red,yellow&overdue=true',
  'industrial=false&investorType=foreign,hk_macao_taiwan',
  'investorFlag=fortune_global_500,china_top_500',
  `park=${encodeURIComponent('猇亭工业园')}`,
  'serviceOfficerId=officer-7',
  'chiefServiceOfficerId=chief-3&industrial=true',
  'sizeBand=1b_plus&sort=-investment',
  `q=${encodeURIComponent('新材料项目12')}`,
  'signingYear=2024&sort=signedDate',
  `industryChain=${encodeURIComponent('生物医药')}&sort=name`,
];

/**
 * Realistic rows (the fold of generated histories, as the projection writes them), then attributes
 * drawn across every investor type, flag, park and two cities, inserted straight into the read model.
 */
async function seed(ctx: BenchContext, dataSource: import('typeorm').DataSource, projects: number) {
  const r = random(31_337);
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await dataSource.query(
      `INSERT INTO projects SELECT * FROM jsonb_populate_recordset(NULL::projects, $1::jsonb)`,
      [JSON.stringify(batch)],
    );
    batch = [];
  };
  for (let i = 0; i < projects; i++) {
    const projectId = randomUUID();
    const state = foldEvents(projectHistory(projectId, i, EVENTS_PER_PROJECT, 70_000 + i));
    const row = projectRowFromState(state, new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString());
    const flags = INVESTOR_FLAGS.filter(() => r.chance(0.12));
    batch.push({
      ...row,
      state: state,
      region: r.chance(0.75) ? r.pick(COUNTIES) : r.pick(OTHER_CITY),
      park: r.pick(PARKS),
      investor_type: r.pick(INVESTOR_TYPES),
      investor_flags: flags,
    });
    if (batch.length === ROWS_PER_STATEMENT) await flush();
  }
  await flush();
  await dataSource.query(
    `INSERT INTO people (person_id, name, role, regions, updated_by)
     SELECT 'officer-' || n, '专员' || n, 'officer', ARRAY['420506'], 'bench' FROM generate_series(0, 49) n
     UNION ALL
     SELECT 'chief-' || n, '首席' || n, 'chief_officer', ARRAY['420500'], 'bench' FROM generate_series(0, 9) n`,
  );
  await dataSource.query('ANALYZE projects');
  ctx.log(`ledger: ${projects} projects in the read model`);
}

function setEnvironment(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

async function run(ctx: BenchContext): Promise<Section> {
  const projects = Math.max(100, Math.round(PROJECTS_AT_SCALE_1 * ctx.scale));
  const { url: databaseUrl, dataSource } = await ctx.freshDatabase('ledger');
  const restore = setEnvironment({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    TEMPORAL_NAMESPACE: ctx.namespace,
    TEMPORAL_TASK_QUEUE: `bench-ledger-${randomUUID()}`,
    JWT_SECRET,
  });
  let app: INestApplication | undefined;
  try {
    const seeding = process.hrtime.bigint();
    await seed(ctx, dataSource, projects);
    const seedMs = msSince(seeding);
    app = await createApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const jwt = new JwtService({ secret: JWT_SECRET });

    const figures = new Map<string, Figure>();
    const add = (label: string, unit: string, value: number, extra: Partial<Figure> = {}) => {
      const figure = figures.get(label) ?? { label, unit, samples: [], ...extra };
      figure.samples.push(value);
      figures.set(label, figure);
    };
    const counts = new Map<string, number>();
    for (let runIndex = 0; runIndex < ctx.runs; runIndex++) {
      const all: number[] = [];
      const byFilter = new Map<string, number[]>();
      for (const reader of READERS) {
        const token = jwt.sign(
          { role: reader.role, regions: reader.regions },
          { subject: `bench-${reader.role}`, expiresIn: '1h' },
        );
        const get = async (filter: string): Promise<number> => {
          const started = process.hrtime.bigint();
          const res = await fetch(`${url}/api/projects?limit=20${filter ? `&${filter}` : ''}`, {
            headers: { Authorization: `Bearer ${token}` },
          });
          const body = (await res.json()) as { totals?: { count: number }; items?: unknown[] };
          const ms = msSince(started);
          if (res.status !== 200 || !body.totals) {
            throw new Error(`ledger: ${filter} → ${res.status} ${JSON.stringify(body)}`);
          }
          counts.set(`${reader.label} ${filter}`, body.totals.count);
          return ms;
        };
        for (const filter of FILTERS) await get(filter); // warm
        const times: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          for (const filter of FILTERS) {
            const ms = await get(filter);
            times.push(ms);
            byFilter.set(filter, [...(byFilter.get(filter) ?? []), ms]);
          }
        }
        all.push(...times);
        add(`${reader.label}: p50`, 'ms', percentile(times, 50));
        add(`${reader.label}: p95`, 'ms', percentile(times, 95), { goal: GOAL });
      }
      add('every reader: p50', 'ms', percentile(all, 50));
      add('every reader: p95', 'ms', percentile(all, 95), { goal: GOAL });
      add('every reader: max', 'ms', Math.max(...all));
      for (const [filter, times] of byFilter) {
        add(`${decodeURIComponent(filter) || 'no filter'}: p50`, 'ms', percentile(times, 50));
      }
    }
    const scoped = (label: string) =>
      FILTERS.map((f) => counts.get(`${label} ${f}`) ?? 0).reduce((a, b) => Math.max(a, b), 0);
    return {
      id: 'ledger',
      title: '台账: the project list over 10,000 projects',
      figures: [...figures.values()],
      notes: [
        `${projects} projects written straight into the read model (the fold of generated histories of ${EVENTS_PER_PROJECT} events, as the projection writes them; seeding took ${(seedMs / 1000).toFixed(1)} s, untimed), spread over 12 counties of two cities, every stage, investor type and flag, 5 parks, 50 service officers and 10 chief service officers in the people directory.`,
        `Each figure: ${ROUNDS} rounds of ${FILTERS.length} filter changes (none; stage; region; light and overdue; industrial and investor type; investor flags; park; 服务专员; 首席服务官; size band sorted by investment; text; signing year sorted by date; chain sorted by name), each a \`GET /api/projects?limit=20&…\` answered with its page, the officers' names and the 合计 of the whole filtered list; one untimed round first. Measured as the client (Node fetch) sees it, one request at a time.`,
        `Readers: a county's officer (the largest filtered list ${scoped('county officer')} projects), the city's leader (${scoped('city leader')}) and an auditor, who reads all ${projects}.`,
      ],
    };
  } finally {
    await app?.close();
    await dataSource.destroy();
    restore();
  }
}

export const ledger: BenchSection = { id: 'ledger', run };
