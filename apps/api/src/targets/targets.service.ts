import { HttpStatus, Injectable } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import {
  dateParts,
  lastDayOfMonth,
  maySetTargets,
  metricProgress,
  metricValue,
  monthOf,
  narrowScope,
  RANKING_RULE,
  rankRegions,
  readingScope,
  scopeCovers,
  shanghaiDate,
  TARGET_METRICS,
  TARGET_REASON_MAX,
  targetReasonProblem,
  timeProgress,
  type Actor,
  type IsoDate,
  type IsoMonth,
  type RegionProgress,
  type TargetSet,
} from '@app/domain';
import {
  PROBLEM_BASE,
  ProblemException,
  regionOutsideScope,
  validationProblem,
} from '../common/problem-details';
import { TargetsQueries, type TargetRegions } from './targets.queries';
import type {
  BulletinView,
  ProgressQuery,
  ProgressView,
  PutTargetsDto,
  RegionTargetsView,
} from './targets.dto';

/** A 400 naming the field, shaped as the validation pipe shapes its errors. */
const fieldProblem = (field: string, rule: string, message: string): ProblemException =>
  validationProblem([
    Object.assign(new ValidationError(), { property: field, constraints: { [rule]: message }, children: [] }),
  ]);

/** 422 naming `reason`: a change of targets that does not say why. */
function reasonRefused(rule: 'required' | 'tooLong'): ProblemException {
  const message =
    rule === 'required'
      ? 'reason is required: say why the targets change'
      : `reason must be at most ${TARGET_REASON_MAX} characters`;
  return new ProblemException({
    type: `${PROBLEM_BASE}validation`,
    title: 'The request is not valid',
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    detail: `reason: ${message}`,
    code: rule === 'required' ? 'TARGET_REASON_REQUIRED' : 'TARGET_REASON_TOO_LONG',
    message: { zh: rule === 'required' ? '请填写调整原因' : '调整原因过长', en: message },
    errors: [{ field: 'reason', rule, message }],
  });
}

/**
 * Annual targets per region, progress against them beside 时序进度, and the monthly bulletin: who may
 * read and set them, and the progress and ranking, are the domain's (libs/domain/src/targets*.ts);
 * the SQL is TargetsQueries'.
 */
@Injectable()
export class TargetsService {
  constructor(private readonly queries: TargetsQueries) {}

  /** Today in Asia/Shanghai, where the year and its months are counted. */
  today(): IsoDate {
    return shanghaiDate(new Date().toISOString());
  }

  async get(year: number, region: string, actor: Actor): Promise<RegionTargetsView> {
    if (!scopeCovers(readingScope(actor), region)) throw regionOutsideScope(region, 'read');
    const [stored, changes] = await Promise.all([
      this.queries.targets(year, region),
      this.queries.changes(year, region),
    ]);
    const byMetric = new Map(stored.map((t) => [t.metric, t]));
    const entries = TARGET_METRICS.flatMap(({ metric, label }) => {
      const row = byMetric.get(metric);
      return row
        ? [
            {
              metric,
              label,
              target: row.target,
              updatedBy: row.updatedBy,
              updatedAt: row.updatedAt.toISOString(),
            },
          ]
        : [];
    });
    return {
      year,
      region,
      targets: Object.fromEntries(entries.map((e) => [e.metric, e.target])),
      entries,
      history: changes.map((c) => ({
        changedAt: c.changedAt.toISOString(),
        changedBy: c.changedBy,
        reason: c.reason,
        previous: c.previous,
        targets: c.targets,
      })),
    };
  }

  /** Replaces the region's targets for the year (the whole set), then answers them as read. */
  async put(year: number, region: string, dto: PutTargetsDto, actor: Actor): Promise<RegionTargetsView> {
    if (!maySetTargets(actor, region)) throw regionOutsideScope(region, 'set targets for');
    const reasonProblem = targetReasonProblem(dto.reason);
    if (reasonProblem) throw reasonRefused(reasonProblem);
    const next: TargetSet = {};
    for (const { metric } of TARGET_METRICS) {
      const value = dto.targets[metric];
      if (value !== undefined && value !== null) next[metric] = metricValue(metric, value);
    }
    await this.queries.replace(year, region, next, { actorId: actor.id, reason: dto.reason!.trim() });
    return this.get(year, region, actor);
  }

  async progress(query: ProgressQuery, actor: Actor): Promise<ProgressView> {
    const today = this.today();
    const year = query.year ?? dateParts(query.asOf ?? today).year;
    const asOf = query.asOf ?? (year < dateParts(today).year ? `${year}-12-31` : today);
    if (dateParts(asOf).year !== year) {
      throw fieldProblem('asOf', 'withinYear', `asOf must be a day of ${year}`);
    }
    const scope = readingScope(actor);
    if (query.region !== undefined && !scopeCovers(scope, query.region)) {
      throw regionOutsideScope(query.region, 'read');
    }
    const regions = await this.progressByRegion(
      year,
      asOf,
      query.region === undefined ? { scope } : { region: query.region },
    );
    return { year, asOf, timeProgressPercent: timeProgress(asOf), regions };
  }

  async bulletin(month: IsoMonth, actor: Actor, within?: string): Promise<BulletinView> {
    const today = this.today();
    const current = monthOf(today);
    if (month > current) {
      throw fieldProblem('month', 'notInFuture', `month must be ${current} or earlier`);
    }
    const asOf = month === current ? today : lastDayOfMonth(month);
    const year = dateParts(asOf).year;
    const regions = await this.progressWithin(asOf, actor, within);
    return {
      month,
      year,
      asOf,
      timeProgressPercent: timeProgress(asOf),
      rankingRule: RANKING_RULE,
      regions: rankRegions(regions),
    };
  }

  /**
   * The progress of every region with targets that the actor reads, within `within` when given
   * (itself and the regions it covers): the bulletin's regions and the dashboard's.
   */
  progressWithin(asOf: IsoDate, actor: Actor, within?: string): Promise<RegionProgress[]> {
    const scope = readingScope(actor);
    return this.progressByRegion(dateParts(asOf).year, asOf, {
      scope: within === undefined ? scope : narrowScope(scope, within),
    });
  }

  /** Every region with targets for the year among `regions`, with each target's progress. */
  private async progressByRegion(
    year: number,
    asOf: IsoDate,
    regions: TargetRegions,
  ): Promise<RegionProgress[]> {
    const targets = await this.queries.targetsOfYear(year, regions);
    if (targets.size === 0) return [];
    const actuals = await this.queries.actuals([...targets.keys()], asOf);
    return [...targets.entries()].map(([region, set]) => ({
      region,
      metrics: TARGET_METRICS.flatMap(({ metric }) =>
        set[metric] === undefined
          ? []
          : [metricProgress(metric, set[metric], actuals.get(region)![metric], asOf)],
      ),
    }));
  }
}
