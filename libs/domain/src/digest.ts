import { chinaCalendar, type BusinessCalendar } from './calendar';
import { addDays, type IsoDate } from './dates';

/**
 * The morning digest: once a working day, each person gets what is theirs in one message per
 * channel. Pure: the day and the items come in, so the schedule, the activity and the renderers
 * agree on what a digest holds.
 */

/** The days a digest goes out: China's working days, 调休 make-up days included, holidays not. */
export function isDigestDay(date: IsoDate, calendar: BusinessCalendar = chinaCalendar): boolean {
  return calendar.isWorkingDay(date);
}

/** A project with no update for this many days counts as gone quiet. */
export const DIGEST_STALE_DAYS = 30;

/** The last day an update may have been made on for a project still to count as quiet on `day`. */
export function staleBefore(day: IsoDate): IsoDate {
  return addDays(day, -DIGEST_STALE_DAYS);
}

/** An open alert or escalation addressed to the person (the inbox's rule), its highest rung only. */
export interface DigestAlert {
  projectId: string;
  projectName: string;
  ruleLabel: string;
  dueDate: string | null;
  rung: number;
}

export interface DigestProject {
  projectId: string;
  projectName: string;
  stageLabel: string;
}

/** A 督办 item of theirs that falls due by the digest's day. */
export interface DigestSupervisionItem {
  projectId: string;
  projectName: string;
  ruleLabel: string;
  dueDate: IsoDate;
  statusLabel: string;
}

export interface DigestQuietProject extends DigestProject {
  /** The day of the last update, Asia/Shanghai. */
  lastUpdated: IsoDate;
}

export interface DigestItems {
  alerts: DigestAlert[];
  redLights: DigestProject[];
  supervision: DigestSupervisionItem[];
  quiet: DigestQuietProject[];
}

/** One person's digest for one day. */
export interface Digest extends DigestItems {
  day: IsoDate;
  personId: string;
  personName: string;
}

export function digestItemCount(items: DigestItems): number {
  return items.alerts.length + items.redLights.length + items.supervision.length + items.quiet.length;
}

/** A person with nothing gets no digest. */
export function digestFor(
  day: IsoDate,
  person: { personId: string; name: string },
  items: DigestItems,
): Digest | null {
  if (digestItemCount(items) === 0) return null;
  const byProject = <T extends { projectName: string; projectId: string }>(a: T, b: T) =>
    a.projectName.localeCompare(b.projectName, 'zh-CN') || (a.projectId < b.projectId ? -1 : 1);
  return {
    day,
    personId: person.personId,
    personName: person.name,
    // Highest rung first: an escalation is read before an alert.
    alerts: [...items.alerts].sort((a, b) => b.rung - a.rung || byProject(a, b)),
    redLights: [...items.redLights].sort(byProject),
    supervision: [...items.supervision].sort(
      (a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) || byProject(a, b),
    ),
    quiet: [...items.quiet].sort(
      (a, b) =>
        (a.lastUpdated < b.lastUpdated ? -1 : a.lastUpdated > b.lastUpdated ? 1 : 0) || byProject(a, b),
    ),
  };
}
