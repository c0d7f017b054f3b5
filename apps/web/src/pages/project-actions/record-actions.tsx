import type { ProjectAction } from './types';

/** What is recorded on a project without moving its stage: funds, blockers, visits, corrections, assignments, extensions. */
export const RECORD_ACTIONS: ProjectAction[] = [];
