import { Placeholder } from '../Placeholder';

/** Chain verification, checkpoints and kept digests. */
export function AuditVerification() {
  return <Placeholder title="审计核验" />;
}
