import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  addMonthsToMonth,
  lastDayOfMonth,
  monthOf,
  parseQuarter,
  SUPERVISION_OWNER_ROLE,
  type IsoDate,
  type QuarterCode,
  type VersionedPolicy,
} from '@app/domain';
import { canonicalJson } from '@app/persistence';
import { stableUuid } from '@app/persistence';
import {
  reviewFigures,
  stalledProjects,
  type RegionChainCounts,
  type ReviewRates,
  type StalledEntry,
} from './review-figures';

/** A 督办 item as a report lists it. */
export interface SupervisionSummary {
  itemId: string;
  projectId: string;
  rule: string;
  ruleLabel: string;
  region: string;
  openedIn: QuarterCode;
  ownerRole: string;
  ownerId: string | null;
  rung: number;
  dueDate: IsoDate;
  unrectified: boolean;
}

/** The report of one quarter's 回头看; everything in it follows from the events, so a re-run agrees. */
export interface ReviewReport {
  quarter: QuarterCode;
  asOf: IsoDate;
  policyVersion: number;
  rates: {
    overall: ReviewRates;
    byRegion: { region: string; rates: ReviewRates }[];
    byIndustryChain: { industryChain: string; rates: ReviewRates }[];
  };
  stalled: StalledEntry[];
  supervision: {
    /** Items this review opened. */
    opened: SupervisionSummary[];
    /** Items of earlier reviews still stalled: escalated one rung and marked 未整改. */
    escalated: SupervisionSummary[];
    /** Items of earlier reviews whose project no longer breaks the rule. */
    resolved: SupervisionSummary[];
  };
  /**
   * What every rate is a ratio of, per region and industry chain, so the figures of any set of
   * regions (a reader's) sum exactly. Reports stored before it was added have none.
   */
  counts?: { byRegionAndChain: RegionChainCounts[] };
}

export interface ReviewOutcome {
  report: ReviewReport;
  revision: number;
  /** False when the stored latest revision already says the same. */
  stored: boolean;
  reportHash: string;
}

/** Stable item ids, so the same review over the same events names the same items. */
function itemIdFor(projectId: string, rule: string, quarter: QuarterCode): string {
  return stableUuid(projectId, rule, quarter);
}

interface ItemRow {
  item_id: string;
  project_id: string;
  rule: string;
  rule_label: string;
  region: string;
  opened_in: string;
  owner_role: string;
  owner_id: string | null;
  rung: number;
  due_date: string;
  unrectified: boolean;
}

const ITEM_COLUMNS = `item_id, project_id, rule, rule_label, region, opened_in, owner_role, owner_id, rung,
  to_char(due_date, 'YYYY-MM-DD') AS due_date, unrectified`;

function summary(r: ItemRow): SupervisionSummary {
  return {
    itemId: r.item_id,
    projectId: r.project_id,
    rule: r.rule,
    ruleLabel: r.rule_label,
    region: r.region,
    openedIn: r.opened_in,
    ownerRole: r.owner_role,
    ownerId: r.owner_id,
    rung: r.rung,
    dueDate: r.due_date,
    unrectified: r.unrectified,
  };
}

/**
 * Runs the 回头看 of a quarter that has ended: computes every rate and the stalled projects as of its
 * last day, settles the 督办 items of earlier reviews (resolved, or escalated one rung and marked
 * 未整改), opens one item per stalled project and rule, and stores the report as a new immutable
 * revision unless the latest already says the same. One transaction; reviews run one at a time.
 */
export async function runQuarterlyReview(
  dataSource: DataSource,
  input: { quarter: QuarterCode; policy: VersionedPolicy; actorId: string },
): Promise<ReviewOutcome> {
  const quarter = parseQuarter(input.quarter);
  const asOf = quarter.lastDay;
  const labels = Object.fromEntries(input.policy.policy.rules.map((r) => [r.id, r.label]));
  const startRule = input.policy.policy.rules.find((r) => r.id === 'start_after_signing');
  const startWithinMonths = startRule?.limit.unit === 'month' ? startRule.limit.amount : 6;

  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('quarterly-review'))`);
    // The review sorts and aggregates every project at once: in memory, not in temporary files.
    await manager.query(`SET LOCAL work_mem = '64MB'`);
    const { scopes, byRegionAndChain } = await reviewFigures(manager, asOf, { startWithinMonths });
    const stalled = await stalledProjects(manager, asOf, labels);
    await settleSupervision(manager, quarter.code, asOf, stalled, input.actorId);

    const items = (where: string) =>
      manager
        .query<ItemRow[]>(
          `SELECT ${ITEM_COLUMNS} FROM supervision_items WHERE ${where} ORDER BY region, project_id, rule`,
          [quarter.code],
        )
        .then((rows) => rows.map(summary));
    const overall = scopes.find((s) => s.scope === 'overall')!;
    const report: ReviewReport = {
      quarter: quarter.code,
      asOf,
      policyVersion: input.policy.version,
      rates: {
        overall: overall.rates,
        byRegion: scopes.filter((s) => s.scope === 'region').map((s) => ({ region: s.key!, rates: s.rates })),
        byIndustryChain: scopes
          .filter((s) => s.scope === 'industry_chain')
          .map((s) => ({ industryChain: s.key!, rates: s.rates })),
      },
      stalled,
      supervision: {
        opened: await items(`opened_in = $1`),
        escalated: await items(`$1 = ANY(escalated_in)`),
        resolved: await items(`resolved_in = $1`),
      },
      counts: { byRegionAndChain },
    };
    const reportHash = createHash('sha256').update(canonicalJson(report)).digest('hex');
    const [latest] = await manager.query<{ revision: number; report_hash: string }[]>(
      `SELECT revision, report_hash FROM review_reports WHERE quarter = $1 ORDER BY revision DESC LIMIT 1`,
      [quarter.code],
    );
    if (latest?.report_hash === reportHash) {
      return { report, revision: latest.revision, stored: false, reportHash };
    }
    const revision = (latest?.revision ?? 0) + 1;
    await manager.query(
      `INSERT INTO review_reports (quarter, revision, as_of, report, report_hash, created_by)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
      [quarter.code, revision, asOf, JSON.stringify(report), reportHash, input.actorId],
    );
    return { report, revision, stored: true, reportHash };
  });
}

async function settleSupervision(
  manager: EntityManager,
  quarter: QuarterCode,
  asOf: IsoDate,
  stalled: StalledEntry[],
  actorId: string,
): Promise<void> {
  // Items of earlier reviews still open and not yet settled by this one: escalated one rung and
  // marked 未整改 while their project still breaks the rule, closed otherwise. Set-based, each with
  // its step: a quarter can settle tens of thousands of items.
  await manager.query(
    `WITH earlier AS (
       SELECT item_id, project_id, rule FROM supervision_items
       WHERE status <> 'closed' AND opened_in < $1 AND NOT ($1 = ANY(escalated_in))
     ), still AS (
       SELECT e.item_id FROM earlier e
       JOIN unnest($2::text[], $3::text[]) AS s(project_id, rule) USING (project_id, rule)
     ), escalated AS (
       UPDATE supervision_items i SET rung = LEAST(i.rung + 1, 4), unrectified = true,
              escalated_in = array_append(i.escalated_in, $1), updated_at = now()
       FROM still WHERE i.item_id = still.item_id
       RETURNING i.item_id
     ), resolved AS (
       UPDATE supervision_items i SET status = 'closed', resolved_in = $1, updated_at = now()
       FROM earlier e WHERE i.item_id = e.item_id AND e.item_id NOT IN (SELECT item_id FROM still)
       RETURNING i.item_id
     )
     INSERT INTO supervision_item_steps (item_id, from_status, to_status, actor_id, actor_role, note)
     SELECT item_id, NULL, 'escalated', $4, 'system', $5 FROM escalated
     UNION ALL
     SELECT item_id, NULL, 'closed', $4, 'system', $6 FROM resolved`,
    [
      quarter,
      stalled.map((s) => s.projectId),
      stalled.map((s) => s.rule),
      actorId,
      `${quarter} 回头看: 未整改, 升级督办`,
      `${quarter} 回头看: 已整改`,
    ],
  );
  // One item per stalled project and rule; an open one from before stands for it, and so does this
  // quarter's own item when the quarter is run again after it was closed (办结): no conflict of either
  // kind fails the review.
  const due = lastDayOfMonth(addMonthsToMonth(monthOf(asOf), 1));
  const opened = await manager.query<{ item_id: string }[]>(
    `INSERT INTO supervision_items (item_id, project_id, rule, rule_label, region, opened_in, status, owner_role,
                                    owner_id, rung, due_date)
     SELECT t.item_id, t.project_id, t.rule, t.rule_label, p.region, $1, 'issued', $7::text,
            p.service_officer_id, 1, $2::date
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[]) AS t(item_id, project_id, rule, rule_label)
     JOIN projects p ON p.project_id = t.project_id
     ON CONFLICT DO NOTHING
     RETURNING item_id`,
    [
      quarter,
      due,
      stalled.map((s) => itemIdFor(s.projectId, s.rule, quarter)),
      stalled.map((s) => s.projectId),
      stalled.map((s) => s.rule),
      stalled.map((s) => s.ruleLabel),
      SUPERVISION_OWNER_ROLE,
    ],
  );
  if (opened.length > 0) {
    await manager.query(
      `INSERT INTO supervision_item_steps (item_id, from_status, to_status, actor_id, actor_role, note)
       SELECT id, NULL, 'issued', $2, 'system', $3 FROM unnest($1::uuid[]) AS id`,
      [opened.map((o) => o.item_id), actorId, `${quarter} 回头看: 下发`],
    );
  }
}
