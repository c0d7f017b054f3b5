import { randomUUID } from 'node:crypto';
import { blockedLead, signedLongAgo } from '../support/agenda-projects';
import { ApiClient, daysAgo, evidence } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

// 合肥市 / 包河区 and 蜀山区: regions no other test writes to, so the agenda holds this file's projects.
const CITY = '340100';
const COUNTY = '340111';
const NEIGHBOUR = '340104';

let system: TestSystem;
const run = randomUUID().slice(0, 6);

interface Reason {
  kind: string;
  kindLabel: string;
  detail: string;
  dueDate: string | null;
  rung: number | null;
  itemId: string | null;
  deadlineId: string | null;
}
interface Item {
  projectId: string;
  region: string;
  light: string;
  stageLabel: string;
  reasons: Reason[];
}

let officer: ApiClient;
let leader: ApiClient;
let red: string;
let green: string;
let blocked: string;
let supervised: string;
let dropped: string;
let neighbour: string;
let itemId: string;
let agenda: Item[];

const agendaOf = async (client: ApiClient, query = ''): Promise<Item[]> =>
  (await client.get(`/api/meeting-agenda${query}`).expect(200)).body.items as Item[];
const find = (items: Item[], id: string) => items.find((i) => i.projectId === id);

beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: `officer-ag-${run}` });
  leader = new ApiClient(system, { role: 'leader', regions: [CITY], sub: `leader-ag-${run}` });
  const neighbourOfficer = new ApiClient(system, {
    role: 'officer',
    regions: [NEIGHBOUR],
    sub: `officer-agn-${run}`,
  });

  // Red and escalated, in the county and its neighbour; a third one since dropped.
  red = await signedLongAgo(officer, `议题${run} 红灯项目`, COUNTY);
  neighbour = await signedLongAgo(neighbourOfficer, `议题${run} 邻区红灯项目`, NEIGHBOUR);
  dropped = await signedLongAgo(officer, `议题${run} 已终止项目`, COUNTY);
  await leader.command(dropped, '/transitions', evidence('dropped'));
  green = await officer.projectAt('signed', { name: `议题${run} 绿灯项目`, region: COUNTY });
  blocked = await blockedLead(officer, `议题${run} 堵点项目`, COUNTY, `用地指标${run}`);
  // A 督办 item a 回头看 found 未整改, as the review writes it into its read model.
  supervised = await officer.projectAt('lead', { name: `议题${run} 督办项目`, region: COUNTY });
  itemId = randomUUID();
  await system.dataSource.query(
    `INSERT INTO supervision_items (item_id, project_id, rule, rule_label, region, opened_in, status,
                                    owner_role, rung, due_date, unrectified)
     VALUES ($1, $2, 'no_visit', '长期未走访', $3, '2025Q2', 'issued', 'officer', 2, $4, true)`,
    [itemId, supervised, COUNTY, daysAgo(3)],
  );
  // The read model takes the workflows' lights a moment after the commands.
  for (let i = 0; i < 60; i++) {
    agenda = await agendaOf(leader);
    if ([red, blocked, supervised].every((id) => find(agenda, id))) break;
    await new Promise((r) => setTimeout(r, 500));
  }
}, 240_000);
afterAll(() => system?.stop(), 60_000);

describe('GET /api/meeting-agenda', () => {
  it('lists red and escalated deadlines, 督办 未整改 and overdue blockers with why, each deadline once', () => {
    const redItem = find(agenda, red)!;
    expect(redItem).toMatchObject({ light: 'red', region: COUNTY, stageLabel: '签约' });
    const escalations = redItem.reasons.filter((r) => r.kind === 'escalated');
    expect(escalations.length).toBeGreaterThan(0);
    for (const r of escalations) {
      expect(r.rung).toBeGreaterThanOrEqual(3);
      expect(r.deadlineId).toEqual(expect.any(String));
      expect(r.kindLabel).toMatch(/^(红灯 · )?预警升级至第[34]级\((分管领导|主要领导)\)$/);
    }
    // A deadline red and escalated is one reason, its escalation marked red.
    const deadlines = redItem.reasons.flatMap((r) => (r.deadlineId ? [r.deadlineId] : []));
    expect(new Set(deadlines).size).toBe(deadlines.length);
    expect(redItem.reasons.some((r) => r.kindLabel.startsWith('红灯'))).toBe(true);
    // The gravest first: escalations by rung, before anything else.
    const rungs = redItem.reasons.map((r) => r.rung ?? 0);
    expect(rungs).toEqual([...rungs].sort((a, b) => b - a));

    // The blocker's deadline is red too: one reason, marked red, that an extension would move.
    expect(find(agenda, blocked)!.reasons).toEqual([
      expect.objectContaining({
        kind: 'blocker_overdue',
        kindLabel: '红灯 · 堵点逾期',
        detail: `用地指标${run}(责任单位:自然资源局)`,
        dueDate: daysAgo(20),
        deadlineId: 'blocker_due:B-1',
      }),
    ]);
    expect(find(agenda, supervised)!.reasons).toEqual([
      expect.objectContaining({
        kind: 'unrectified',
        kindLabel: '督办未整改',
        detail: '长期未走访(2025Q2 回头看下发)',
        itemId,
        rung: 2,
      }),
    ]);
    expect(find(agenda, green)).toBeUndefined();
    expect(find(agenda, dropped)).toBeUndefined();
    // Red projects head the list.
    const firstNotRed = agenda.findIndex((i) => i.light !== 'red');
    if (firstNotRed >= 0) expect(agenda.slice(firstNotRed).every((i) => i.light !== 'red')).toBe(true);
  });

  it('covers the caller’s regions, narrows to one within them, and refuses one outside them', async () => {
    expect(find(agenda, neighbour)).toMatchObject({ region: NEIGHBOUR, light: 'red' });
    const county = await agendaOf(leader, `?region=${COUNTY}`);
    expect(find(county, red)).toBeDefined();
    expect(find(county, neighbour)).toBeUndefined();
    // The county's officer reads their own county's list, not the neighbour's.
    const own = await agendaOf(officer);
    expect(find(own, red)).toBeDefined();
    expect(find(own, neighbour)).toBeUndefined();

    const outside = await officer.get(`/api/meeting-agenda?region=${NEIGHBOUR}`).expect(403);
    expect(outside.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(outside.body).toMatchObject({
      code: 'REGION_NOT_IN_SCOPE',
      errors: [expect.objectContaining({ field: 'region', rule: 'inScope' })],
    });
    const far = new ApiClient(system, { role: 'leader', regions: ['110105'], sub: `leader-agf-${run}` });
    expect(find(await agendaOf(far), red)).toBeUndefined();
    const bad = await leader.get('/api/meeting-agenda?region=abc').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'region' })]);
  });
});
