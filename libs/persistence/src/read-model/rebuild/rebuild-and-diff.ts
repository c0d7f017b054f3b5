import type { DataSource } from 'typeorm';
import { diffProjections, type DiffOptions, type ProjectionDiff } from './diff';
import { inSnapshot } from './projections';
import { rebuildProjections, type RebuildOptions, type RebuildResult } from './rebuild';

/** Rebuilds and diffs on one snapshot, so events recorded meanwhile cannot show as differences. */
export async function rebuildAndDiffProjections(
  dataSource: DataSource,
  options: RebuildOptions & DiffOptions = {},
): Promise<{ rebuild: RebuildResult; diff: ProjectionDiff }> {
  return inSnapshot(dataSource, async (manager) => {
    const rebuild = await rebuildProjections(manager, options);
    const diff = await diffProjections(manager, options);
    return { rebuild, diff };
  });
}
