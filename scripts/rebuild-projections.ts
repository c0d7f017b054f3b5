/**
 * Rebuilds every projection of the event log (projects, project_funds, duplicate_confirmations) into
 * fresh tables (rebuild_*), diffs them against the live read model and reports.
 *   node dist/scripts/rebuild-projections.js [--drop] [--batch-size N] [--limit N] [--project ID]...
 * Reads DATABASE_URL. The rebuilt tables are kept for inspection unless --drop; --project limits the
 * diff to those projects (the rebuild always reads the whole log). Exits 0 when the rebuilt tables
 * equal the live ones, 1 on any difference, 2 on any error.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { BATCH_DATABASE_TIMEOUTS, loadEnvironment } from '../libs/config/src';
import {
  createDataSource,
  PROJECTIONS,
  rebuildAndDiffProjections,
  type ProjectionDiff,
  type RebuildProgress,
  type RebuildResult,
  type RowDifference,
} from '../libs/persistence/src';

const USAGE = 'usage: rebuild-projections [--drop] [--batch-size N] [--limit N] [--project ID]...\n';

export interface ScriptIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
}

/** Runs the command and returns its exit code; the process is left to the caller. */
export async function main(
  argv: string[],
  io: ScriptIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  let values: { drop?: boolean; 'batch-size'?: string; limit?: string; project?: string[] };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        drop: { type: 'boolean', default: false },
        'batch-size': { type: 'string', default: '10000' },
        limit: { type: 'string', default: '20' },
        project: { type: 'string', multiple: true },
      },
    }));
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const batchSize = Number(values['batch-size']);
  const limit = Number(values.limit);
  if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(limit) || limit < 1) {
    io.stderr.write(`--batch-size and --limit must be positive integers\n${USAGE}`);
    return 2;
  }

  try {
    const env = loadEnvironment(io.env);
    const dataSource = createDataSource(env.DATABASE_URL, {
      poolSize: 2,
      applicationName: 'rebuild-projections',
      timeouts: BATCH_DATABASE_TIMEOUTS,
    });
    await dataSource.initialize();
    try {
      const progress = progressReporter(io.stderr);
      const { rebuild, diff } = await rebuildAndDiffProjections(dataSource, {
        batchSize,
        limit,
        projectIds: values.project,
        onProgress: progress.update,
      });
      progress.done();
      io.stdout.write(report(rebuild, diff, values.project));
      if (values.drop) {
        for (const p of [...PROJECTIONS].reverse())
          await dataSource.query(`DROP TABLE IF EXISTS ${p.rebuilt}`);
        io.stdout.write('rebuilt tables dropped\n');
      } else {
        io.stdout.write(`rebuilt tables kept: ${PROJECTIONS.map((p) => p.rebuilt).join(', ')}\n`);
      }
      return diff.identical ? 0 : 1;
    } finally {
      await dataSource.destroy();
    }
  } catch (e) {
    io.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');

/** A redrawn bar on a terminal; elsewhere (logs, CI) a plain line every few seconds. */
function progressReporter(stderr: ScriptIo['stderr']) {
  const tty = Boolean(stderr.isTTY);
  let lastLine = 0;
  let drawn = false;
  return {
    update(p: RebuildProgress) {
      const rate = p.elapsedMs > 0 ? (p.events / p.elapsedMs) * 1000 : 0;
      const share = p.totalEvents > 0 ? Math.min(1, p.events / p.totalEvents) : 1;
      const figures = `${number(p.events)}/${number(p.totalEvents)} events, ${number(p.projects)} projects, ${number(rate)} events/s`;
      if (tty) {
        const width = Math.max(10, Math.min(40, (stderr.columns ?? 80) - figures.length - 10));
        const filled = Math.round(share * width);
        const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%`;
        stderr.write(`\r${bar} ${figures}\x1b[K`);
        drawn = true;
      } else if (p.elapsedMs - lastLine >= 2000 || share === 1) {
        lastLine = p.elapsedMs;
        stderr.write(`rebuild: ${(share * 100).toFixed(0)}% ${figures}\n`);
      }
    },
    done() {
      if (drawn) stderr.write('\n');
    },
  };
}

function describe(row: RowDifference): string {
  const key = Object.entries(row.key)
    .filter(([k]) => k !== 'project_id')
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  return `${row.projectId}${key}${row.columns.length > 0 ? `: ${row.columns.join(', ')}` : ''}`;
}

export function report(rebuild: RebuildResult, diff: ProjectionDiff, scope?: string[]): string {
  const lines = [
    `events     ${number(rebuild.events)}`,
    `projects   ${number(rebuild.projects)}`,
    `seconds    ${rebuild.seconds.toFixed(2)}`,
    `events/s   ${number(rebuild.eventsPerSecond)}`,
    '',
    scope ? `diff of ${scope.length} project(s):` : 'diff:',
  ];
  for (const t of diff.tables) {
    const same = t.missingInLive.count + t.missingInRebuild.count + t.differing.count === 0;
    lines.push(
      `  ${t.table} vs ${t.rebuiltTable}: ${number(t.liveRows)} live, ${number(t.rebuiltRows)} rebuilt, ${same ? 'identical' : 'DIFFERENT'}`,
    );
    for (const [label, part] of [
      ['missing in live', t.missingInLive],
      ['missing in rebuild', t.missingInRebuild],
      ['differing', t.differing],
    ] as const) {
      if (part.count === 0) continue;
      lines.push(`    ${label}: ${number(part.count)}`);
      for (const row of part.rows) lines.push(`      ${describe(row)}`);
      if (part.count > part.rows.length)
        lines.push(`      … and ${number(part.count - part.rows.length)} more`);
    }
  }
  lines.push(`  not compared: ${diff.notCompared}`);
  lines.push(diff.identical ? 'projections identical' : 'projections DIFFER');
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
