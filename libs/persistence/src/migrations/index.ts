import { EventStore1732250000000 } from './1732250000000-event-store';
import { OutboxAndPolicies1732260000000 } from './1732260000000-outbox-and-policies';
import { ProjectList1732270000000 } from './1732270000000-project-list';
import { IdempotencyAndInbox1732280000000 } from './1732280000000-idempotency-and-inbox';
import { ProjectFunds1732290000000 } from './1732290000000-project-funds';
import { Reviews1732300000000 } from './1732300000000-reviews';
import { WebhookDelivery1732310000000 } from './1732310000000-webhook-delivery';
import { Targets1732320000000 } from './1732320000000-targets';
import { Audit1732330000000 } from './1732330000000-audit';
import { AppRole1732340000000 } from './1732340000000-app-role';
import { IdempotencyClaims1732341000000 } from './1732341000000-idempotency-claims';
import { AuditAlerts1732342000000 } from './1732342000000-audit-alerts';
import { ProjectRevision1732350000000 } from './1732350000000-project-revision';
import { Calendars1732345000000 } from './1732345000000-calendars';
import { People1732360000000 } from './1732360000000-people';
import { Imports1732370000000 } from './1732370000000-imports';
import { Duplicates1732371000000 } from './1732371000000-duplicates';
import { Dashboard1732380000000 } from './1732380000000-dashboard';
import { InvestorOrigin1732390000000 } from './1732390000000-investor-origin';
import { EvidenceFiles1732400000000 } from './1732400000000-evidence-files';
import { GroupRobots1732410000000 } from './1732410000000-group-robots';
import { DigestDeliveries1732420000000 } from './1732420000000-digest-deliveries';
import { ProjectLights1732430000000 } from './1732430000000-project-lights';

/** In order; TypeORM records each one it runs in the `migrations` table. */
export const MIGRATIONS = [
  EventStore1732250000000,
  OutboxAndPolicies1732260000000,
  ProjectList1732270000000,
  IdempotencyAndInbox1732280000000,
  ProjectFunds1732290000000,
  Reviews1732300000000,
  WebhookDelivery1732310000000,
  Targets1732320000000,
  Audit1732330000000,
  AppRole1732340000000,
  IdempotencyClaims1732341000000,
  AuditAlerts1732342000000,
  Calendars1732345000000,
  ProjectRevision1732350000000,
  People1732360000000,
  Imports1732370000000,
  Duplicates1732371000000,
  Dashboard1732380000000,
  InvestorOrigin1732390000000,
  EvidenceFiles1732400000000,
  GroupRobots1732410000000,
  DigestDeliveries1732420000000,
  ProjectLights1732430000000,
];
