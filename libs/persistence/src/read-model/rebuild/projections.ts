import { EntityManager, type DataSource } from 'typeorm';

/**
 * The projections of the event log, each with the table a rebuild writes and the columns that
 * identify a row. Everything else the database holds is not derived from the events.
 */
export const PROJECTIONS = [
  { live: 'projects', rebuilt: 'rebuild_projects', key: ['project_id'] },
  { live: 'project_funds', rebuilt: 'rebuild_project_funds', key: ['project_id', 'month'] },
  { live: 'project_lights', rebuilt: 'rebuild_project_lights', key: ['project_id', 'day'] },
  { live: 'duplicate_confirmations', rebuilt: 'rebuild_duplicate_confirmations', key: ['event_id'] },
  // Which projects' events cite which evidence files (their readers may read them); compared on the
  // pair alone, since when the API noted the reference is not in the events.
  {
    live: 'file_references',
    rebuilt: 'rebuild_file_references',
    key: ['file_id', 'project_id'],
    columns: ['file_id', 'project_id'],
  },
] as const;

/** Tables a rebuild leaves alone, and why: they record decisions and deliveries, not the events' fold. */
export const NOT_PROJECTIONS =
  'outbox, policies, targets, reviews, supervision items, idempotent responses, alert acknowledgements ' +
  'and audit records are not projections of the event log and are not rebuilt or compared';

/** Where a rebuild or a diff reads: a DataSource, or a manager already in a transaction. */
export type Source = DataSource | EntityManager;

/**
 * Runs `fn` on one REPEATABLE READ snapshot: the rebuild then reads a log that does not move under it,
 * and a diff in the same snapshot sees the live tables exactly as of those events (the worker writes
 * both in one transaction). A manager already in a transaction is used as it is.
 */
export function inSnapshot<T>(source: Source, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (source instanceof EntityManager && source.queryRunner?.isTransactionActive) return fn(source);
  return source.transaction('REPEATABLE READ', fn);
}
