import { ROLES, type Actor, type Role } from './actor';
import type { ProjectCommandType } from './commands';
import { PROJECT_COMMAND_TYPES, SYSTEM_COMMAND_TYPES } from './commands';
import { actingScope, readingScope, scopeCovers, scopeSql, type BindParameter } from './region-scope';

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
  if (actor.role === 'chief_officer' && project.chiefServiceOfficerId === actor.id) return true;
  return scopeCovers(actingScope(actor), project.region);
}

/** Whether the actor may read the project: auditors and admins everywhere, the rest where they act. */
export function mayRead(actor: Actor, project: ProjectScope): boolean {
  if (actor.role === 'chief_officer' && project.chiefServiceOfficerId === actor.id) return true;
  return scopeCovers(readingScope(actor), project.region);
}

/**
 * Whether the actor may read what a person did outside any project (a ledger import they ran): the
 * person who did it, and whoever reads everywhere (auditors, admins).
 */
export function mayReadWorkOf(actor: Actor, authorId: string): boolean {
  return actor.id === authorId || readingScope(actor).everywhere;
}

/** `mayRead` as a SQL condition over a read model's region and chief-officer columns. */
export function readableProjectsSql(
  actor: Actor,
  columns: { region: string; chiefServiceOfficerId: string },
  bind: BindParameter,
): string {
  const inScope = scopeSql(readingScope(actor), columns.region, bind);
  if (actor.role !== 'chief_officer' || inScope === 'TRUE') return inScope;
  return `(${inScope} OR ${columns.chiefServiceOfficerId} = ${bind(actor.id)})`;
}

/** The roles that may send at least one of these commands: who may call a route that sends them. */
export function rolesIssuing(...commands: ProjectCommandType[]): Role[] {
  return ROLES.filter((role) => commands.some((command) => mayIssue(role, command)));
}

/**
 * What a person may do besides sending project commands. Where a capability is bounded by region
 * (targets, 督办), the region rule applies on top of the role.
 */
export type Capability =
  | 'audit.read'
  | 'audit.checkpoint'
  | 'dashboard.read'
  | 'deliveries.read'
  | 'deliveries.retry'
  | 'duplicates.read'
  | 'people.manage'
  | 'policy.manage'
  | 'review.run'
  | 'supervision.step'
  | 'targets.set';

export const CAPABILITIES_BY_ROLE: Record<Role, readonly Capability[]> = {
  officer: ['supervision.step'],
  chief_officer: ['supervision.step'],
  leader: ['dashboard.read', 'duplicates.read', 'review.run', 'supervision.step', 'targets.set'],
  auditor: ['audit.read', 'dashboard.read', 'deliveries.read', 'duplicates.read'],
  admin: [
    'audit.read',
    'audit.checkpoint',
    'dashboard.read',
    'deliveries.read',
    'deliveries.retry',
    'duplicates.read',
    'people.manage',
    'policy.manage',
    'review.run',
    'targets.set',
  ],
  system: [],
};

export function mayDo(role: Role, capability: Capability): boolean {
  return CAPABILITIES_BY_ROLE[role]?.includes(capability) ?? false;
}

/**
 * Whether the actor may set a region's annual targets: a role that holds 'targets.set', acting in
 * the region (admins anywhere, leaders in the regions they cover).
 */
export function maySetTargets(actor: Actor, region: string): boolean {
  if (!mayDo(actor.role, 'targets.set')) return false;
  return actor.role === 'admin' || scopeCovers(actingScope(actor), region);
}

/** The roles that hold a capability: who may call a route that needs it. */
export function rolesWith(capability: Capability): Role[] {
  return ROLES.filter((role) => mayDo(role, capability));
}

/**
 * The commands the actor may send to this project now, as far as role and region decide (the
 * decider still judges each against the project's state): what a page offers them.
 */
export function commandsOn(actor: Actor, project: ProjectScope): ProjectCommandType[] {
  if (!actsOn(actor, project)) return [];
  // A history is imported from a ledger, not sent from a project's page.
  return (COMMANDS_BY_ROLE[actor.role] ?? []).filter(
    (command) => !SYSTEM_COMMAND_TYPES.includes(command) && command !== 'RecordHistory',
  );
}
