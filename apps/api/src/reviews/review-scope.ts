import { readingScope, scopeCovers, type Actor } from '@app/domain';
import {
  compare,
  ratesFromCounts,
  sumCounts,
  type RegionChainCounts,
  type ReviewRates,
  type ReviewReport,
} from '@app/quarterly-review';

/** A report as one reader sees it: the stored one, or its figures over the regions they may read. */
export interface ReviewReportView extends Omit<ReviewReport, 'rates'> {
  rates: {
    /** Null when the stored revision has no counts to sum for the reader's regions. */
    overall: ReviewRates | null;
    byRegion: { region: string; rates: ReviewRates }[];
    byIndustryChain: { industryChain: string; rates: ReviewRates }[];
    /** Present when the figures are not the whole report's: over which regions, and why. */
    scope?: { regions: string[]; note: string };
  };
}

export const SCOPED_NOTE =
  'overall and per-industry-chain figures are over the projects of the regions you may read, summed from the counts per region and chain';
export const OMITTED_NOTE =
  'this revision was stored without counts per region and chain, so overall and per-industry-chain figures over the regions you may read cannot be given and are omitted; a review run now stores them';

/** Every region a report names, in its figures and its lists. */
function regionsOf(report: ReviewReport): Set<string> {
  return new Set([
    ...report.rates.byRegion.map((g) => g.region),
    ...(report.counts?.byRegionAndChain ?? []).map((c) => c.region),
    ...report.stalled.map((s) => s.region),
    ...report.supervision.opened.map((i) => i.region),
    ...report.supervision.escalated.map((i) => i.region),
    ...report.supervision.resolved.map((i) => i.region),
  ]);
}

/**
 * The report as `actor` may see it. A reader whose rights cover every region in it (auditors,
 * admins, a province-wide role) gets the stored report as is. Anyone else sees only the regions they
 * may read: their rows and lists, and overall and per-chain rates summed from those regions' counts
 * with the report's own rounding; a revision without counts shows no overall or chain figures.
 */
export function scopeReport(report: ReviewReport, actor: Actor): ReviewReportView {
  const scope = readingScope(actor);
  const reads = (region: string) => scopeCovers(scope, region);
  const regions = [...regionsOf(report)];
  if (regions.every(reads)) return report;

  const mine = <T extends { region: string }>(list: T[]) => list.filter((x) => reads(x.region));
  const cells = report.counts ? mine(report.counts.byRegionAndChain) : null;
  const readable = regions.filter(reads).sort(compare);
  return {
    ...report,
    rates: {
      overall: cells ? ratesFromCounts(sumCounts(cells.map((c) => c.counts))) : null,
      byRegion: mine(report.rates.byRegion),
      byIndustryChain: cells ? byChain(cells) : [],
      scope: { regions: readable, note: cells ? SCOPED_NOTE : OMITTED_NOTE },
    },
    stalled: mine(report.stalled),
    supervision: {
      opened: mine(report.supervision.opened),
      escalated: mine(report.supervision.escalated),
      resolved: mine(report.supervision.resolved),
    },
    ...(cells ? { counts: { byRegionAndChain: cells } } : {}),
  };
}

/** Per-chain rates of the given cells, in the report's chain order. */
function byChain(cells: RegionChainCounts[]): { industryChain: string; rates: ReviewRates }[] {
  const chains = new Map<string, RegionChainCounts[]>();
  for (const cell of cells) chains.set(cell.industryChain, [...(chains.get(cell.industryChain) ?? []), cell]);
  return [...chains.keys()].sort(compare).map((industryChain) => ({
    industryChain,
    rates: ratesFromCounts(sumCounts(chains.get(industryChain)!.map((c) => c.counts))),
  }));
}
