export type StageCode =
  'lead' | 'negotiating' | 'signed' | 'landed' | 'started' | 'in_stats' | 'producing' | 'dropped';

export const STAGE_LABELS: Record<StageCode, string> = {
  lead: '线索',
  negotiating: '在谈',
  signed: '签约',
  landed: '落地',
  started: '开工',
  in_stats: '入统',
  producing: '投产',
  dropped: '终止',
};

/** The lifecycle in order; `dropped` stands outside it. */
export const STAGE_ORDER: readonly Exclude<StageCode, 'dropped'>[] = [
  'lead',
  'negotiating',
  'signed',
  'landed',
  'started',
  'in_stats',
  'producing',
];

export const ALL_STAGES: readonly StageCode[] = [...STAGE_ORDER, 'dropped'];

/** Position in the lifecycle; -1 for `dropped`. */
export function stageIndex(stage: StageCode): number {
  return stage === 'dropped' ? -1 : STAGE_ORDER.indexOf(stage);
}

/** True when `stage` is at or beyond `target` in the lifecycle (never for `dropped`). */
export function hasReached(stage: StageCode, target: Exclude<StageCode, 'dropped'>): boolean {
  return stage !== 'dropped' && stageIndex(stage) >= stageIndex(target);
}

export function isStageCode(value: unknown): value is StageCode {
  return typeof value === 'string' && (ALL_STAGES as readonly string[]).includes(value);
}
