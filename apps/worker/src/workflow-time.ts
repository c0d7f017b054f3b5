/**
 * The workflow's clock. Inside Temporal's workflow sandbox `Date` is replaced by a deterministic
 * clock: the time of the current workflow task, recorded in history and identical on replay. This
 * is the one place workflow code reads it, so no reader mistakes it for the host's clock.
 */
export function workflowTime(): string {
  return new Date(Date.now()).toISOString();
}
