import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  pinnedVersions,
  repoRoot,
  startEmbeddedPostgres,
  startTemporalDevServer,
  temporalCliPath,
} from '@app/local-stack';
import { BATCH_DATABASE_TIMEOUTS } from '@app/config';
import { createDataSource, runMigrations } from '@app/persistence';
import type { BenchContext } from './lib/context';
import type { Section } from './lib/measure';
import { describeMachine, markdown, sectionText } from './lib/report';
import { SECTIONS } from './sections';

const USAGE = `npm run bench -- [--only id,id] [--runs N] [--scale F] [--no-write]
sections: ${SECTIONS.map((s) => s.id).join(', ') || '(none)'}`;

function parse(argv: string[]): { only: string[] | null; runs: number; scale: number; write: boolean } {
  const opts = { only: null as string[] | null, runs: 5, scale: 1, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') opts.only = argv[++i].split(',');
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--scale') opts.scale = Number(argv[++i]);
    else if (a === '--no-write') opts.write = false;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!(opts.runs >= 1) || !(opts.scale > 0)) throw new Error(`--runs must be ≥ 1 and --scale > 0\n${USAGE}`);
  return opts;
}

/**
 * Starts a PostgreSQL and a Temporal dev server of its own on free ports, runs each benchmark section
 * in turn (never two at once: they would share the CPUs), prints the figures and writes
 * BENCHMARKS.md with the machine's description.
 */
async function main(): Promise<void> {
  const opts = parse(process.argv.slice(2));
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-bench-'));
  const startedAt = new Date().toISOString();
  log(`starting PostgreSQL and Temporal under ${dir}`);
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'bench' });
  const temporal = await startTemporalDevServer({ port: await freePort() });
  const admin = createDataSource(pg.url);
  await admin.initialize();
  const [{ version }] = await admin.query<{ version: string }[]>(
    `SELECT split_part(version(), ' on ', 1) AS version`,
  );
  const ctx: BenchContext = {
    postgresUrl: pg.url,
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    temporalPid: temporal.process.child.pid,
    runs: opts.runs,
    scale: opts.scale,
    log,
    async freshDatabase(label) {
      const name = `${label.replace(/[^a-z0-9_]/gi, '_')}_${randomUUID().slice(0, 8)}`.toLowerCase();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(pg.url);
      url.pathname = `/${name}`;
      const dataSource = createDataSource(url.toString(), {
        poolSize: 20,
        applicationName: `bench-${label}`,
        timeouts: BATCH_DATABASE_TIMEOUTS,
      });
      await dataSource.initialize();
      await runMigrations(dataSource);
      return { url: url.toString(), dataSource };
    },
  };
  const sections: Section[] = [];
  try {
    for (const section of SECTIONS) {
      if (opts.only && !opts.only.includes(section.id)) continue;
      log(`running ${section.id}`);
      const result = await section.run(ctx);
      sections.push(result);
      process.stdout.write(`${sectionText(result)}\n\n`);
    }
  } finally {
    await admin.destroy();
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const temporalVersion = execFileSync(temporalCliPath(), ['--version']).toString().trim();
  const machine = describeMachine(
    version,
    `${temporalVersion} (dev server); Java test server ${pinnedVersions().temporalTestServer} unused`,
  );
  if (opts.write) {
    const file = join(repoRoot(), 'BENCHMARKS.md');
    writeFileSync(
      file,
      markdown(machine, sections, `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), startedAt),
    );
    log(`wrote ${file}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
