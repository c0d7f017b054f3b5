import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';

export const PROBE_TIMEOUT_MS = 2000;

/** Races `probe` against the deadline; a probe that fails or does not answer in time is down. */
async function within(probe: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * PostgreSQL and Temporal as terminus health indicators: `up`, or `down` with the error that says
 * why (terminus's own TypeORM ping drops the error's text, which an operator needs).
 */
@Injectable()
export class DependencyIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly client: Client,
  ) {}

  postgres(): Promise<HealthIndicatorResult> {
    return this.probe('postgres', () => this.dataSource.query('SELECT 1'));
  }

  temporal(): Promise<HealthIndicatorResult> {
    // With a deadline, so a probe during an outage ends instead of retrying on behind our back.
    return this.probe('temporal', () =>
      this.client.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () =>
        this.client.workflowService.getSystemInfo({}),
      ),
    );
  }

  private async probe(key: string, probe: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const check = this.health.check(key);
    try {
      await within(probe, PROBE_TIMEOUT_MS);
      return check.up();
    } catch (e) {
      return check.down({ error: e instanceof Error ? e.message : String(e) });
    }
  }
}
