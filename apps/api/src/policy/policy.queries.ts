import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface PolicyRow {
  version: number;
  policy: Record<string, unknown>;
  created_at: Date;
  created_by: string;
  reason: string | null;
}

/** The stored policy versions. */
@Injectable()
export class PolicyQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest version; undefined before any was stored. */
  async latest(): Promise<PolicyRow | undefined> {
    const [row] = await this.dataSource.query<PolicyRow[]>(
      `SELECT version, policy, created_at, created_by, reason FROM policies ORDER BY version DESC LIMIT 1`,
    );
    return row;
  }

  /**
   * Runs `write` in a transaction as the only writer of policies, told the latest version (0 before
   * any), so that the version a caller saw is still the latest when the next one is added to it.
   */
  asOnlyWriter<T>(write: (latestVersion: number, manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`LOCK TABLE policies IN SHARE ROW EXCLUSIVE MODE`);
      const [{ version }] = await manager.query<{ version: number }[]>(
        `SELECT COALESCE(MAX(version), 0) AS version FROM policies`,
      );
      return write(version, manager);
    });
  }
}
