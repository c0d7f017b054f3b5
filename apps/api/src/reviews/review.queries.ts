import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReviewReport } from '@app/quarterly-review';

/** A stored review's revision, as review_reports holds it. */
export interface ReviewRevisionRow {
  quarter: string;
  revision: number;
  /** YYYY-MM-DD. */
  as_of: string;
  report_hash: string;
  created_at: Date;
  created_by: string;
}

export interface ReviewReportRow extends ReviewRevisionRow {
  report: ReviewReport;
}

/** The stored quarterly reviews: each quarter's revisions, the newest a re-run of the review wrote. */
@Injectable()
export class ReviewQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Each quarter's newest revision, newest quarter first, without the report. */
  latestRevisions(): Promise<ReviewRevisionRow[]> {
    return this.dataSource.query<ReviewRevisionRow[]>(
      `SELECT DISTINCT ON (quarter) quarter, revision, to_char(as_of, 'YYYY-MM-DD') AS as_of, report_hash,
              created_at, created_by
       FROM review_reports ORDER BY quarter DESC, revision DESC`,
    );
  }

  /** The quarter's report at `revision`, or its newest when none is asked for. */
  async find(quarter: string, revision?: number): Promise<ReviewReportRow | undefined> {
    const [row] = await this.dataSource.query<ReviewReportRow[]>(
      `SELECT quarter, revision, to_char(as_of, 'YYYY-MM-DD') AS as_of, report_hash, created_at, created_by, report
       FROM review_reports WHERE quarter = $1 AND ($2::int IS NULL OR revision = $2)
       ORDER BY revision DESC LIMIT 1`,
      [quarter, revision ?? null],
    );
    return row;
  }
}
