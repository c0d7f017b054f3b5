import { LOG_LEVELS, type LoggerService, type LogLevel } from '@nestjs/common';
import { currentRequestId } from './request-context';

export interface JsonLoggerOptions {
  /** Receives each line, newline included; stdout by default. */
  write?: (line: string) => void;
  /** The levels written; all by default. */
  logLevels?: LogLevel[];
}

// Log shippers know `info`; Nest calls it `log`.
const LEVEL_NAMES: Record<LogLevel, string> = {
  verbose: 'verbose',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

type Fields = Record<string, unknown>;

function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function serializable(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/**
 * One JSON object per line: time, level, context, the current request's id, the message, and any
 * fields given as objects. Takes arguments the way Nest's Logger passes them: the context last, and
 * for errors a stack trace before it.
 */
export class JsonLogger implements LoggerService {
  private readonly write: (line: string) => void;
  private levels: ReadonlySet<LogLevel>;

  constructor(options: JsonLoggerOptions = {}) {
    this.write = options.write ?? ((line) => process.stdout.write(line));
    this.levels = new Set(options.logLevels ?? LOG_LEVELS);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.print('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.print('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.print('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.print('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.print('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.print('fatal', message, params);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  private print(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.levels.has(level)) return;
    const rest = [...params];
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const stack =
      (level === 'error' || level === 'fatal') &&
      rest.length > 0 &&
      ['undefined', 'string'].includes(typeof rest.at(-1))
        ? rest.pop()
        : undefined;
    const head: Fields = {
      time: new Date().toISOString(),
      level: LEVEL_NAMES[level],
      context,
      requestId: currentRequestId(),
    };
    const line: Fields = { ...head };
    if (isPlainObject(message)) Object.assign(line, message);
    else if (message instanceof Error)
      Object.assign(line, { message: message.message, stack: message.stack });
    else line.message = message;
    for (const param of rest.filter(isPlainObject)) Object.assign(line, param);
    const details = rest.filter((param) => !isPlainObject(param));
    if (details.length > 0) line.details = details;
    if (stack !== undefined) line.stack = stack;
    let text: string;
    try {
      text = JSON.stringify(line, serializable);
    } catch {
      // A field that cannot be serialized (a cycle) must not cost the line.
      text = JSON.stringify({ ...head, message: String(line.message) });
    }
    this.write(`${text}\n`);
  }
}
