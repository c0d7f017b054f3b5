import type { IsoDate } from './dates';
import { STAGE_ORDER, type StageCode } from './stages';

/** The day each stage was reached, as the read model keeps it (null: not reached, or not known). */
export type StageDates = Record<StageCode, IsoDate | null>;

/** Latest first: the stage a project was in on a day is the latest one reached by then. */
const LATEST_FIRST: readonly StageCode[] = ['dropped', ...[...STAGE_ORDER].reverse()];

/**
 * The stage a project was in at the end of `day`: the latest stage whose date is on or before it,
 * dropped when it was dropped by then; null when nothing was recorded of it by then (registered
 * later). A drop later reopened has no date left, so the days it was dropped read as the stage
 * it was in.
 */
export function stageOn(dates: StageDates, day: IsoDate): StageCode | null {
  for (const stage of LATEST_FIRST) {
    const reached = dates[stage];
    if (reached !== null && reached <= day) return stage;
  }
  return null;
}

/**
 * `stageOn` as a SQL expression over the columns holding each stage's date, `day` a placeholder
 * of a date: the same decision, so that a dashboard as of a past day and the 台账 filtered on that
 * day count the same projects.
 */
export function stageOnSql(columns: Record<StageCode, string>, day: string): string {
  const cases = LATEST_FIRST.map((stage) => `WHEN ${columns[stage]} <= ${day} THEN '${stage}'`);
  return `(CASE ${cases.join(' ')} END)`;
}

/** The read model's date columns of each stage, under a table alias. */
export function stageDateColumns(alias: string): Record<StageCode, string> {
  return {
    lead: `${alias}.lead_date`,
    negotiating: `${alias}.talks_date`,
    signed: `${alias}.signed_date`,
    landed: `${alias}.landed_date`,
    started: `${alias}.started_date`,
    in_stats: `${alias}.in_stats_date`,
    producing: `${alias}.production_date`,
    dropped: `${alias}.dropped_date`,
  };
}
