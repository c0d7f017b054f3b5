import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { eventRowParams, INSERT_EVENT_ROWS, rebuildProjections, type EventRow } from '@app/persistence';
import { verifyChains } from '@app/audit-integrity';
import type { BenchContext } from '../lib/context';
import { msSince, repeat, summarize, type Figure, type Section } from '../lib/measure';
import { chainedRows, projectHistory } from '../lib/project-history';
import type { BenchSection } from './index';

const EVENTS_PER_PROJECT = 100;
// Projects per INSERT: about 10 000 rows a statement.
const PROJECTS_PER_STATEMENT = 100;

/**
 * Writes `projects` streams of realistic histories straight into events and event_streams: the rows
 * appendEvents would write (same columns, same hash chain), built and hashed here and inserted with
 * unnest, the next chunk hashed while the server inserts the last.
 */
export async function generateEvents(
  dataSource: DataSource,
  projects: number,
  log: (m: string) => void,
): Promise<number> {
  const recordedFrom = Date.parse('2023-01-02T01:00:00.000Z');
  const inFlight: Promise<unknown>[] = [];
  let events = 0;
  const started = process.hrtime.bigint();
  for (let first = 0; first < projects; first += PROJECTS_PER_STATEMENT) {
    const rows: EventRow[] = [];
    const heads: { projectId: string; version: number; hash: string }[] = [];
    for (let i = first; i < Math.min(projects, first + PROJECTS_PER_STATEMENT); i++) {
      const projectId = randomUUID();
      const chain = chainedRows(
        projectId,
        projectHistory(projectId, i, EVENTS_PER_PROJECT, 90_000 + i),
        recordedFrom,
      );
      const last = chain[chain.length - 1];
      heads.push({ projectId, version: last.version, hash: last.hash });
      rows.push(...chain);
    }
    events += rows.length;
    while (inFlight.length >= 2) await inFlight.shift();
    inFlight.push(
      dataSource.transaction(async (manager) => {
        await manager.query(INSERT_EVENT_ROWS, eventRowParams(rows));
        await manager.query(
          `INSERT INTO event_streams (project_id, version, head_hash, updated_at)
           SELECT p, v, h, now() FROM unnest($1::text[], $2::int[], $3::char(64)[]) AS t(p, v, h)`,
          [heads.map((h) => h.projectId), heads.map((h) => h.version), heads.map((h) => h.hash)],
        );
      }),
    );
    if ((first / PROJECTS_PER_STATEMENT) % 20 === 19)
      log(`rebuild-verify: ${events} events written (${(msSince(started) / 1000).toFixed(0)} s)`);
  }
  await Promise.all(inFlight);
  await dataSource.query(`VACUUM ANALYZE events`);
  await dataSource.query(`VACUUM ANALYZE event_streams`);
  return events;
}

async function run(ctx: BenchContext): Promise<Section> {
  const projects = Math.max(10, Math.round(10_000 * ctx.scale));
  const { dataSource } = await ctx.freshDatabase('rebuild_verify');
  try {
    ctx.log(`rebuild-verify: generating ${projects} projects × ${EVENTS_PER_PROJECT} events`);
    const genStart = process.hrtime.bigint();
    const total = await generateEvents(dataSource, projects, ctx.log);
    const generateSeconds = msSince(genStart) / 1000;
    ctx.log(`rebuild-verify: ${total} events in ${generateSeconds.toFixed(1)} s`);

    const rebuild: number[] = [];
    const rebuildNote: string[] = [];
    await repeat(ctx.runs, async (i) => {
      const start = process.hrtime.bigint();
      const result = await rebuildProjections(dataSource);
      const seconds = msSince(start) / 1000;
      if (result.events !== total || result.projects !== projects)
        throw new Error(`rebuild-verify: rebuilt ${result.events} events into ${result.projects} projects`);
      rebuild.push(result.events / seconds);
      rebuildNote[0] = `${result.projects} projects, ${result.fundsRows} funds rows`;
      ctx.log(`rebuild-verify: rebuild run ${i + 1}: ${(result.events / seconds).toFixed(0)} events/s`);
    });

    const verify: number[] = [];
    await repeat(ctx.runs, async (i) => {
      const start = process.hrtime.bigint();
      const report = await verifyChains(dataSource.manager);
      const seconds = msSince(start) / 1000;
      if (!report.ok || report.events !== total)
        throw new Error(
          `rebuild-verify: verification found ${report.broken.length} broken chains over ${report.events} events`,
        );
      verify.push(report.events / seconds);
      ctx.log(`rebuild-verify: verification run ${i + 1}: ${(report.events / seconds).toFixed(0)} events/s`);
    });

    const figures: Figure[] = [
      {
        label: `rebuilding every projection from ${total} events`,
        unit: 'events/s',
        samples: rebuild,
        goal: { atLeast: 50_000, text: '50 000 events/s or more' },
      },
      {
        label: `verifying ${total} chained events`,
        unit: 'events/s',
        samples: verify,
        goal: { atLeast: 200_000, text: '200 000 events/s or more' },
      },
    ];
    return {
      id: 'rebuild-verify',
      title: 'Rebuilding projections and verifying the hash chains',
      figures,
      notes: [
        `${projects} projects × ${EVENTS_PER_PROJECT} events (a lead, assignments, transitions up to a random stage, visits, blockers, funds, extensions and alerts raised, turning red, escalated and resolved), written in bulk as appendEvents would write them, hash chain and stream heads included (${generateSeconds.toFixed(0)} s to generate). Rebuild: ${rebuildNote[0]}; verification found every chain intact.`,
        "Verification, profiled (CPU profiles over 100 000, then 1 000 000 events): at first 43 000 events/s, with canonical JSON 36 % (each event hashed twice: once to check it, once for the recomputed chain), garbage collection 14 %, pg row parsing about 15 %, SHA-256 about 8 %, waiting for the next batch 13 %. Changed: one hash per event (while the chain is intact the stored link is the recomputed one, so the same digest serves both; a broken chain still recomputes separately); canonicalJson as plain loops, and the event's fields serialised in their fixed sorted order without sorting their names each time; the next batch read while this one is hashed; then one-shot SHA-256 (crypto.hash), strings quoted directly when nothing in them needs escaping, and no copy of each row without its hash. The serialisation is unchanged (a spec pins a hash written before). One million events went from 23 s to 8.5 s on one thread.",
        'What bounds verification is the CPU of this 2-core machine. Per event one Node thread still spends about 8 µs: SHA-256 of the ~700-byte serialisation 1.5 µs, canonical JSON 2.5 µs, pg row decoding 2.5 µs, garbage collection 1.5 µs; the PostgreSQL backend reading the log in stream order keeps most of the other core busy. A trial splitting the walk over two worker threads, each reading a range of projects on one exported snapshot, reached 150 000 events/s (6.6 s a million) with both cores saturated, so it was not kept. Hashing inside PostgreSQL was tried too: building the same serialisation in SQL costs about 6 µs a row (to_json of eight text fields alone 2.7 µs), no cheaper. 200 000 events/s means 10 µs of CPU per event in all, database included, across both cores; a machine with four or more cores would reach it by splitting the walk over project ranges as in the trial.',
        "Rebuild, profiled: evolve copied the state's event log into every new state, so a 100-event stream copied about 5 000 entries; the rebuild now keeps each stream's log aside while folding (evolve never reads it) and puts it back before writing the row, so the rows are the ones evolve alone gives (rebuild-projections tests unchanged and green). What remains is evolve's copy of the whole state object per event, pg row parsing, and the server reading the log and writing the rows on the same two cores.",
        `rebuildProjections(dataSource) (one REPEATABLE READ snapshot: read in global order, fold, write rebuild_projects and rebuild_project_funds, primary keys and ANALYZE) and verifyChains(dataSource.manager) (every event's hash recomputed from its content, every stream head checked), timed end to end; median rebuild ${summarize(rebuild).median.toFixed(0)} events/s, verification ${summarize(verify).median.toFixed(0)} events/s.`,
      ],
    };
  } finally {
    await dataSource.destroy();
  }
}

export const rebuildVerify: BenchSection = { id: 'rebuild-verify', run };
