import ExcelJS from 'exceljs';
import { REVIEW_SCHEDULE_ID } from '../../libs/workflow-interface/src';
import { ensureReviewSchedule } from '../../apps/worker/src/review-schedule';
import { ApiClient, binaryBody, COUNTY, evidence, REGION } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(60_000);

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

describe('the quarterly review schedule', () => {
  it('is created once when a worker starts, and brought in line with configuration after', async () => {
    const settings = {
      REVIEW_SCHEDULE_DAY_OF_MONTH: 1,
      REVIEW_SCHEDULE_HOUR: 2,
      REVIEW_SCHEDULE_TIMEZONE: 'Asia/Shanghai',
      TEMPORAL_TASK_QUEUE: system.taskQueue,
    };
    const handle = system.client.schedule.getHandle(REVIEW_SCHEDULE_ID);
    await handle.delete().catch(() => undefined);
    expect(await ensureReviewSchedule(system.client, settings)).toBe('created');
    expect(await ensureReviewSchedule(system.client, { ...settings, REVIEW_SCHEDULE_HOUR: 3 })).toBe(
      'updated',
    );
    const described = await handle.describe();
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    expect(described.spec.calendars?.[0]).toMatchObject({
      month: [{ start: 'JANUARY' }, { start: 'APRIL' }, { start: 'JULY' }, { start: 'OCTOBER' }],
      dayOfMonth: [{ start: 1 }],
      hour: [{ start: 3 }],
    });
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'quarterlyReviewWorkflow',
    });
    // The next run falls just after a quarter ends, at 03:00 in Shanghai (19:00 UTC the day before).
    const next = described.info.nextActionTimes[0].toISOString();
    expect(next).toMatch(/-(12-31|03-31|06-30|09-30)T19:00:00\.000Z$/);
    await handle.delete();
  });
});

describe('POST /api/reviews and the 督办 items', () => {
  it('reviews an ended quarter on demand, reproducibly, with downloads and items moved step by step', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-review' });
    const leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-review' });
    // Signed in June 2024 and never started: a red flag by the end of 2025Q3.
    const id = await officer.projectAt('lead', { leadDate: '2024-05-01', name: '回头看测试项目' });
    await officer.command(id, '/transitions', { ...evidence('signed'), contractDate: '2024-06-01' });

    await officer.write('/api/reviews', { quarter: '2025Q3' }).expect(403);
    await leader.write('/api/reviews', { quarter: '2999Q1' }).expect(422);
    await leader.write('/api/reviews', { quarter: '2025Q5' }).expect(400);
    const first = await leader.write('/api/reviews', { quarter: '2025Q3' }).expect(200);
    expect(first.body).toMatchObject({ quarter: '2025Q3', asOf: '2025-09-30' });
    const second = await leader.write('/api/reviews', { quarter: '2025Q3' }).expect(200);
    expect(second.body.reportHash).toBe(first.body.reportHash);
    expect(second.body.stored).toBe(false);

    const stored = await leader.get('/api/reviews/2025Q3').expect(200);
    const stalled = (
      stored.body.report.stalled as { projectId: string; rule: string; ruleLabel: string }[]
    ).filter((s) => s.projectId === id);
    // Entered late, its deadlines were told on the days they fell due: missed by 2025Q3, they are listed
    // with the red flag; the stale-lead reminder, closed by the signing on 2024-06-01, is not.
    expect(stalled.map((s) => s.rule).sort()).toEqual([
      'chief_officer_after_signing',
      'land_after_signing',
      'signed_over_a_year_not_started',
      'start_after_signing',
    ]);
    expect(stalled).toContainEqual(
      expect.objectContaining({ rule: 'signed_over_a_year_not_started', ruleLabel: '签约超过一年未开工' }),
    );
    const elsewhere = new ApiClient(system, { role: 'leader', regions: ['110105'], sub: 'leader-far' });
    const hidden = await elsewhere.get('/api/reviews/2025Q3').expect(200);
    expect(hidden.body.report.stalled.some((s: { projectId: string }) => s.projectId === id)).toBe(false);

    const xlsx = await leader.get('/api/reviews/2025Q3.xlsx').buffer(true).parse(binaryBody);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['2025Q3回头看指标', '停滞项目', '督办事项']);
    expect(book.getWorksheet('停滞项目')!.getRow(1).values).toEqual(
      expect.arrayContaining(['项目名称', '地区', '产业链', '规则说明', '应完成日期']),
    );
    const csv = await leader.get('/api/reviews/2025Q3.csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.startsWith('\uFEFF项目编号,项目名称,地区')).toBe(true);
    expect(csv.text).toContain('回头看测试项目');

    // The item this review opened, moved by the roles that own each step.
    const items = await officer.get('/api/supervision-items?quarter=2025Q3').expect(200);
    const item = (items.body.items as { itemId: string; projectId: string }[]).find(
      (i) => i.projectId === id,
    )!;
    expect(item).toMatchObject({
      status: { code: 'issued', label: '下发' },
      rung: 1,
      ownerId: 'officer-review',
    });
    const step = (client: ApiClient, to: string) =>
      client.write(`/api/supervision-items/${item.itemId}/steps`, { to, note: `${to} 说明` });
    expect((await step(officer, 'in_hand')).status).toBe(409);
    await step(officer, 'acknowledged').expect(200);
    await step(officer, 'in_hand').expect(200);
    await step(officer, 'reported').expect(200);
    expect((await step(officer, 'checked')).status).toBe(403);
    await step(leader, 'checked').expect(200);
    const closed = await step(leader, 'closed').expect(200);
    expect(closed.body.status).toEqual({ code: 'closed', label: '办结' });
    expect(closed.body.steps.map((s: { to: string }) => s.to)).toEqual([
      'issued',
      'acknowledged',
      'in_hand',
      'reported',
      'checked',
      'closed',
    ]);
    await elsewhere.get(`/api/supervision-items/${item.itemId}`).expect(404);
  });
  it('escalates an item the next quarter finds still stalled, and its history names the escalation', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-review-esc' });
    const leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-review-esc' });
    // Signed on 2024-06-01 with no chief officer named: stalled at the end of 2024Q2 and still at
    // 2024Q3's. Quarters no other file reviews, so their items are this test's to read.
    const id = await officer.projectAt('lead', { leadDate: '2024-05-01', name: '回头看升级项目' });
    await officer.command(id, '/transitions', { ...evidence('signed'), contractDate: '2024-06-01' });
    await leader.write('/api/reviews', { quarter: '2024Q2' }).expect(200);
    await leader.write('/api/reviews', { quarter: '2024Q3' }).expect(200);
    const items = (await officer.get('/api/supervision-items?quarter=2024Q2&limit=200').expect(200)).body
      .items as { itemId: string; projectId: string; rule: string }[];
    const opened = items.find((i) => i.projectId === id && i.rule === 'chief_officer_after_signing')!;
    const item = (await officer.get(`/api/supervision-items/${opened.itemId}`).expect(200)).body;
    expect(item).toMatchObject({ rung: 2, unrectified: true, escalatedIn: ['2024Q3'] });
    expect(item.steps.map((s: { to: string; toLabel: string }) => [s.to, s.toLabel])).toEqual([
      ['issued', '下发'],
      ['escalated', '升级督办'],
    ]);
  });
});
