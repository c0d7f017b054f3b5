// The rebuild of the projections from the event log, and its diff with the live tables.
export { NOT_PROJECTIONS, PROJECTIONS } from './projections';
export { rebuildProjections, type RebuildOptions, type RebuildProgress, type RebuildResult } from './rebuild';
export {
  diffProjections,
  type DiffOptions,
  type ProjectionDiff,
  type RowDifference,
  type TableDiff,
} from './diff';
export { rebuildAndDiffProjections } from './rebuild-and-diff';
