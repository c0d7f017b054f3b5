import { createParamDecorator, HttpStatus, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { PROBLEM_BASE, ProblemException } from './problem-details';

/** Weak validators are enough: a version is the whole identity of a project's state. */
export function etagFor(version: number): string {
  return `"v${version}"`;
}

/**
 * A project's ETag names its revision: the changes people made. The system's own alerts and light
 * changes do not make it stale, so an officer never races the timers; two people's writes still do.
 */
export function projectEtag(record: { revision: number }): string {
  return etagFor(record.revision);
}

const ETAG = /^(?:W\/)?"v(\d{1,9})"$/;

/**
 * The version named by If-Match, which every write to an existing project must carry, so that an
 * officer never overwrites a change they have not seen.
 */
export function expectedVersionOf(req: Request): number {
  const header = req.headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') {
    throw new ProblemException({
      type: `${PROBLEM_BASE}precondition-required`,
      title: 'If-Match is required',
      status: HttpStatus.PRECONDITION_REQUIRED,
      detail: 'send If-Match with the ETag of the project as you last read it',
      errors: [{ field: 'If-Match', rule: 'required', message: 'If-Match is required' }],
    });
  }
  const match = ETAG.exec(header.trim());
  if (!match) {
    throw new ProblemException({
      type: `${PROBLEM_BASE}validation`,
      title: 'The request is not valid',
      status: HttpStatus.BAD_REQUEST,
      detail: 'If-Match must be an ETag this API gave out, such as "v3"',
      errors: [{ field: 'If-Match', rule: 'format', message: 'If-Match must look like "v3"' }],
    });
  }
  return Number(match[1]);
}

/** The project version the caller expects, from If-Match. */
export const ExpectedVersion = createParamDecorator((_: unknown, context: ExecutionContext): number =>
  expectedVersionOf(context.switchToHttp().getRequest<Request>()),
);
