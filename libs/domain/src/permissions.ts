import type { Actor, Role } from './actor';
import { regionCovers } from './attributes';
import type { ProjectCommandType } from './commands';
import { PROJECT_COMMAND_TYPES, SYSTEM_COMMAND_TYPES } from './commands';

/** Everything a person may send, less what only leaders approve. */
const OFFICER_COMMANDS: readonly ProjectCommandType[] = PROJECT_COMMAND_TYPES.filter(
  (type) => !SYSTEM_COMMAND_TYPES.includes(type) && type !== 'ExtendDeadline' && type !== 'Reopen',
);

/**
 * Which commands each role may send. Officers and chief officers run the project; leaders approve
 * extensions and reopening, and decide who serves a project and whether it is dropped; auditors only
 * read; admins manage policy, not projects; the system sends only the timers' commands.
 */
export const COMMANDS_BY_ROLE: Record<Role, readonly ProjectCommandType[]> = {
  officer: OFFICER_COMMANDS,
  chief_officer: OFFICER_COMMANDS,
  leader: ['ExtendDeadline', 'Reopen', 'Drop', 'AssignServiceOfficer', 'AssignChiefServiceOfficer'],
  auditor: [],
  admin: [],
  system: SYSTEM_COMMAND_TYPES,
};

export function mayIssue(role: Role, command: ProjectCommandType): boolean {
  return COMMANDS_BY_ROLE[role]?.includes(command) ?? false;
}

/** What access rules need to know of a project. */
export interface ProjectScope {
  region: string | null;
  chiefServiceOfficerId: string | null;
}

/**
 * Whether the actor may act on the project: within their regions (a city or province covers its
 * counties), or, for a chief officer, on a project assigned to them wherever it is.
 */
export function actsOn(actor: Actor, project: ProjectScope): boolean {
  if (actor.role === 'system') return true;
  if (actor.role === 'chief_officer' && project.chiefServiceOfficerId === actor.id) return true;
  if (project.region === null) return false;
  const region = project.region;
  return actor.regions.some((r) => typeof r === 'string' && regionCovers(r, region));
}

/** Whether the actor may read the project: auditors and admins everywhere, the rest where they act. */
export function mayRead(actor: Actor, project: ProjectScope): boolean {
  return actor.role === 'auditor' || actor.role === 'admin' || actsOn(actor, project);
}
