import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
  type ExceptionFilter,
  type ValidationError,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { REFUSAL_MESSAGES } from '@app/domain';

/** One field's failure: which field, which rule, and what was wrong. */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

/** RFC 9457 problem details, with our extensions. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://lifecycle.example/problems/';

/** An HTTP error whose body is already a problem document. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** For ValidationPipe: every failing field with the rule it broke. */
export function validationProblem(errors: ValidationError[]): ProblemException {
  const fieldProblems = flattenValidationErrors(errors);
  return new ProblemException({
    type: `${PROBLEM_BASE}validation`,
    title: 'The request is not valid',
    status: HttpStatus.BAD_REQUEST,
    detail: fieldProblems.map((p) => `${p.field}: ${p.message}`).join('; '),
    errors: fieldProblems,
  });
}

/** A role that may not do what it asked: 403 in the domain's words, naming the field when one caused it. */
export function roleNotAllowed(en: string, field?: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}refused/role-not-allowed`,
    title: en,
    status: HttpStatus.FORBIDDEN,
    detail: REFUSAL_MESSAGES.ROLE_NOT_ALLOWED.zh,
    code: 'ROLE_NOT_ALLOWED',
    message: { zh: REFUSAL_MESSAGES.ROLE_NOT_ALLOWED.zh, en },
    ...(field ? { errors: [{ field, rule: 'role', message: en }] } : {}),
  });
}

/** A region asked for outside the caller's: 403, naming the field as a 400 would. */
export function regionOutsideScope(region: string, doing = 'read'): ProblemException {
  const en = `region ${region} is outside the regions you may ${doing}`;
  return new ProblemException({
    type: `${PROBLEM_BASE}refused/region-not-in-scope`,
    title: en,
    status: HttpStatus.FORBIDDEN,
    detail: '该地区不在您负责的范围内',
    code: 'REGION_NOT_IN_SCOPE',
    message: { zh: '该地区不在您负责的范围内', en },
    errors: [{ field: 'region', rule: 'inScope', message: en }],
  });
}

/** Every error leaves as application/problem+json; nothing but a real fault is a 500. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const problem = this.toProblem(exception, req, res);
    problem.instance ??= req.originalUrl;
    if (problem.status === 503) {
      if (!res.getHeader('Retry-After')) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      this.logger.warn(`${problem.detail ?? problem.title}: ${errorText(exception)}`);
    } else if (problem.status >= 500) this.logger.error(errorText(exception));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, req: Request, res: Response): ProblemDetails {
    if (exception instanceof ProblemException) return { ...exception.problem };
    if (exception instanceof NotFoundException) {
      // No route for this method: when the path has routes for others, that is a 405 naming them.
      const allowed = allowedMethods(req);
      if (allowed.length > 0 && !allowed.includes(req.method)) {
        res.setHeader('Allow', allowed.join(', '));
        return {
          type: `${PROBLEM_BASE}method-not-allowed`,
          title: 'Method Not Allowed',
          status: HttpStatus.METHOD_NOT_ALLOWED,
          detail: `${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`,
        };
      }
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      // Body-parser errors (malformed JSON, too large, wrong charset) arrive as HttpErrors with a type.
      const parserType = (exception.cause as { type?: string } | undefined)?.type;
      return {
        type: `${PROBLEM_BASE}${parserType ?? slug(HttpStatus[status] ?? 'error')}`,
        title: exception instanceof BadRequestException ? 'The request is not valid' : exception.message,
        status,
        detail: Array.isArray(message)
          ? message.join('; ')
          : typeof message === 'string'
            ? message
            : exception.message,
      };
    }
    const bodyParserError = exception as {
      status?: number;
      type?: string;
      message?: string;
      expose?: boolean;
    };
    if (
      typeof bodyParserError?.status === 'number' &&
      bodyParserError.status >= 400 &&
      bodyParserError.status < 500
    ) {
      return {
        type: `${PROBLEM_BASE}${bodyParserError.type ?? 'bad-request'}`,
        title: 'The request body could not be read',
        status: bodyParserError.status,
        detail: bodyParserError.message,
      };
    }
    const kind = classifyError(exception);
    if (kind?.kind === 'unavailable') {
      return {
        type: `${PROBLEM_BASE}unavailable`,
        title: 'Service Unavailable',
        status: HttpStatus.SERVICE_UNAVAILABLE,
        detail: `${kind.part} cannot be reached just now; try again in a few seconds`,
      };
    }
    if (kind?.kind === 'refused-data') {
      return {
        type: `${PROBLEM_BASE}unprocessable-data`,
        title: 'The data cannot be stored',
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        detail: kind.message,
        code: kind.sqlState,
        errors: [{ field: kind.field, rule: kind.rule, message: kind.message }],
      };
    }
    return {
      type: `${PROBLEM_BASE}internal`,
      title: 'Internal Server Error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
    };
  }
}

/** How long a client is asked to wait when a part of the system is away. */
export const RETRY_AFTER_SECONDS = 5;

export type ErrorKind =
  /** PostgreSQL or Temporal cannot be reached or is going away: the request may succeed later. */
  | { kind: 'unavailable'; part: 'PostgreSQL' | 'Temporal' | 'A server the API depends on' }
  /** PostgreSQL refused the values themselves (SQLSTATE classes 22 and 23): the same request always fails. */
  | { kind: 'refused-data'; sqlState: string; field: string; rule: string; message: string };

// Node's own codes for a peer that is not there or went away.
const NETWORK_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);
// node-postgres and its pool report a lost or unobtainable connection in words only.
const PG_CONNECTION_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end|Client was closed and is not queryable|Query read timeout|the database system is (starting up|shutting down|in recovery mode)/i;
// TypeORM's own errors when its driver has no connection.
const TYPEORM_CONNECTION_ERRORS = new Set(['ConnectionIsNotSetError', 'CannotExecuteNotConnectedError']);
// gRPC: UNAVAILABLE 14, DEADLINE_EXCEEDED 4, RESOURCE_EXHAUSTED 8 (the server sheds load).
const GRPC_RETRYABLE = new Set([14, 4, 8]);
const SQLSTATE = /^[0-9A-Z]{5}$/;
// SQLSTATEs for a server that is not serving: connection exceptions (class 08), operator
// intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 57014 a
// statement cancelled by its timeout), a session ended by its idle-in-transaction timeout (25P03:
// a long request on a loaded machine), too many connections; and serialization failures and
// deadlocks, which succeed when tried again.
const SQLSTATE_UNAVAILABLE = /^(08...|25P03|57P0[1-3]|57014|53300|40001|40P01)$/;
const SQLSTATE_RULES: Record<string, string> = {
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22021': 'character_not_in_repertoire',
  '22P02': 'invalid_text_representation',
  '22P05': 'untranslatable_character',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
};

/**
 * What an unexpected error says about the request, read from its shape rather than its class (the
 * pg, TypeORM, gRPC and Temporal errors are wrapped in one another, each with its own fields):
 * null for a real fault.
 */
export function classifyError(error: unknown): ErrorKind | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 10) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const kind = classifyOne(e);
    if (kind) return kind;
    const { cause, driverError, errors } = e as ErrorShape;
    queue.push(cause, driverError, ...(Array.isArray(errors) ? errors : []));
  }
  return null;
}

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  details?: unknown;
  metadata?: unknown;
  severity?: unknown;
  column?: unknown;
  constraint?: unknown;
  cause?: unknown;
  driverError?: unknown;
  errors?: unknown;
}

function classifyOne(e: ErrorShape): ErrorKind | null {
  const message = typeof e.message === 'string' ? e.message : '';
  // A gRPC status error (from @grpc/grpc-js, as Temporal's client throws it): numeric code, details, metadata.
  if (typeof e.code === 'number' && typeof e.details === 'string' && typeof e.metadata === 'object') {
    return GRPC_RETRYABLE.has(e.code) ? { kind: 'unavailable', part: 'Temporal' } : null;
  }
  if (typeof e.code === 'string' && NETWORK_ERRNO.has(e.code)) {
    return { kind: 'unavailable', part: 'A server the API depends on' };
  }
  // A PostgreSQL error (pg's DatabaseError, or TypeORM's QueryFailedError that copies its fields).
  if (typeof e.code === 'string' && SQLSTATE.test(e.code) && typeof e.severity === 'string') {
    if (SQLSTATE_UNAVAILABLE.test(e.code)) return { kind: 'unavailable', part: 'PostgreSQL' };
    if (/^2[23]/.test(e.code)) {
      return {
        kind: 'refused-data',
        sqlState: e.code,
        field:
          typeof e.column === 'string'
            ? e.column
            : typeof e.constraint === 'string'
              ? e.constraint
              : 'request',
        rule: SQLSTATE_RULES[e.code] ?? `sqlstate_${e.code}`,
        message: message || `PostgreSQL refused the data (SQLSTATE ${e.code})`,
      };
    }
    return null;
  }
  if (PG_CONNECTION_MESSAGE.test(message)) return { kind: 'unavailable', part: 'PostgreSQL' };
  if (typeof e.name === 'string' && TYPEORM_CONNECTION_ERRORS.has(e.name)) {
    return { kind: 'unavailable', part: 'PostgreSQL' };
  }
  // Temporal's client: a ServiceError without a gRPC cause, or a connection it could not make.
  if (
    e.name === 'ServiceError' &&
    /UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect|connection/i.test(message)
  ) {
    return { kind: 'unavailable', part: 'Temporal' };
  }
  if (e.name === 'TransportError' || e.name === 'ConnectionError')
    return { kind: 'unavailable', part: 'Temporal' };
  return null;
}

function errorText(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods Express has routes for on this request's path (GET implies HEAD); empty when no route
 * has the path, or one takes every method.
 */
export function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match(req.path)) continue;
    const names = Object.keys(layer.route.methods);
    if (names.includes('_all')) return [];
    for (const name of names) methods.add(name.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function slug(text: string): string {
  return text.toLowerCase().replace(/_/g, '-');
}
