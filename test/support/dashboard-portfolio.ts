import type { DataSource } from 'typeorm';
import { foldEvents, makeEvent } from '@app/domain';
import { lightSinceSql, projectRowFromState, stableUuid, upsertProjectRow } from '@app/persistence';
import { leadRegistered } from '../../libs/domain/src/testing/fixtures';

// The dashboard's tests' portfolio (API and browser), each in regions of its own: written straight
// into the read model as the projection would hold it, so every figure has a known count.

export interface DashboardSeed {
  region: string;
  light: 'green' | 'yellow' | 'red';
  industrial: boolean;
  planned: string;
  contract: string | null;
  signed?: string;
  landed?: string;
  started?: string;
  inStats?: string;
  dropped?: string;
  funds?: Record<string, string>;
  /** The light from each day it changed (as project_lights holds it); none: green throughout. */
  lightFrom?: Record<string, 'green' | 'yellow' | 'red'>;
}

/**
 * A portfolio touching every figure: both cohorts, each light, a ≥10 亿元 project, funds both years.
 * Its lights moved: on 2025-06-30 three were red (1, 3, 5) and none yellow (2 turned yellow on
 * 2025-07-10); on 2025-04-10 two were red (1 and 4, which turned green again on 2025-06-15).
 */
export function dashboardSeeds(countyA: string, countyB: string, otherCounty: string): DashboardSeed[] {
  return [
    { region: countyA, light: 'green', industrial: true, planned: '50000000.00', contract: null },
    {
      region: countyA,
      light: 'red',
      industrial: true,
      planned: '1200000000.00',
      contract: '1500000000.00',
      signed: '2024-03-01',
      landed: '2024-05-01',
      started: '2024-09-01',
      funds: { '2024-03': '1000.10', '2025-03': '2500.25', '2025-06': '0.01' },
      lightFrom: { '2025-02-10': 'yellow', '2025-03-01': 'red' },
    },
    {
      region: countyA,
      light: 'yellow',
      industrial: false,
      planned: '150000000.00',
      contract: '150000000.00',
      signed: '2024-11-11',
      funds: { '2024-06': '300.00' },
      lightFrom: { '2025-07-10': 'yellow' },
    },
    {
      region: countyA,
      light: 'red',
      industrial: true,
      planned: '90000000.00',
      contract: '90000000.00',
      signed: '2025-02-01',
      landed: '2025-03-01',
      started: '2025-04-15',
      inStats: '2025-05-20',
      funds: { '2025-04': '12345678.91' },
      lightFrom: { '2025-05-01': 'red' },
    },
    {
      region: countyB,
      light: 'green',
      industrial: false,
      planned: '2000000000.00',
      contract: null,
      signed: '2025-01-20',
      started: '2025-07-02',
      lightFrom: { '2025-04-01': 'red', '2025-06-15': 'green' },
    },
    {
      region: countyB,
      light: 'red',
      industrial: true,
      planned: '80000000.00',
      contract: '80000000.00',
      signed: '2025-03-03',
      dropped: '2025-05-01',
      funds: { '2025-03': '100.00', '2024-03': '50.00' },
      lightFrom: { '2025-04-20': 'red' },
    },
    // Another city's county: in none of the figures of this city's leader.
    {
      region: otherCounty,
      light: 'red',
      industrial: true,
      planned: '3000000000.00',
      contract: '3000000000.00',
      signed: '2025-02-02',
      started: '2025-03-02',
      funds: { '2025-02': '700000.00' },
      lightFrom: { '2025-03-05': 'red' },
    },
  ];
}

/** The id of a seeded project: a UUID as every project id is, stable for a prefix and its index. */
export function seededProjectId(prefix: string, i: number): string {
  return stableUuid('dashboard-portfolio', prefix, String(i));
}

/** Writes the seeds into the read model (project_funds, project_lights) as the projection would hold them. */
export async function seedDashboard(
  dataSource: DataSource,
  prefix: string,
  seeds: DashboardSeed[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, s] of seeds.entries()) {
    const projectId = seededProjectId(prefix, i);
    ids.push(projectId);
    const state = foldEvents([
      makeEvent('LeadRegistered', '2024-01-02', {
        ...leadRegistered.data,
        projectId,
        name: `${prefix} 驾驶舱项目 ${i}`,
        region: s.region,
        industrial: s.industrial,
        plannedInvestment: s.planned,
        leadDate: '2024-01-02',
      }),
    ]);
    await upsertProjectRow(dataSource.manager, {
      ...projectRowFromState(state, '2025-07-01T00:00:00.000Z'),
      stage: s.dropped
        ? 'dropped'
        : s.inStats
          ? 'in_stats'
          : s.started
            ? 'started'
            : s.landed
              ? 'landed'
              : s.signed
                ? 'signed'
                : 'lead',
      light: s.light,
      industrial: s.industrial,
      contract_investment: s.contract,
      signed_date: s.signed ?? null,
      landed_date: s.landed ?? null,
      started_date: s.started ?? null,
      in_stats_date: s.inStats ?? null,
      dropped_date: s.dropped ?? null,
      signing_year: s.signed ? Number(s.signed.slice(0, 4)) : null,
    });
    for (const [month, amount] of Object.entries(s.funds ?? {})) {
      await dataSource.query(`INSERT INTO project_funds (project_id, month, amount) VALUES ($1, $2, $3)`, [
        projectId,
        month,
        amount,
      ]);
    }
    for (const [day, light] of Object.entries(s.lightFrom ?? {})) {
      await dataSource.query(`INSERT INTO project_lights (project_id, day, light) VALUES ($1, $2, $3)`, [
        projectId,
        day,
        light,
      ]);
    }
  }
  await dataSource.query(lightSinceSql('projects', 'project_lights', 'project_id = ANY($1::text[])'), [ids]);
  return ids;
}
