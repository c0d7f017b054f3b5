import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends, however it ends. */
  readonly exited: Promise<number | string>;
  /** SIGTERM (or the given signal), then SIGKILL after the grace period. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface StartOptions extends SpawnOptions {
  /** Each output line is passed here, prefixed by the caller as it likes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: StartOptions = {},
): ManagedProcess {
  const { onLine, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
  if (onLine) {
    if (child.stdout) createInterface({ input: child.stdout }).on('line', (l) => onLine(l, 'stdout'));
    if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => onLine(l, 'stderr'));
  }
  const exited = new Promise<number | string>((resolvePromise) => {
    child.once('exit', (code, signal) => resolvePromise(code ?? signal ?? -1));
    child.once('error', () => resolvePromise(-1));
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, exited, stop };
}

/** Waits for the first output line that `match` accepts; fails if the process exits first. */
export function waitForLine(
  proc: ManagedProcess,
  match: (line: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const streams = [proc.child.stdout, proc.child.stderr].filter((s) => s !== null);
    const readers = streams.map((s) => createInterface({ input: s }));
    const done = (fn: () => void) => {
      clearTimeout(timer);
      readers.forEach((r) => r.close());
      fn();
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`${proc.name} was not ready within ${timeoutMs} ms`))),
      timeoutMs,
    );
    readers.forEach((r) =>
      r.on('line', (line) => {
        if (match(line)) done(() => resolvePromise(line));
      }),
    );
    void proc.exited.then((code) =>
      done(() => reject(new Error(`${proc.name} exited (${code}) before it was ready`))),
    );
  });
}
