import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';

type LineListener = (line: string, stream: 'stdout' | 'stderr') => void;

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends, however it ends. */
  readonly exited: Promise<number | string>;
  /** SIGTERM (or the given signal), then SIGKILL after the grace period. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** Every later output line goes to `listener` until the returned function is called. */
  subscribe(listener: LineListener): () => void;
}

export interface StartOptions extends SpawnOptions {
  /** Each output line is passed here, prefixed by the caller as it likes. */
  onLine?: LineListener;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: StartOptions = {},
): ManagedProcess {
  const { onLine, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
  // One reader per stream for the process's whole life, shared by every listener: a second reader
  // that closes (readline's close pauses its input) would stop the first, and a pipe nobody drains
  // fills up and blocks the child's writes.
  const lines = new EventEmitter();
  lines.setMaxListeners(0);
  for (const [stream, input] of [
    ['stdout', child.stdout],
    ['stderr', child.stderr],
  ] as const) {
    if (input) createInterface({ input }).on('line', (l) => lines.emit('line', l, stream));
  }
  const subscribe = (listener: LineListener) => {
    lines.on('line', listener);
    return () => void lines.off('line', listener);
  };
  if (onLine) subscribe(onLine);
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
  return { name, child, exited, stop, subscribe };
}

/** Waits for the first output line that `match` accepts; fails if the process exits first. */
export function waitForLine(
  proc: ManagedProcess,
  match: (line: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      unsubscribe();
      fn();
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`${proc.name} was not ready within ${timeoutMs} ms`))),
      timeoutMs,
    );
    const unsubscribe = proc.subscribe((line) => {
      if (match(line)) done(() => resolvePromise(line));
    });
    void proc.exited.then((code) =>
      done(() => reject(new Error(`${proc.name} exited (${code}) before it was ready`))),
    );
  });
}
