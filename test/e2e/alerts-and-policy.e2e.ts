import { getDeadlines, projectWorkflowId } from '../../libs/workflow-interface/src';
import { ApiClient, COUNTY, daysAgo, evidence, OTHER_REGION, REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

// Alerts come from the workflows' timers just after a command: the tests wait for them.
jest.setTimeout(30_000);

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

interface Alert {
  id: string;
  kind: string;
  projectId: string;
  deadlineId: string;
  step: string | null;
  rung: number;
  open: boolean;
  addressee: { kind: string; id?: string };
  acknowledgedAt: string | null;
}

/** The caller's inbox items for one project, once `ready` holds (timers record alerts just after a command). */
async function inboxFor(
  client: ApiClient,
  projectId: string,
  ready: (items: Alert[]) => boolean,
): Promise<Alert[]> {
  for (let i = 0; i < 100; i++) {
    const res = await client.get(`/api/alerts?projectId=${projectId}`).expect(200);
    const items = res.body.items as Alert[];
    if (ready(items)) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the inbox of ${client.caller.sub} never got there`);
}

describe('the alerts inbox', () => {
  it('gives the service officer their overdue reminder, lets them acknowledge it, and shows it closed once met', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-inbox' });
    const colleague = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-colleague' });
    // A lead with no activity for 50 days: 线索30天无进展提醒 is overdue (and would be under a 45-day policy).
    const { id } = await officer.register({ leadDate: daysAgo(50) });

    const [alert] = await inboxFor(officer, id, (items) => items.length > 0);
    expect(alert).toMatchObject({
      kind: 'alert',
      deadlineId: 'lead_follow_up',
      step: 'follow_up_lead',
      rung: 1,
      open: true,
      acknowledgedAt: null,
      addressee: { kind: 'service_officer', id: 'officer-inbox' },
    });
    expect((await colleague.get(`/api/alerts?projectId=${id}`).expect(200)).body.items).toEqual([]);
    await colleague.write(`/api/alerts/${alert.id}/acknowledgement`, {}).expect(404);

    const acked = await officer
      .write(`/api/alerts/${alert.id}/acknowledgement`, { note: '本周内走访' })
      .expect(200);
    expect(acked.body.acknowledgedAt).toEqual(expect.any(String));
    const again = await officer.write(`/api/alerts/${alert.id}/acknowledgement`, {}).expect(200);
    expect(again.body.acknowledgedAt).toBe(acked.body.acknowledgedAt);
    const unread = await officer.get(`/api/alerts?projectId=${id}&status=unacknowledged`).expect(200);
    expect(unread.body.items).toEqual([]);

    // A visit is activity: the reminder is met, and the inbox shows it closed.
    await officer.command(id, '/visits', { visitDate: today(), summary: '走访企业,推进在谈' });
    const [closed] = await inboxFor(officer, id, (items) => items.length > 0 && !items[0].open);
    expect(closed.id).toBe(alert.id);
    const stillOpen = await officer.get(`/api/alerts?projectId=${id}&open=true`).expect(200);
    expect(stillOpen.body.items).toEqual([]);
  });

  it("escalates a signed project without a chief officer up to the region's leaders", async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-escalation' });
    const cityLeader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-city' });
    const farLeader = new ApiClient(system, { role: 'leader', regions: [OTHER_REGION], sub: 'leader-far' });
    const { id } = await officer.register({ leadDate: daysAgo(130) });
    await officer.command(id, '/transitions', { ...evidence('signed'), contractDate: daysAgo(125) });

    const items = await inboxFor(cityLeader, id, (xs) => xs.some((x) => x.rung === 4));
    expect(items.every((x) => ['deputy_leader', 'principal_leader'].includes(x.addressee.kind))).toBe(true);
    expect(items.map((x) => x.deadlineId)).toContain('chief_officer_after_signing');
    expect((await farLeader.get(`/api/alerts?projectId=${id}`).expect(200)).body.items).toEqual([]);

    const project = await officer.get(`/api/projects/${id}`).expect(200);
    expect(project.body.rung).toBe(4);
    expect(project.body.light.code).toBe('red');
    expect(project.body.overdue).toBe(true);
  });

  it('pages through the inbox with a cursor, newest first', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-pages' });
    for (let i = 0; i < 3; i++) {
      const { id } = await officer.register({ leadDate: daysAgo(50 + i) });
      await inboxFor(officer, id, (items) => items.length > 0);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await officer.get(path).expect(200);
      seen.push(...(page.body.items as Alert[]).map((x) => x.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    await officer.get('/api/alerts?limit=0').expect(400);
    await officer.get('/api/alerts?cursor=abc').expect(400);
  });
});

describe('the policy', () => {
  it('is read by anyone, changed only by an admin under If-Match, validated, and reaches open workflows', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-policy' });
    const admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-policy' });
    const { id } = await officer.register();

    const current = await officer.get('/api/policy').expect(200);
    expect(current.headers.etag).toBe(`"v${current.body.version}"`);
    const policy = current.body.policy as { structureTargets: Record<string, string> };
    const changed = {
      ...policy,
      structureTargets: { ...policy.structureTargets, privateSharePercent: '55' },
    };
    const version = current.body.version as number;

    const forbidden = await officer.write(
      '/api/policy',
      { policy: changed, reason: '调整' },
      { method: 'put', version },
    );
    expect(forbidden.status).toBe(403);

    const invalid = await admin.write(
      '/api/policy',
      { policy: { ...changed, escalation: [] }, reason: '调整' },
      { method: 'put', version },
    );
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'policy.escalation' })]),
    );

    const stale = await admin.write(
      '/api/policy',
      { policy: changed, reason: '调整' },
      { method: 'put', version: version + 5 },
    );
    expect(stale.status).toBe(412);

    const stored = await admin.write(
      '/api/policy',
      { policy: changed, reason: '民营占比目标调整为55%' },
      { method: 'put', version },
    );
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      version: version + 1,
      createdBy: 'admin-policy',
      reason: '民营占比目标调整为55%',
    });
    // How far the rollout got while the PUT waited: all of it on an idle machine, maybe none yet on a
    // loaded one (the rollout goes on after the answer).
    if (stored.body.rollout?.status === 'done')
      expect(stored.body.workflowsSignalled).toBeGreaterThanOrEqual(1);
    else expect(stored.body.workflowsSignalled).toBeGreaterThanOrEqual(0);
    expect(stored.headers.etag).toBe(`"v${version + 1}"`);

    // This version, or a later one another file stored in the same database meanwhile.
    const handle = system.client.workflow.getHandle(projectWorkflowId(id));
    for (let i = 0; i < 150 && (await handle.query(getDeadlines)).policyVersion < version + 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await handle.query(getDeadlines)).policyVersion).toBeGreaterThanOrEqual(version + 1);
  });
});
