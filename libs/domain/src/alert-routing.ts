import type { Role } from './actor';
import type { Addressee } from './alerts';
import { isMobileNumber } from './people';
import { regionsCovering, regionsScope, scopeCovers, type BindParameter } from './region-scope';

/**
 * Who an alert reaches and on what. An addressee by id is that person; by role, whoever holds the
 * role where their regions cover the alert's region — the inbox's rule (`scopeCovers` over the
 * holder's regions, as `scopeSql` states it for the inbox). Each recipient is reached on their
 * e-mail and on the DingTalk and WeCom group robots of the place, which @-mention their mobile.
 */
export type RobotKind = 'dingtalk' | 'wecom';
export const ROBOT_KINDS: readonly RobotKind[] = ['dingtalk', 'wecom'];
export const ROBOT_KIND_LABELS: Record<RobotKind, string> = {
  dingtalk: '钉钉群机器人',
  wecom: '企业微信群机器人',
};

/** The channels an alert is routed to per person; the generic signed webhook is not per person. */
export type PersonChannel = 'email' | RobotKind;
export const PERSON_CHANNELS: readonly PersonChannel[] = ['email', 'dingtalk', 'wecom'];

/** What routing needs of a directory entry. */
export interface RoutablePerson {
  personId: string;
  name: string;
  role: Role;
  regions: readonly string[];
  phone: string | null;
  email: string | null;
  active: boolean;
}

/** What routing needs of a group robot. */
export interface RoutableRobot {
  robotId: string;
  kind: RobotKind;
  region: string;
  department: string | null;
  enabled: boolean;
}

export type RoutedChannel =
  { channel: 'email'; address: string } | { channel: RobotKind; robotId: string; mention: string | null };

export interface Recipient {
  personId: string;
  name: string;
  channels: RoutedChannel[];
}

/**
 * Why an alert reaches nobody: nobody holds the role in the region; the person it names is not
 * (or no longer) in the directory; a recipient has no e-mail, no mobile and no robot; or a
 * recipient has a mobile to be @-mentioned by but the place has no robot.
 */
export type UnreachedReason = 'no_holder' | 'unknown_person' | 'no_channel' | 'no_robot';
export const UNREACHED_REASONS: readonly UnreachedReason[] = [
  'no_holder',
  'unknown_person',
  'no_channel',
  'no_robot',
];
export const UNREACHED_REASON_LABELS: Record<UnreachedReason, string> = {
  no_holder: '该地区无人担任此角色',
  unknown_person: '人员名录中无此人',
  no_channel: '此人无电子邮件、手机，所在地区亦无群机器人',
  no_robot: '所在地区无群机器人可@此人',
};

export interface UnreachedCause {
  reason: UnreachedReason;
  /** The recipient it concerns; absent when there is no recipient at all. */
  personId?: string;
}

export interface Routing {
  recipients: Recipient[];
  /** True when no recipient has a channel: the alert would be lost without an admin's notice. */
  unreached: boolean;
  causes: UnreachedCause[];
}

/** The region an alert is addressed in: its addressee's, or else its project's (the inbox's ADDRESSEE_REGION). */
export function alertRegion(addressee: Addressee, projectRegion: string | null): string | null {
  return addressee.region ?? projectRegion;
}

/** Whether a person holds the addressee's role where the alert is: the inbox's rule for a role. */
export function holdsAddressee(person: RoutablePerson, addressee: Addressee, region: string | null): boolean {
  if (!person.active || addressee.id !== undefined) return false;
  return person.role === addressee.role && scopeCovers(regionsScope(person.regions), region);
}

/**
 * SQL over the people table: the entries `routeAlert` may pick for this addressee — the person by
 * id, or the role's holders whose regions cover the region (`regionsCovering`, the codes whose
 * scope covers it). The domain function still decides; this only narrows what is read.
 */
export function addresseeCandidatesSql(
  addressee: Addressee,
  region: string | null,
  bind: BindParameter,
  columns = { personId: 'person_id', role: 'role', regions: 'regions' },
): string {
  if (addressee.id !== undefined) return `${columns.personId} = ${bind(addressee.id)}`;
  if (region === null) return 'FALSE';
  return `(${columns.role} = ${bind(addressee.role)} AND ${columns.regions} && ${bind(regionsCovering(region))}::text[])`;
}

/**
 * The robot of a kind for a person and place: an enabled one whose region covers the alert's
 * region, preferring one of the person's own regions, then the nearest (county, city, province),
 * then the lowest id, so that the same directory always picks the same robot.
 */
export function robotFor(
  kind: RobotKind,
  person: RoutablePerson,
  region: string | null,
  robots: readonly RoutableRobot[],
): RoutableRobot | undefined {
  if (region === null) return undefined;
  const covering = regionsCovering(region);
  const candidates = robots.filter((r) => r.enabled && r.kind === kind && covering.includes(r.region));
  const rank = (r: RoutableRobot) => [person.regions.includes(r.region) ? 0 : 1, covering.indexOf(r.region)];
  return [...candidates].sort((a, b) => {
    const [a0, a1] = rank(a);
    const [b0, b1] = rank(b);
    return a0 - b0 || a1 - b1 || (a.robotId < b.robotId ? -1 : a.robotId > b.robotId ? 1 : 0);
  })[0];
}

/** A person's channels for an alert in a region: their e-mail, and each kind's robot mentioning their mobile. */
export function channelsFor(
  person: RoutablePerson,
  region: string | null,
  robots: readonly RoutableRobot[],
): RoutedChannel[] {
  const channels: RoutedChannel[] = [];
  const email = person.email?.trim();
  if (email) channels.push({ channel: 'email', address: email });
  const mention = isMobileNumber(person.phone) ? person.phone : null;
  for (const kind of ROBOT_KINDS) {
    const robot = robotFor(kind, person, region, robots);
    if (robot) channels.push({ channel: kind, robotId: robot.robotId, mention });
  }
  return channels;
}

/** The recipients of an alert and their channels, and whether it reaches nobody and why. */
export function routeAlert(input: {
  addressee: Addressee;
  region: string | null;
  people: readonly RoutablePerson[];
  robots: readonly RoutableRobot[];
}): Routing {
  const { addressee, region, people, robots } = input;
  const holders =
    addressee.id !== undefined
      ? people.filter((p) => p.active && p.personId === addressee.id).slice(0, 1)
      : people.filter((p) => holdsAddressee(p, addressee, region));
  const byId = [...new Map(holders.map((p) => [p.personId, p])).values()].sort((a, b) =>
    a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0,
  );
  if (byId.length === 0) {
    return {
      recipients: [],
      unreached: true,
      causes: [
        addressee.id !== undefined
          ? { reason: 'unknown_person', personId: addressee.id }
          : { reason: 'no_holder' },
      ],
    };
  }
  const recipients = byId.map((p) => ({
    personId: p.personId,
    name: p.name,
    channels: channelsFor(p, region, robots),
  }));
  const causes = recipients
    .filter((r) => r.channels.length === 0)
    .map((r): UnreachedCause => {
      const person = byId.find((p) => p.personId === r.personId);
      return { reason: isMobileNumber(person?.phone) ? 'no_robot' : 'no_channel', personId: r.personId };
    });
  return { recipients, unreached: recipients.every((r) => r.channels.length === 0), causes };
}

/** The channel of a routed channel, and the robot it goes through when it is one. */
export function channelTarget(channel: RoutedChannel): { robotId: string | null; address: string | null } {
  return channel.channel === 'email'
    ? { robotId: null, address: channel.address }
    : { robotId: channel.robotId, address: channel.mention };
}
