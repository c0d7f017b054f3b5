import { HttpStatus } from '@nestjs/common';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Refusal } from '@app/domain';
import { FAILURE_TYPES } from '@app/workflow-interface';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';

/** Refusals about the request's own values; the rest are about the project's state. */
const UNPROCESSABLE =
  /^(REQUIRED|INVALID_|DATE_|DEADLINE_NOT_OPEN|AMOUNT_|CREDIT_CODE_|BELOW_STATISTICS_THRESHOLD|FUNDS_TOTAL_NEGATIVE|CORRECTION_|DUPLICATE_|EVIDENCE_)/;

export function refusalStatus(code: string): number {
  if (code === 'ROLE_NOT_ALLOWED' || code === 'REGION_NOT_IN_SCOPE') return HttpStatus.FORBIDDEN;
  if (code === 'PROJECT_NOT_FOUND') return HttpStatus.NOT_FOUND;
  return UNPROCESSABLE.test(code) ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.CONFLICT;
}

/** A domain refusal as problem+json: its stable code, the field, and both messages. */
export function refusalProblem(refusal: Refusal): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}refused/${refusal.code.toLowerCase().replace(/_/g, '-')}`,
    title: refusal.message.en,
    status: refusalStatus(refusal.code),
    detail: refusal.message.zh,
    code: refusal.code,
    field: refusal.field,
    message: refusal.message,
    ...(refusal.field
      ? { errors: [{ field: refusal.field, rule: refusal.code, message: refusal.message.en }] }
      : {}),
  });
}

/** Turns what a workflow Update failed with into the HTTP problem a caller should see. */
export function commandFailureProblem(error: unknown): ProblemException | null {
  if (!(error instanceof WorkflowUpdateFailedError)) return null;
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure)) return null;
  if (cause.type === FAILURE_TYPES.refused) return refusalProblem(cause.details?.[0] as Refusal);
  if (cause.type === FAILURE_TYPES.versionConflict) {
    return new ProblemException({
      type: `${PROBLEM_BASE}version-conflict`,
      title: 'The project has changed since you read it',
      status: HttpStatus.PRECONDITION_FAILED,
      detail: cause.message,
      ...(cause.details?.[0] as object),
    });
  }
  return null;
}
