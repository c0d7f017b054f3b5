/**
 * N replicas of the API on one port: node dist/scripts/api-replicas.js <N>
 * A primary that forks N API processes (dist/apps/api/src/main.js) with Node's `cluster` module;
 * each one's listen on API_PORT is shared through the primary, which hands connections out round
 * robin. SIGTERM or SIGINT stops every replica and then the primary; a replica that exits on its
 * own stops the rest, so a supervisor (scripts/up.ts) sees the failure.
 */
import cluster from 'node:cluster';
import { join, resolve } from 'node:path';

const replicas = Number(process.argv[2] ?? '1');
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 64) {
  process.stderr.write(`usage: api-replicas <N> (1 to 64), not ${process.argv[2]}\n`);
  process.exit(2);
}

// Round robin on every platform (the OS's own balancing favours one process on Linux under light load).
cluster.schedulingPolicy = cluster.SCHED_RR;
cluster.setupPrimary({
  exec: join(resolve(__dirname, '..'), 'apps', 'api', 'src', 'main.js'),
  execArgv: ['--enable-source-maps'],
});

let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  const check = setInterval(() => {
    if (Object.keys(cluster.workers ?? {}).length === 0) {
      clearInterval(check);
      process.exit(code);
    }
  }, 100);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(0));
cluster.on('exit', (worker, code, signal) => {
  if (stopping) return;
  process.stderr.write(`api replica ${worker.id} exited (${code ?? signal}); stopping the others\n`);
  stop(1);
});
for (let i = 0; i < replicas; i++) cluster.fork({ API_REPLICA: String(i + 1) });
