// By path and for its type only: the migrations load this outside the module aliases.
import type { ProjectEvent } from '../../../domain/src/events';

/** The columns of an events row that make the domain's event. */
export interface EventRowFields {
  type: string;
  schema_version: number;
  business_time: string;
  data: unknown;
}

/** An events row as the domain's event, for folds that read the table themselves (rebuild, backfill). */
export function projectEventOf(row: EventRowFields): ProjectEvent {
  return {
    type: row.type,
    schemaVersion: row.schema_version,
    businessTime: row.business_time,
    data: row.data,
  } as ProjectEvent;
}
