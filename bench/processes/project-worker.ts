import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createDataSource } from '@app/persistence';
import { createProjectWorker } from '../../apps/worker/src/worker';

/**
 * The project worker alone in a process of its own, so its memory and CPU can be read apart from the
 * benchmark's clients. Arguments: Temporal address, namespace, task queue, database URL. Answers
 * `sample` messages on the IPC channel with its memory and CPU use; `stop` drains and exits.
 */
async function main(): Promise<void> {
  const [address, namespace, taskQueue, databaseUrl] = process.argv.slice(2);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataSource = createDataSource(databaseUrl, { applicationName: 'bench-sleeping-worker' });
  await dataSource.initialize();
  const connection = await NativeConnection.connect({ address });
  const worker = await createProjectWorker({ connection, namespace, taskQueue, dataSource });
  const running = worker.run();
  process.on('message', (message: string) => {
    if (message === 'sample') {
      process.send!({
        memory: process.memoryUsage(),
        cpu: process.cpuUsage(),
        at: Number(process.hrtime.bigint() / 1000n),
        maxCachedWorkflows: worker.options.maxCachedWorkflows,
        cachedWorkflows: worker.getStatus().numCachedWorkflows,
      });
    } else if (message === 'stop') {
      worker.shutdown();
    }
  });
  process.send!('ready');
  await running;
  await connection.close();
  await dataSource.destroy();
  process.disconnect();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
