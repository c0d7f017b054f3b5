import { EventStore1732250000000 } from './1732250000000-event-store';

/** In order; TypeORM records each one it runs in the `migrations` table. */
export const MIGRATIONS = [EventStore1732250000000];
