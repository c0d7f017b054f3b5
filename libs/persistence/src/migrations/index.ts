import { EventStore1732250000000 } from './1732250000000-event-store';
import { OutboxAndPolicies1732260000000 } from './1732260000000-outbox-and-policies';

/** In order; TypeORM records each one it runs in the `migrations` table. */
export const MIGRATIONS = [EventStore1732250000000, OutboxAndPolicies1732260000000];
