import 'reflect-metadata';
import { loadEnvironment } from '@app/config';
import { PendingMigrationsError } from '@app/persistence';
import { createApp } from './app.factory';

async function main(): Promise<void> {
  const env = loadEnvironment();
  const app = await createApp();
  await app.listen(env.API_PORT, env.API_HOST);
  process.stdout.write(
    JSON.stringify({ level: 'info', msg: 'api ready', url: `http://${env.API_HOST}:${env.API_PORT}` }) + '\n',
  );
}

main().catch((e: unknown) => {
  // A pending migration is the operator's next step, not a fault: its message says what to run.
  if (e instanceof PendingMigrationsError) process.stderr.write(`api not started: ${e.message}\n`);
  else process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
