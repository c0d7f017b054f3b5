import { getDeadlines, projectWorkflowId } from '../../libs/workflow-interface/src';
import { startPolicyRollout } from '../../libs/workflow-interface/src/policy-rollout-start';
import {
  policyRolloutProgress,
  policyRolloutWorkflowId,
} from '../../libs/workflow-interface/src/policy-rollout-workflow';
import { ApiClient, COUNTY } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

jest.setTimeout(60_000);

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

describe('the policy rollout', () => {
  it('runs as a workflow that reaches every project the read model holds, says how far it got, and runs once per version', async () => {
    const officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-rollout' });
    const admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-rollout' });
    const current = await admin.get('/api/policy').expect(200);
    const version = current.body.version as number;

    // Registered just before the PUT: the rollout finds it in the read model, not in visibility,
    // which indexes a new workflow only after a while.
    const { id } = await officer.register();
    const stored = await admin.write(
      '/api/policy',
      { policy: current.body.policy, reason: '按通知重新发布' },
      { method: 'put', version },
    );
    expect(stored.status).toBe(200);
    expect(stored.body.version).toBe(version + 1);
    // The PUT's answer says how far the rollout got while it waited: done on an idle machine, not yet
    // counted (total null) on a loaded one; other files register projects in the same database.
    expect(stored.body.rollout).toMatchObject({
      workflowId: policyRolloutWorkflowId(version + 1),
      version: version + 1,
    });
    const counted = stored.body.rollout.total as number | null;
    if (counted !== null) expect(counted).toBeGreaterThanOrEqual(1);
    expect(['started', 'signalling', 'done']).toContain(stored.body.rollout.status);
    let progress = stored.body.rollout as Record<string, number | string>;
    for (let i = 0; i < 100 && progress.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      progress = (await admin.get('/api/policy').expect(200)).body.rollout;
    }
    expect(progress.status).toBe('done');
    const { signalled, notRunning, total } = progress as Record<string, number>;
    expect(signalled + notRunning).toBe(total);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(signalled).toBeGreaterThanOrEqual(1);
    if (stored.body.rollout.status === 'done') expect(stored.body.workflowsSignalled).toBe(signalled);

    const handle = system.client.workflow.getHandle(projectWorkflowId(id));
    for (let i = 0; i < 50 && (await handle.query(getDeadlines)).policyVersion !== version + 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await handle.query(getDeadlines)).policyVersion).toBe(version + 1);

    // The rollout is a workflow of its own, its progress a query, its status on GET /api/policy.
    const rollout = system.client.workflow.getHandle(policyRolloutWorkflowId(version + 1));
    expect(await rollout.query(policyRolloutProgress)).toMatchObject({ status: 'done', signalled, total });
    expect((await rollout.describe()).status.name).toBe('COMPLETED');
    const read = await officer.get('/api/policy').expect(200);
    expect(read.body.rollout).toMatchObject({ status: 'done', signalled, total });

    // Starting it again for the same version starts nothing.
    expect(await startPolicyRollout(system.client, version + 1, system.taskQueue)).toBe(false);
    const runs = [];
    for await (const run of system.client.workflow.list({
      query: `WorkflowId = '${policyRolloutWorkflowId(version + 1)}'`,
    })) {
      runs.push(run);
    }
    expect(runs.length).toBeLessThanOrEqual(1);
  });

  // Last: it stops the worker.
  it('is reported as pending, within seconds, when no worker answers for its workflow', async () => {
    const admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-rollout-pending' });
    const current = await admin.get('/api/policy').expect(200);
    system.worker.shutdown();
    const started = Date.now();
    const stored = await admin.write(
      '/api/policy',
      { policy: current.body.policy, reason: '工作进程停机时发布' },
      { method: 'put', version: current.body.version as number },
    );
    expect(stored.status).toBe(200);
    expect(stored.body.version).toBe((current.body.version as number) + 1);
    expect(stored.body.rollout).toMatchObject({ version: stored.body.version, status: 'pending' });
    const read = await admin.get('/api/policy').expect(200);
    expect(read.body.version).toBe(stored.body.version);
    expect(read.body.rollout).toMatchObject({ version: stored.body.version, status: 'pending' });
    // Each read of the rollout is bounded (1.5 s), so neither request waits on the missing worker.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
