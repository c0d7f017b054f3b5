import type { EntityManager } from 'typeorm';
import {
  channelsFor,
  channelTarget,
  digestFor,
  positionalParameters,
  regionsScope,
  scopeSql,
  STAGE_LABELS,
  staleBefore,
  STEP_LABELS,
  SUPERVISION_STATUS_LABELS,
  type Digest,
  type DigestItems,
  type IsoDate,
  type PersonChannel,
  type RoutablePerson,
  type StageCode,
  type SupervisionStatus,
} from '@app/domain';
import { robotsCovering, routablePerson, routableRobot } from './channel-routing';
import { currentPolicy } from './policies';
import { stableUuid } from './stable-id';

/** A person's digest of a day on one channel: the same however often the day's run is repeated. */
export function digestDeliveryId(day: IsoDate, personId: string, channel: PersonChannel): string {
  return stableUuid('digest-delivery', day, personId, channel);
}

type PersonRecord = Parameters<typeof routablePerson>[0];

const ADDRESSEE_REGION = `COALESCE(o.addressee->>'region', p.region)`;

/** What is a person's on a day, read from the read model: the inbox's rule for the alerts. */
export async function digestItemsOf(
  manager: EntityManager,
  person: RoutablePerson,
  day: IsoDate,
  ruleLabels: ReadonlyMap<string, string>,
): Promise<DigestItems> {
  const scope = regionsScope(person.regions);
  const alertParams: unknown[] = [];
  const bind = positionalParameters(alertParams);
  const alerts = await manager.query<
    {
      project_id: string;
      project_name: string;
      deadline_id: string;
      rule: string | null;
      step: string | null;
      due_date: string | null;
      rung: number;
    }[]
  >(
    `SELECT DISTINCT ON (o.project_id, o.deadline_id)
            o.project_id, p.name AS project_name, o.deadline_id, raised.data->>'rule' AS rule,
            raised.data->>'step' AS step, raised.data->>'dueDate' AS due_date, o.rung
     FROM outbox o
     JOIN projects p ON p.project_id = o.project_id
     LEFT JOIN LATERAL (
       SELECT r.payload->'data' AS data FROM outbox r
       WHERE r.project_id = o.project_id AND r.deadline_id = o.deadline_id AND r.kind = 'alert' AND r.id <= o.id
       ORDER BY r.id DESC LIMIT 1
     ) raised ON true
     WHERE (o.addressee->>'id' = ${bind(person.personId)}
            OR (o.addressee->>'id' IS NULL AND o.addressee->>'role' = ${bind(person.role)}
                AND ${scopeSql(scope, ADDRESSEE_REGION, bind)}))
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(p.state->'alerts') AS x WHERE x->>'deadlineId' = o.deadline_id)
     ORDER BY o.project_id, o.deadline_id, o.rung DESC, o.id DESC`,
    alertParams,
  );
  const theirs = `(p.service_officer_id = $1 OR p.chief_service_officer_id = $1) AND p.stage <> 'dropped'`;
  const redLights = await manager.query<{ project_id: string; name: string; stage: string }[]>(
    `SELECT p.project_id, p.name, p.stage FROM projects p WHERE ${theirs} AND p.light = 'red'`,
    [person.personId],
  );
  const quiet = await manager.query<{ project_id: string; name: string; stage: string; last: string }[]>(
    `SELECT p.project_id, p.name, p.stage,
            to_char(p.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS last
     FROM projects p
     WHERE ${theirs} AND p.stage <> 'producing'
       AND (p.updated_at AT TIME ZONE 'Asia/Shanghai')::date <= $2::date`,
    [person.personId, staleBefore(day)],
  );
  const itemParams: unknown[] = [];
  const bindItem = positionalParameters(itemParams);
  const supervision = await manager.query<
    { project_id: string; name: string; rule_label: string; due_date: string; status: SupervisionStatus }[]
  >(
    `SELECT s.project_id, p.name, s.rule_label, to_char(s.due_date, 'YYYY-MM-DD') AS due_date, s.status
     FROM supervision_items s JOIN projects p ON p.project_id = s.project_id
     WHERE s.status <> 'closed' AND s.due_date <= ${bindItem(day)}::date
       AND (s.owner_id = ${bindItem(person.personId)}
            OR (s.owner_id IS NULL AND s.owner_role = ${bindItem(person.role)} AND ${scopeSql(scope, 's.region', bindItem)}))`,
    itemParams,
  );
  const stage = (code: string) => STAGE_LABELS[code as StageCode] ?? code;
  return {
    alerts: alerts.map((a) => ({
      projectId: a.project_id,
      projectName: a.project_name,
      ruleLabel:
        (a.rule ? ruleLabels.get(a.rule) : undefined) ??
        STEP_LABELS[a.step as keyof typeof STEP_LABELS] ??
        a.rule ??
        a.deadline_id,
      dueDate: a.due_date,
      rung: a.rung,
    })),
    redLights: redLights.map((p) => ({
      projectId: p.project_id,
      projectName: p.name,
      stageLabel: stage(p.stage),
    })),
    supervision: supervision.map((s) => ({
      projectId: s.project_id,
      projectName: s.name,
      ruleLabel: s.rule_label,
      dueDate: s.due_date,
      statusLabel: SUPERVISION_STATUS_LABELS[s.status] ?? s.status,
    })),
    quiet: quiet.map((p) => ({
      projectId: p.project_id,
      projectName: p.name,
      stageLabel: stage(p.stage),
      lastUpdated: p.last,
    })),
  };
}

export interface QueuedDigests {
  /** People with something in their digest. */
  people: number;
  /** Deliveries queued now; those queued by an earlier run of the day are not counted again. */
  queued: number;
}

/**
 * Queues the day's digest of each active person with something in it: one channel delivery per
 * person and channel (their e-mail, the robots of their first region), under a delivery id derived
 * from day, person and channel, so a second run of the day queues nothing. `personIds` narrows it
 * to these people (tests that share a database with others).
 */
export async function queueDigests(
  manager: EntityManager,
  day: IsoDate,
  personIds?: readonly string[],
): Promise<QueuedDigests> {
  const people = await manager.query<PersonRecord[]>(
    `SELECT person_id, name, role, regions, phone, email, active FROM people
     WHERE active ${personIds ? 'AND person_id = ANY($1::text[])' : ''} ORDER BY person_id`,
    personIds ? [personIds] : [],
  );
  const ruleLabels = new Map((await currentPolicy(manager)).policy.rules.map((r) => [r.id, r.label]));
  const result: QueuedDigests = { people: 0, queued: 0 };
  for (const record of people) {
    const person = routablePerson(record);
    const digest: Digest | null = digestFor(
      day,
      person,
      await digestItemsOf(manager, person, day, ruleLabels),
    );
    if (!digest) continue;
    result.people++;
    const region = person.regions[0] ?? null;
    const robots = await robotsCovering(manager, region);
    for (const channel of channelsFor(person, region, robots.map(routableRobot))) {
      const target = channelTarget(channel);
      const deliveryId = digestDeliveryId(day, person.personId, channel.channel);
      const inserted = await manager.query<unknown[]>(
        `INSERT INTO channel_deliveries (delivery_id, outbox_id, event_id, project_id, kind, deadline_id, rung, addressee,
                                         person_id, channel, robot_id, address, created_at, next_attempt_at, digest)
         VALUES ($1, NULL, $1, '', 'digest', 'digest', 0, $2, $3, $4, $5, $6, now(), now(), $7)
         ON CONFLICT (delivery_id) DO NOTHING
         RETURNING id`,
        [
          deliveryId,
          JSON.stringify({ id: person.personId, role: person.role, label: person.name }),
          person.personId,
          channel.channel,
          target.robotId,
          target.address,
          JSON.stringify(digest),
        ],
      );
      result.queued += inserted.length;
    }
  }
  return result;
}
