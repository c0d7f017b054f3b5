import { createApp } from '../../apps/api/src/app.factory';

/**
 * The API alone in a process of its own, so that its memory during an upload is read apart from the
 * client's. Configuration comes from the environment the parent gives. It samples its own memory
 * every 10 ms; `reset` starts a new peak, `peak` answers the baseline and the peak since the reset.
 */
async function main(): Promise<void> {
  const app = await createApp({ logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let baseline = process.memoryUsage();
  let peak = { ...baseline };
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    for (const key of Object.keys(peak) as (keyof NodeJS.MemoryUsage)[]) {
      peak[key] = Math.max(peak[key], now[key]);
    }
  }, 10);
  process.on('message', (message: string) => {
    if (message === 'reset') {
      baseline = process.memoryUsage();
      peak = { ...baseline };
      process.send!('reset');
    } else if (message === 'peak') {
      process.send!({ baseline, peak });
    } else if (message === 'stop') {
      clearInterval(timer);
      void app.close().then(() => process.disconnect());
    }
  });
  process.send!({ ready: url });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
