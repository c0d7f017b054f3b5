import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startProcess, type ManagedProcess } from './managed-process';
import { waitForPort } from './ports';
import { temporalCliPath } from './tools';

/** Search attributes the project workflows set, so operators can find projects in the Web UI and CLI. */
export const PROJECT_SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Int' | 'Text' | 'Datetime' | 'Bool'> = {
  ProjectStage: 'Keyword',
  ProjectRegion: 'Keyword',
  IndustryChain: 'Keyword',
  SigningYear: 'Int',
  ProjectLight: 'Keyword',
};

/**
 * Temporal's dynamic configuration the app relies on, for the dev server and the cluster alike:
 * Updates (off by default on the dev server of this release), and eager activities, by which the
 * append activity reaches the worker with the reply to the workflow task that scheduled it rather
 * than through matching (a command's Update took about 90 ms without, 27 ms with; BENCHMARKS.md).
 */
export const TEMPORAL_DYNAMIC_CONFIG: Record<string, boolean> = {
  'frontend.enableUpdateWorkflowExecution': true,
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
  'system.enableActivityEagerExecution': true,
};

/**
 * The dev server's SQLite file in write-ahead-log mode, synced at checkpoints rather than at every
 * commit: still intact after the server process crashes (only a power loss may drop the last
 * commits), and a 1000-row 台账 import took 23.8 s instead of 37.3 s (the server's CPU a row 13.4 ms
 * instead of 25.3 ms; BENCHMARKS.md). In-memory dev servers (tests, the benchmark) have no file to sync.
 */
const DEV_SERVER_SQLITE_PRAGMAS: Record<string, string> = { journal_mode: 'wal', synchronous: 'normal' };

export interface RunningTemporal {
  address: string;
  uiUrl: string | null;
  namespace: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Temporal's dev server (real server, SQLite persistence, Web UI) from the CLI the project built. */
export async function startTemporalDevServer(options: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  onLine?: (line: string) => void;
}): Promise<RunningTemporal> {
  const cli = temporalCliPath();
  if (!existsSync(cli)) throw new Error(`Temporal CLI not found at ${cli}; run scripts/install-tools.sh`);
  const namespace = options.namespace ?? 'default';
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    for (const [pragma, value] of Object.entries(DEV_SERVER_SQLITE_PRAGMAS))
      args.push('--sqlite-pragma', `${pragma}=${value}`);
  }
  for (const [name, type] of Object.entries(PROJECT_SEARCH_ATTRIBUTES))
    args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(TEMPORAL_DYNAMIC_CONFIG))
    args.push('--dynamic-config-value', `${key}=${value}`);
  const proc = startProcess('temporal', cli, args, { onLine: (l) => options.onLine?.(l) });
  try {
    await Promise.race([
      waitForPort(options.port, '127.0.0.1', 120_000, 'Temporal'),
      proc.exited.then((code) => {
        throw new Error(`Temporal dev server exited (${code}) before it was ready`);
      }),
    ]);
    if (options.uiPort) await waitForPort(options.uiPort, '127.0.0.1', 60_000, 'Temporal Web UI');
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    namespace,
    process: proc,
    stop: () => proc.stop('SIGTERM', 20_000),
  };
}
