import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, waitForLine, type ManagedProcess } from './managed-process';
import { repoRoot } from './tools';

export interface RunningPostgres {
  url: string;
  port: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts the embedded PostgreSQL in its own process and resolves once it accepts connections. */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  onLine?: (line: string) => void;
}): Promise<RunningPostgres> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o755 });
  const proc = startProcess(
    'postgres',
    process.execPath,
    [
      join(repoRoot(), 'tools', 'embedded-postgres.mjs'),
      join(options.dataDir, 'pg'),
      String(options.port),
      options.database ?? 'lifecycle',
    ],
    { onLine: (line, stream) => (stream === 'stderr' ? options.onLine?.(line) : undefined), detached: false },
  );
  const line = await waitForLine(proc, (l) => l.startsWith('{"ready":true'), 120_000);
  const { url } = JSON.parse(line) as { url: string };
  return { url, port: options.port, process: proc, stop: () => proc.stop('SIGTERM', 20_000) };
}
