import { rmSync } from 'node:fs';

interface TestStack {
  users: number;
  postgres: { stop(): Promise<void> };
  temporal: { stop(): Promise<void> };
  dir: string;
}
const holder = globalThis as { __lifecycleTestStack?: TestStack };

export default async function globalTeardown(): Promise<void> {
  const stack = holder.__lifecycleTestStack;
  if (!stack || --stack.users > 0) return;
  await Promise.all([stack.temporal.stop(), stack.postgres.stop()]);
  rmSync(stack.dir, { recursive: true, force: true });
  holder.__lifecycleTestStack = undefined;
}
