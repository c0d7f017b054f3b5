import { LOG_LEVELS, type LoggerService, type LogLevel } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';
import { currentRequestId } from './request-context';

export interface JsonLoggerOptions {
  /** Receives each line, newline included; stdout by default. */
  write?: (line: string) => void;
  /** The levels written; all by default. */
  logLevels?: LogLevel[];
}

// Log shippers know `info`; Nest calls it `log`. Nest's `verbose` is a level of its own below debug.
const PINO_LEVELS: Record<LogLevel, string> = {
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

/** A field's value as the line has always carried it: a bigint as its digits, an error by its parts. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/**
 * The pino logger behind every JsonLogger: an ISO `time`, the level by name, the text under
 * `message`, the current request's id (none outside a request), no pid or hostname. Pino
 * serializes the line, and keeps it even when a field cannot be (a cycle reads "[Circular]").
 */
export function createPino(write: (line: string) => void): Pino<'verbose'> {
  return pino<'verbose'>(
    {
      base: null,
      level: 'verbose',
      customLevels: { verbose: 15 },
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => ({ requestId: currentRequestId() }),
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, plain(v)])),
      },
    },
    { write },
  );
}

/**
 * Nest's LoggerService over pino, one JSON object per line: time, level, context, the current
 * request's id, the message, and any fields given as objects. Takes arguments the way Nest's Logger
 * passes them: the context last, and for errors a stack trace before it.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Pino<'verbose'>;
  private levels: ReadonlySet<LogLevel>;

  constructor(options: JsonLoggerOptions = {}) {
    this.pino = createPino(options.write ?? ((line) => process.stdout.write(line)));
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

  /** Nest's levels are a set, not a threshold (['error'] leaves out fatal): filtered here. */
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
    const line: Fields = { context };
    if (isPlainObject(message)) Object.assign(line, message);
    else if (message instanceof Error)
      Object.assign(line, { message: message.message, stack: message.stack });
    else line.message = message;
    for (const param of rest.filter(isPlainObject)) Object.assign(line, param);
    const details = rest.filter((param) => !isPlainObject(param));
    if (details.length > 0) line.details = details;
    if (stack !== undefined) line.stack = stack;
    this.pino[PINO_LEVELS[level] as 'info'](line);
  }
}
