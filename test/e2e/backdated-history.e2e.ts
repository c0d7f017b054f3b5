import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { lightOn, type Actor, type LightChange, type RecordHistoryData } from '../../libs/domain/src';
import { stalledProjects } from '../../libs/quarterly-review/src';
import { executeCommand, projectWorkflowId } from '../../libs/workflow-interface/src';
import { ApiClient, COUNTY, CREDIT_CODE, lead, uniqueTag } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

/**
 * A backdated history through the real workflow and event store: its alerts and escalations carry
 * the business times on which they fell due, so a past quarter's review sees the project stalled.
 */
let system: TestSystem;
let officer: ApiClient;
const actor: Actor = { id: 'officer-backdated', role: 'officer', regions: [COUNTY] };
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: actor.id });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

interface EventRow {
  type: string;
  business_time: string;
  data: { deadlineId?: string; rung?: number };
  actor_id: string;
}

async function eventsOf(projectId: string): Promise<EventRow[]> {
  return system.dataSource.query<EventRow[]>(
    'SELECT type, business_time, data, actor_id FROM events WHERE project_id = $1 ORDER BY global_position',
    [projectId],
  );
}

const landTimers = (events: EventRow[]) =>
  events
    .filter((e) => e.type.startsWith('Alert') && e.data.deadlineId === 'land_after_signing')
    .map((e) => [e.type, e.business_time, e.data.rung]);

/** Waits until the watcher's own passes have settled (nothing recorded for a moment). */
async function settled(projectId: string): Promise<EventRow[]> {
  let before = -1;
  for (;;) {
    const events = await eventsOf(projectId);
    if (events.length === before) return events;
    before = events.length;
    await new Promise((r) => setTimeout(r, 700));
  }
}

describe('a backdated history', () => {
  it('recorded as RecordHistory: alerts on the days they fell due, and the 2020 review lists it', async () => {
    const projectId = randomUUID();
    const tag = uniqueTag();
    const data: RecordHistoryData = {
      lead: {
        projectId,
        name: `导入的2020年项目${tag}`,
        investor: { name: `某某新材料有限公司${tag}`, type: 'private', flags: [] },
        industryChain: '新材料',
        region: COUNTY,
        park: null,
        industrial: true,
        plannedInvestment: '300000000',
        source: '以商招商',
        leadDate: '2019-12-20',
      },
      steps: [
        {
          type: 'Land',
          data: {
            creditCode: CREDIT_CODE,
            landedDate: '2020-09-01',
            site: { kind: 'land_parcel', parcelNumber: `YC-${tag}` },
          },
        },
        {
          type: 'Sign',
          data: { contractDate: '2020-01-10', contractInvestment: '250000000', contractNumber: `HT-${tag}` },
        },
      ],
      source: {
        importId: randomUUID(),
        fileName: '2020年招商台账.xlsx',
        fileSha256: 'a'.repeat(64),
        sheet: '签约项目',
        row: 5,
        key: `${COUNTY}|${tag}`,
        rowHash: 'row-hash-1',
      },
    };
    const result = await system.client.workflow.executeUpdateWithStart(executeCommand, {
      args: [{ commandId: randomUUID(), actor, command: { type: 'RecordHistory', data } }],
      startWorkflowOperation: new WithStartWorkflowOperation('projectWorkflow', {
        workflowId: projectWorkflowId(projectId),
        taskQueue: system.taskQueue,
        args: [{ projectId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    // The answer names what the person recorded, not the alerts that came with it.
    expect(result.events.map((e) => e.type)).toEqual([
      'HistoryImported',
      'LeadRegistered',
      'ProjectSigned',
      'ProjectLanded',
    ]);

    const events = await settled(projectId);
    expect(events[0]).toMatchObject({ type: 'HistoryImported', actor_id: actor.id });
    expect(landTimers(events)).toEqual([
      ['AlertRaised', '2020-04-10T16:00:00.000Z', 1],
      ['AlertEscalated', '2020-04-16T16:00:00.000Z', 2],
      ['AlertEscalated', '2020-04-29T16:00:00.000Z', 3],
      ['AlertEscalated', '2020-05-31T16:00:00.000Z', 4],
      ['AlertResolved', '2020-08-31T16:00:00.000Z', 4],
    ]);

    const labels = { land_after_signing: '签约后3个月内落地' };
    const mid2020 = await stalledProjects(system.dataSource.manager, '2020-06-30', labels);
    expect(mid2020.filter((s) => s.projectId === projectId && s.rule === 'land_after_signing')).toEqual([
      expect.objectContaining({ kind: 'deadline', dueDate: '2020-04-10', rung: 4 }),
    ]);
    const end2020 = await stalledProjects(system.dataSource.manager, '2020-12-31', labels);
    expect(end2020.some((s) => s.projectId === projectId && s.rule === 'land_after_signing')).toBe(false);

    // Its lights changed on 2020's days too (the 首席服务官 never assigned: yellow when due, red at
    // rung 2), so the 驾驶舱 and the 台账 as of a day in 2020 show the light it had then.
    const lights = await system.dataSource.query<LightChange[]>(
      `SELECT day::text AS day, light FROM project_lights WHERE project_id = $1 ORDER BY day`,
      [projectId],
    );
    expect(lights).toEqual([
      { day: '2020-01-18', light: 'yellow' },
      { day: '2020-01-23', light: 'red' },
    ]);
    expect(lightOn(lights, '2020-01-17')).toBe('green');
    const listed = async (day: string, light: string) =>
      (
        (
          await officer
            .get(`/api/projects?stageOn=${day}&light=${light}&q=${encodeURIComponent(tag)}`)
            .expect(200)
        ).body.items as { projectId: string }[]
      ).map((p) => p.projectId);
    await expect(listed('2020-06-30', 'red')).resolves.toEqual([projectId]);
    await expect(listed('2020-01-20', 'yellow')).resolves.toEqual([projectId]);
    await expect(listed('2020-01-20', 'red')).resolves.toEqual([]);
    await expect(listed('2020-01-17', 'green')).resolves.toEqual([projectId]);

    // The same row again changes nothing.
    const again = await system.client.workflow
      .getHandle(projectWorkflowId(projectId))
      .executeUpdate(executeCommand, {
        args: [{ commandId: randomUUID(), actor, command: { type: 'RecordHistory', data } }],
      })
      .then(
        () => 'accepted',
        (e: { cause?: { message?: string }; message?: string }) => e.cause?.message ?? e.message ?? 'failed',
      );
    expect(again).toMatch(/^HISTORY_UNCHANGED/);
    expect((await eventsOf(projectId)).length).toBe(events.length);
  }, 120_000);

  it('entered by hand through the API with a past contract date: the watcher catches up day by day', async () => {
    const { id } = await officer.register(lead({ leadDate: '2019-12-20', name: `补录项目${uniqueTag()}` }));
    await officer.command(id, '/transitions', {
      to: 'signed',
      contractDate: '2020-01-10',
      contractInvestment: '150000000.00',
      contractNumber: `HT-${uniqueTag()}`,
    });
    const events = await settled(id);
    expect(landTimers(events)).toEqual([
      ['AlertRaised', '2020-04-10T16:00:00.000Z', 1],
      ['AlertEscalated', '2020-04-16T16:00:00.000Z', 2],
      ['AlertEscalated', '2020-04-29T16:00:00.000Z', 3],
      ['AlertEscalated', '2020-05-31T16:00:00.000Z', 4],
    ]);
    const mid2020 = await stalledProjects(system.dataSource.manager, '2020-06-30', {});
    expect(mid2020.some((s) => s.projectId === id && s.rule === 'land_after_signing')).toBe(true);
  }, 120_000);

  it('a blocker raised and resolved, and a drop, entered late through the API carry their own dates', async () => {
    const { id } = await officer.register(
      lead({ leadDate: '2019-12-20', name: `补录堵点项目${uniqueTag()}` }),
    );
    const version = () => officer.version(id);
    await officer
      .write(
        `/api/projects/${id}/blockers`,
        {
          blockerId: 'B-1',
          category: 'land',
          description: '用地指标未落实',
          responsibleDepartment: '市自然资源和规划局',
          dueDate: '2020-03-31',
          raisedDate: '2020-03-01',
        },
        { version: await version() },
      )
      .expect(200);
    await settled(id);
    await officer
      .write(
        `/api/projects/${id}/blockers/B-1/resolution`,
        { resolution: '指标已落实', resolvedDate: '2020-05-06' },
        { version: await version() },
      )
      .expect(200);
    await settled(id);
    await officer
      .write(
        `/api/projects/${id}/transitions`,
        { to: 'dropped', reason: '企业投资计划调整', droppedDate: '2020-06-15' },
        { version: await version() },
      )
      .expect(200);
    const events = await settled(id);
    const dated = (type: string) => events.find((e) => e.type === type)?.business_time;
    expect([dated('BlockerRaised'), dated('BlockerResolved'), dated('ProjectDropped')]).toEqual([
      '2020-03-01',
      '2020-05-06',
      '2020-06-15',
    ]);
    // The blocker's alert fell due the day after its due date, and was told on that day.
    const raised = events.find((e) => e.type === 'AlertRaised' && e.data.deadlineId === 'blocker_due:B-1');
    expect(raised?.business_time).toBe('2020-03-31T16:00:00.000Z');
    // A drop after today is refused on its field.
    const { id: other } = await officer.register(lead({ leadDate: '2019-12-20' }));
    const refused = await officer
      .write(
        `/api/projects/${other}/transitions`,
        { to: 'dropped', reason: '企业投资计划调整', droppedDate: '2019-12-01' },
        { version: await officer.version(other) },
      )
      .expect(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'data.droppedDate', rule: 'DATE_BEFORE_PREVIOUS_STAGE' }),
    ]);
  }, 120_000);
});
