import type { ProjectPolicy } from '../../libs/domain/src';
import { currentPolicy, storePolicy } from '../../libs/persistence/src';
import { getDeadlines, projectWorkflowId } from '../../libs/workflow-interface/src';
import { ApiClient, COUNTY, evidence } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let officer: ApiClient;
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-deadlines' });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

interface Shown {
  id: string;
  dueDate: string;
  rung: number;
  overdue: boolean;
  light: { code: string } | string;
  addressee: { kind: string };
}
const essentials = (d: Shown) => ({
  id: d.id,
  dueDate: d.dueDate,
  rung: d.rung,
  overdue: d.overdue,
  light: typeof d.light === 'string' ? d.light : d.light.code,
  addressee: d.addressee.kind,
});

describe("a project's deadlines on its page", () => {
  it('are the ones its workflow decided, also under a policy stored but not yet sent to it', async () => {
    const { id } = await officer.register({
      name: '截止日期以流程为准项目',
      plannedInvestment: '300000000.00',
    });
    await officer.command(id, '/transitions', evidence('signed'));
    const handle = system.client.workflow.getHandle(projectWorkflowId(id));
    const decided = await handle.query(getDeadlines);
    expect(decided.deadlines.map((d) => d.id)).toContain('land_after_signing');

    const page = await officer.get(`/api/projects/${id}`).expect(200);
    expect(page.body.deadlinesFrom).toBe('workflow');
    expect(page.body.policyVersion).toBe(decided.policyVersion);
    expect((page.body.deadlines as Shown[]).map(essentials)).toEqual(
      (decided.deadlines as unknown as Shown[]).map(essentials),
    );

    // A policy stored without its rollout (the signal is still on its way): the page keeps showing
    // what the workflow, and so its alerts, go by, not a recomputation under the newer policy.
    const manager = system.dataSource.manager;
    const before = await currentPolicy(manager);
    const shorter = structuredClone<ProjectPolicy>(before.policy);
    const landing = shorter.rules.find((r) => r.id === 'land_after_signing')!;
    landing.limit = { amount: 1, unit: 'month' };
    const stored = await storePolicy(manager, shorter, 'test-deadlines', 'not rolled out');
    try {
      const after = await officer.get(`/api/projects/${id}`).expect(200);
      expect(after.body.policyVersion).toBe(decided.policyVersion);
      expect(after.body.policyVersion).toBeLessThan(stored.version);
      const shown = (after.body.deadlines as Shown[]).find((d) => d.id === 'land_after_signing')!;
      expect(shown.dueDate).toBe(decided.deadlines.find((d) => d.id === 'land_after_signing')!.dueDate);
    } finally {
      await storePolicy(manager, before.policy, 'test-deadlines', 'restored');
    }
  });

  // Last: it stops the worker.
  it('are computed from the stored state, and marked so, when no worker answers for the workflow', async () => {
    const { id } = await officer.register({ name: '无人应答项目' });
    await officer.command(id, '/transitions', evidence('signed'));
    const answered = await officer.get(`/api/projects/${id}`).expect(200);
    expect(answered.body.deadlinesFrom).toBe('workflow');
    system.worker.shutdown();
    const started = Date.now();
    const res = await officer.get(`/api/projects/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.deadlinesFrom).toBe('read-model');
    expect((res.body.deadlines as Shown[]).map(essentials)).toEqual(
      (answered.body.deadlines as Shown[]).map(essentials),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);
});
