import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/** An Update that does nothing: the floor under any command sent to a workflow on the same server. */
export const ping = defineUpdate<number, [number]>('ping');
export const stop = defineSignal('stop');

/** Stays open and answers `ping` at once, until told to stop. */
export async function noopWorkflow(): Promise<void> {
  let stopped = false;
  setHandler(ping, (n) => n);
  setHandler(stop, () => {
    stopped = true;
  });
  await condition(() => stopped);
}
