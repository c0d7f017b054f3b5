import type { Actor, Role } from './actor';
import { actsOn } from './permissions';
import type { Refusal } from './refusals';

/**
 * A 督办 item's course: 下发 (the review issues it) → 签收 → 办理 → 反馈 (the officers who own it)
 * → 复核 → 办结 (a leader).
 */
export const SUPERVISION_STATUSES = [
  'issued',
  'acknowledged',
  'in_hand',
  'reported',
  'checked',
  'closed',
] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];

/** The statuses a person moves an item to: every one but 下发, which only a review sets. */
export type SupervisionStep = Exclude<SupervisionStatus, 'issued'>;
export const SUPERVISION_STEPS: readonly SupervisionStep[] = SUPERVISION_STATUSES.slice(
  1,
) as SupervisionStep[];

export const SUPERVISION_STATUS_LABELS: Record<SupervisionStatus, string> = {
  issued: '下发',
  acknowledged: '签收',
  in_hand: '办理',
  reported: '反馈',
  checked: '复核',
  closed: '办结',
};

/**
 * What an item's history records: a step to a status, or a 回头看 escalating it one rung (未整改)
 * without changing its status.
 */
export const SUPERVISION_HISTORY_ENTRIES = [...SUPERVISION_STATUSES, 'escalated'] as const;
export type SupervisionHistoryEntry = (typeof SUPERVISION_HISTORY_ENTRIES)[number];
export const SUPERVISION_HISTORY_LABELS: Record<SupervisionHistoryEntry, string> = {
  ...SUPERVISION_STATUS_LABELS,
  escalated: '升级督办',
};

/** Each step: the status it follows and the roles that take it. */
export const SUPERVISION_STEP_RULES: Record<
  SupervisionStep,
  { from: SupervisionStatus; roles: readonly Role[] }
> = {
  acknowledged: { from: 'issued', roles: ['officer', 'chief_officer'] },
  in_hand: { from: 'acknowledged', roles: ['officer', 'chief_officer'] },
  reported: { from: 'in_hand', roles: ['officer', 'chief_officer'] },
  checked: { from: 'reported', roles: ['leader'] },
  closed: { from: 'checked', roles: ['leader'] },
};

/** Whom a review issues an item to: the project's 服务专员 (by id when it has one), who takes it on. */
export const SUPERVISION_OWNER_ROLE: Role = 'officer';

export function isSupervisionStep(value: unknown): value is SupervisionStep {
  return (SUPERVISION_STEPS as readonly unknown[]).includes(value);
}

/** The status after this one, in the item's course; null once it is closed. */
export function nextStatus(status: SupervisionStatus): SupervisionStep | null {
  return SUPERVISION_STEPS.find((step) => SUPERVISION_STEP_RULES[step].from === status) ?? null;
}

/** What a step needs to know of the item. */
export interface SupervisionItemScope {
  status: SupervisionStatus;
  region: string;
}

export type SupervisionRefusalCode = 'ROLE_NOT_ALLOWED' | 'SUPERVISION_STEP_OUT_OF_ORDER';

export type StepDecision =
  | { outcome: 'accepted'; from: SupervisionStatus; to: SupervisionStep }
  | { outcome: 'refused'; refusal: Refusal & { code: SupervisionRefusalCode } };

/**
 * Whether the actor may take the item to `step`: only a role that owns the step, acting in the
 * item's region, and only from the status the step follows. Rights are judged before the order,
 * so a person who may not take a step learns nothing of where the item stands.
 */
export function decideStep(item: SupervisionItemScope, step: SupervisionStep, actor: Actor): StepDecision {
  const rule = SUPERVISION_STEP_RULES[step];
  if (
    !rule.roles.includes(actor.role) ||
    !actsOn(actor, { region: item.region, chiefServiceOfficerId: null })
  ) {
    return {
      outcome: 'refused',
      refusal: {
        code: 'ROLE_NOT_ALLOWED',
        message: {
          zh: `${SUPERVISION_STATUS_LABELS[step]}由${rule.roles.includes('leader') ? '领导' : '责任单位'}办理`,
          en: `only ${rule.roles.join(' or ')} in the item's region may ${step} it`,
        },
      },
    };
  }
  if (item.status !== rule.from) {
    return {
      outcome: 'refused',
      refusal: {
        code: 'SUPERVISION_STEP_OUT_OF_ORDER',
        message: {
          zh: `督办事项当前为「${SUPERVISION_STATUS_LABELS[item.status]}」,不能直接「${SUPERVISION_STATUS_LABELS[step]}」`,
          en: `the item is ${item.status}; ${step} follows ${rule.from}`,
        },
      },
    };
  }
  return { outcome: 'accepted', from: item.status, to: step };
}

/**
 * The steps the actor may take the item to now, as decideStep judges them (at most one: the next
 * in its course), so that a screen offers only the steps that would be accepted.
 */
export function supervisionStepsFor(item: SupervisionItemScope, actor: Actor): SupervisionStep[] {
  return SUPERVISION_STEPS.filter((step) => decideStep(item, step, actor).outcome === 'accepted');
}
