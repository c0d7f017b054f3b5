import type { BusinessCalendar } from './calendar';
import type { ProjectPolicy } from './policy';

export type Role = 'officer' | 'chief_officer' | 'leader' | 'auditor' | 'admin' | 'system';
export const ROLES: readonly Role[] = ['officer', 'chief_officer', 'leader', 'auditor', 'admin', 'system'];

/** regions: 6-digit administrative division codes; the 'system' actor is used by timers. */
export interface Actor {
  id: string;
  role: Role;
  regions: string[];
}

/** now: ISO-8601 instant supplied by the caller; the library never reads a clock. */
export interface DecisionContext {
  actor: Actor;
  now: string;
  /**
   * The ids of the deadlines the project's watcher has open now, when the caller knows them (the
   * workflow does): an extension must name one of them.
   */
  openDeadlineIds?: readonly string[];
  /**
   * The policy and calendar the project's deadlines run on, when the caller has them (the workflow
   * does; the import's dry run passes the current ones): a recorded history then carries the alerts,
   * escalations and light changes that fell due between its steps, each on its own day.
   */
  deadlineRules?: { policy: ProjectPolicy; calendar: BusinessCalendar };
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system', regions: [] };

/** What users read for each role. */
export const ROLE_LABELS: Record<Role, string> = {
  officer: '服务专员',
  chief_officer: '首席服务官',
  leader: '分管领导',
  auditor: '审计人员',
  admin: '系统管理员',
  system: '系统',
};
