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
