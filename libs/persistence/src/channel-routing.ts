import type { EntityManager } from 'typeorm';
import {
  addresseeCandidatesSql,
  alertRegion,
  channelTarget,
  positionalParameters,
  regionsCovering,
  routeAlert,
  type Addressee,
  type PersonChannel,
  type RoutablePerson,
  type RoutableRobot,
  type Routing,
} from '@app/domain';
import { stableUuid } from './stable-id';

/** The delivery id of one alert or escalation to one person on one channel: the same however often it is queued. */
export function channelDeliveryId(eventId: string, personId: string, channel: PersonChannel): string {
  return stableUuid('channel-delivery', eventId, personId, channel);
}

interface PersonRecord {
  person_id: string;
  name: string;
  role: RoutablePerson['role'];
  regions: string[];
  phone: string | null;
  email: string | null;
  active: boolean;
}

interface RobotRecord {
  robot_id: string;
  kind: RoutableRobot['kind'];
  region: string;
  department: string | null;
  enabled: boolean;
}

/** A directory row as the routing rule reads it. */
export function routablePerson(r: PersonRecord): RoutablePerson {
  return {
    personId: r.person_id,
    name: r.name,
    role: r.role,
    regions: r.regions,
    phone: r.phone,
    email: r.email,
    active: r.active,
  };
}

/** The enabled group robots of a region and of the city and province that contain it (none for no region). */
export async function robotsCovering(manager: EntityManager, region: string | null): Promise<RobotRecord[]> {
  if (region === null) return [];
  return manager.query<RobotRecord[]>(
    `SELECT robot_id::text AS robot_id, kind, region, department, enabled
     FROM group_robots WHERE enabled AND region = ANY($1::text[])`,
    [regionsCovering(region)],
  );
}

export function routableRobot(r: RobotRecord): RoutableRobot {
  return {
    robotId: r.robot_id,
    kind: r.kind,
    region: r.region,
    department: r.department,
    enabled: r.enabled,
  };
}

function isAddressee(value: unknown): value is Addressee {
  if (typeof value !== 'object' || value === null) return false;
  const { role, id, region } = value as Record<string, unknown>;
  return (
    typeof role === 'string' &&
    (id === undefined || typeof id === 'string') &&
    (region === undefined || typeof region === 'string')
  );
}

/**
 * How an addressee in a region is routed now, from the directory and the enabled robots: what the
 * queue fans out to, and what the unreached list reports.
 */
export async function routeAddressee(
  manager: EntityManager,
  addressee: unknown,
  projectRegion: string | null,
): Promise<Routing & { region: string | null }> {
  if (!isAddressee(addressee)) {
    return { region: projectRegion, recipients: [], unreached: true, causes: [{ reason: 'no_holder' }] };
  }
  const region = alertRegion(addressee, projectRegion?.trim() ?? null);
  const params: unknown[] = [];
  const candidates = addresseeCandidatesSql(addressee, region, positionalParameters(params));
  const people = await manager.query<PersonRecord[]>(
    `SELECT person_id, name, role, regions, phone, email, active FROM people WHERE active AND ${candidates}`,
    params,
  );
  const robots = await robotsCovering(manager, region);
  return {
    region,
    ...routeAlert({
      addressee,
      region,
      people: people.map(routablePerson),
      robots: robots.map(routableRobot),
    }),
  };
}

interface QueuedRow {
  id: string;
  event_id: string;
  project_id: string;
  kind: 'alert' | 'escalation';
  deadline_id: string;
  rung: number;
  addressee: unknown;
  created_at: Date;
  project_region: string | null;
}

/**
 * Fans the outbox rows of these events out to one delivery per person and channel, in the
 * transaction that queues them. A row already fanned out keeps its deliveries (the delivery id is
 * derived from event, person and channel), so queueing again sends nothing twice.
 */
export async function fanOutToPeople(manager: EntityManager, eventIds: readonly string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const rows = await manager.query<QueuedRow[]>(
    `SELECT o.id::text AS id, o.event_id, o.project_id, o.kind, o.deadline_id, o.rung, o.addressee, o.created_at,
            p.region AS project_region
     FROM outbox o LEFT JOIN projects p ON p.project_id = o.project_id
     WHERE o.event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  // One lookup per distinct addressee and region: a backdated history queues many alerts for the same people.
  const routed = new Map<string, Promise<Routing>>();
  const values: unknown[][] = [];
  for (const row of rows) {
    const key = JSON.stringify([row.addressee, row.project_region]);
    if (!routed.has(key)) routed.set(key, routeAddressee(manager, row.addressee, row.project_region));
    const routing = await routed.get(key)!;
    for (const recipient of routing.recipients) {
      for (const channel of recipient.channels) {
        const target = channelTarget(channel);
        values.push([
          channelDeliveryId(row.event_id, recipient.personId, channel.channel),
          row.id,
          row.event_id,
          row.project_id,
          row.kind,
          row.deadline_id,
          row.rung,
          JSON.stringify(row.addressee),
          recipient.personId,
          channel.channel,
          target.robotId,
          target.address,
          row.created_at,
        ]);
      }
    }
  }
  if (values.length === 0) return 0;
  const column = (i: number) => values.map((v) => v[i]);
  await manager.query(
    `INSERT INTO channel_deliveries (delivery_id, outbox_id, event_id, project_id, kind, deadline_id, rung, addressee,
                                     person_id, channel, robot_id, address, created_at, next_attempt_at)
     SELECT d, o, e, p, k, dl, r, a, pe, c, rb, ad, t, t
     FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::jsonb[],
                 $9::text[], $10::text[], $11::uuid[], $12::text[], $13::timestamptz[])
          AS x(d, o, e, p, k, dl, r, a, pe, c, rb, ad, t)
     ON CONFLICT (delivery_id) DO NOTHING`,
    Array.from({ length: 13 }, (_, i) => column(i)),
  );
  return values.length;
}
