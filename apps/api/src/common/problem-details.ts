import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
  type ValidationError,
} from '@nestjs/common';
import type { Request, Response } from 'express';

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

/** Every error leaves as application/problem+json; nothing but a real fault is a 500. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const problem = this.toProblem(exception);
    problem.instance ??= req.originalUrl;
    if (problem.status >= 500)
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) return { ...exception.problem };
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
    return {
      type: `${PROBLEM_BASE}internal`,
      title: 'Internal Server Error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
    };
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/_/g, '-');
}
