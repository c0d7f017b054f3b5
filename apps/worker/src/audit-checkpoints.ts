import type { DataSource } from 'typeorm';
import type { Environment } from '@app/config';
import { createCheckpoint } from '@app/persistence';

/**
 * Checkpoints every chain head every AUDIT_CHECKPOINT_INTERVAL_MINUTES, so an auditor always has a
 * recent signed digest to take away. A failed checkpoint (a broken chain) is reported, not retried
 * until the next interval.
 */
export function startAuditCheckpoints(
  dataSource: DataSource,
  env: Pick<Environment, 'AUDIT_CHECKPOINT_INTERVAL_MINUTES' | 'AUDIT_SIGNING_KEY'>,
  log: (line: Record<string, unknown>) => void = (line) => process.stdout.write(JSON.stringify(line) + '\n'),
): { stop(): Promise<void> } | null {
  if (env.AUDIT_CHECKPOINT_INTERVAL_MINUTES === 0) return null;
  let running: Promise<void> = Promise.resolve();
  const take = () => {
    running = createCheckpoint(dataSource, env.AUDIT_SIGNING_KEY)
      .then((d) =>
        log({
          level: 'info',
          msg: 'audit checkpoint',
          checkpointId: d.checkpointId,
          merkleRoot: d.merkleRoot,
        }),
      )
      .catch((e: unknown) => log({ level: 'error', msg: 'audit checkpoint failed', error: String(e) }));
  };
  const timer = setInterval(take, env.AUDIT_CHECKPOINT_INTERVAL_MINUTES * 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
