import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../apps/api/src/app.factory';
import { DashboardQueries } from '../../apps/api/src/dashboard/dashboard.queries';
import { TargetsQueries } from '../../apps/api/src/targets/targets.queries';
import { generatePortfolio } from '../../test/support/portfolio';
import type { BenchContext } from '../lib/context';
import { msSince, percentile, type Figure, type Section } from '../lib/measure';
import type { BenchSection } from './index';
import { loadPortfolio } from './review';

const PROJECTS_AT_SCALE_1 = 100_000;
const AS_OF = '2025-09-30';
/** Requests per reader per run, after two untimed ones. */
const ROUNDS = 10;
const JWT_SECRET = 'bench-secret-not-for-production';
const GOAL = { atMost: 300, text: 'under 300 ms' };
const COUNTIES = ['420502', '420503', '420506', '420525'];

/** Who reads: the city's leader (every generated project), one county's leader, and an admin. */
const READERS = [
  { label: 'city leader', role: 'leader', regions: ['420500'], query: '' },
  { label: 'city leader, one county', role: 'leader', regions: ['420500'], query: '&region=420506' },
  { label: 'county leader', role: 'leader', regions: ['420506'], query: '' },
  { label: 'admin (all)', role: 'admin', regions: [] as string[], query: '' },
];

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
  const size = Math.max(100, Math.round(PROJECTS_AT_SCALE_1 * ctx.scale));
  const { url: databaseUrl, dataSource } = await ctx.freshDatabase(`dashboard_${size}`);
  const restore = setEnvironment({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    TEMPORAL_NAMESPACE: ctx.namespace,
    TEMPORAL_TASK_QUEUE: `bench-dashboard-${randomUUID()}`,
    JWT_SECRET,
    // Above a request's usual 5 s, so that a slow route is measured as slow rather than answered 503.
    DATABASE_STATEMENT_TIMEOUT_MS: '30000',
  });
  let app: INestApplication | undefined;
  try {
    ctx.log(`dashboard: generating and loading ${size} projects`);
    const loading = process.hrtime.bigint();
    await loadPortfolio(dataSource, generatePortfolio(size, 20_251_202 + size, AS_OF));
    // Every county and the city with targets for the year, so progress and ranking have work to do.
    await dataSource.query(
      `INSERT INTO region_targets (year, region, metric, target, updated_by, updated_at)
       SELECT 2025, r, m, t, 'bench', now()
       FROM unnest($1::text[]) AS r,
            (VALUES ('signed_projects', 2000), ('started_projects', 1500), ('landed_projects', 1800),
                    ('in_stats_projects', 500), ('new_started_100m_projects', 600),
                    ('funds_arrived', 5000000000)) AS v(m, t)`,
      [[...COUNTIES, '420500']],
    );
    const [{ funds }] = await dataSource.query<{ funds: string }[]>(
      `SELECT count(*)::text AS funds FROM project_funds`,
    );
    const loadMs = msSince(loading);
    ctx.log(`dashboard: loaded ${size} projects and ${funds} funds rows in ${(loadMs / 1000).toFixed(1)} s`);

    // Each statement alone on the loaded database, to see where the time goes.
    const parts = new Map<string, number[]>();
    {
      const queries = new DashboardQueries(dataSource);
      const targets = new TargetsQueries(dataSource);
      // As the route reads a past day: each project's stage and light on it.
      const reach = { actor: { id: 'bench', role: 'leader' as const, regions: ['420500'] }, on: AS_OF };
      const cohorts = {
        previous: { from: '2024-01-01', to: '2024-12-31' },
        current: { from: '2025-01-01', to: AS_OF },
        startedBy: AS_OF,
      };
      const statements: [string, () => Promise<unknown>][] = [
        ['counts', () => queries.counts(reach, cohorts)],
        ['red list', () => queries.redList(reach)],
        ['major projects', () => queries.majorProjects(reach)],
        [
          'funds by month (this year and the year before)',
          () =>
            queries.fundsByMonth(reach, [
              { from: '2025-01', to: '2025-09' },
              { from: '2024-01', to: '2024-09' },
            ]),
        ],
        [
          'targets of the year',
          () => targets.targetsOfYear(2025, { scope: { everywhere: false, codes: ['420500'] } }),
        ],
        ['actuals (targets)', () => targets.actuals([...COUNTIES, '420500'], AS_OF)],
      ];
      for (let i = 0; i < ctx.runs + 1; i++) {
        for (const [label, statement] of statements) {
          const started = process.hrtime.bigint();
          await statement();
          if (i > 0) parts.set(label, [...(parts.get(label) ?? []), msSince(started)]);
        }
      }
      for (const [label, samples] of parts) {
        ctx.log(`dashboard: ${label} alone: ${samples.map((s) => s.toFixed(0)).join(', ')} ms`);
      }
    }

    app = await createApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const jwt = new JwtService({ secret: JWT_SECRET });

    const figures = new Map<string, Figure>();
    const add = (label: string, value: number, extra: Partial<Figure> = {}) => {
      const figure = figures.get(label) ?? { label, unit: 'ms', samples: [], ...extra };
      figure.samples.push(value);
      figures.set(label, figure);
    };
    const covered = new Map<string, number>();
    for (let runIndex = 0; runIndex < ctx.runs; runIndex++) {
      const all: number[] = [];
      for (const reader of READERS) {
        const token = jwt.sign(
          { role: reader.role, regions: reader.regions },
          { subject: `bench-${reader.role}`, expiresIn: '1h' },
        );
        const get = async (): Promise<number> => {
          const started = process.hrtime.bigint();
          const res = await fetch(`${url}/api/dashboard?asOf=${AS_OF}${reader.query}`, {
            headers: { Authorization: `Bearer ${token}` },
          });
          const body = (await res.json()) as { projects?: { count: number } };
          const ms = msSince(started);
          if (res.status !== 200 || !body.projects) {
            throw new Error(`dashboard: ${reader.label} → ${res.status} ${JSON.stringify(body)}`);
          }
          covered.set(reader.label, body.projects.count);
          return ms;
        };
        await get();
        await get();
        const times: number[] = [];
        for (let round = 0; round < ROUNDS; round++) times.push(await get());
        all.push(...times);
        add(`${reader.label}: p50`, percentile(times, 50));
        add(`${reader.label}: p95`, percentile(times, 95), { goal: GOAL });
        ctx.log(
          `dashboard: run ${runIndex + 1}, ${reader.label} (${covered.get(reader.label)} projects): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`,
        );
      }
      add('every reader: p50', percentile(all, 50));
      add('every reader: p95', percentile(all, 95), { goal: GOAL });
    }
    for (const [label, samples] of parts)
      figures.set(`statement alone: ${label}`, { label: `statement alone: ${label}`, unit: 'ms', samples });
    return {
      id: 'dashboard',
      title: `领导驾驶舱: GET /api/dashboard over ${size} projects`,
      figures: [...figures.values()],
      notes: [
        `${size} projects of the test suite's generated portfolio (test/support/portfolio.ts) loaded in bulk as the review benchmark loads them, ${funds} funds rows, and targets for 2025 on the city and its four counties (loading took ${(loadMs / 1000).toFixed(1)} s, untimed).`,
        "Statements alone: each of the route's statements timed on its own over the loaded database for the city leader (420500): the counts, the red list, the ≥10 亿元 list and funds by month (DashboardQueries), and the targets' own targetsOfYear and actuals (TargetsQueries, which the progress route runs too).",
        `Each figure: ${ROUNDS} requests of \`GET /api/dashboard?asOf=${AS_OF}\` per reader, one at a time, after two untimed ones, measured as the client (Node fetch) sees them. Readers: ${READERS.map((r) => `${r.label} (${covered.get(r.label) ?? 0} projects)`).join(', ')}.`,
      ],
    };
  } finally {
    await app?.close();
    await dataSource.destroy();
    restore();
  }
}

export const dashboard: BenchSection = { id: 'dashboard', run };
