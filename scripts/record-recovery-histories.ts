/**
 * Records the histories of a project workflow's recovery paths from real servers (Temporal's dev
 * server, which supports reset, and PostgreSQL), into test/fixtures/histories/, where every test
 * run replays them against the current workflow code:
 *   - fixture-refused-append: the database refuses a command's values (a rule only it knows), the
 *     command is refused, and the project goes on;
 *   - fixture-reset: the workflow is reset to its first workflow task, finds its stream ahead,
 *     reloads it and goes on.
 *   npm run -s build && node dist/scripts/record-recovery-histories.js
 * The histories of record-histories.ts are left as they were recorded.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Actor, ProjectCommand } from '../libs/domain/src';
import {
  freePort,
  startEmbeddedPostgres,
  startTemporalDevServer,
  temporalCliPath,
} from '../libs/local-stack/src';
import { createDataSource, runMigrations } from '../libs/persistence/src';
import { executeCommand, projectWorkflowId, type CommandEnvelope } from '../libs/workflow-interface/src';
import { createProjectWorker } from '../apps/worker/src/worker';
import { exportHistories } from './history-fixtures';

const REGION = '420506';
const officer: Actor = { id: 'officer-1', role: 'officer', regions: [REGION] };
const REFUSED_PARK = '数据库拒收的园区';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-record-'));
  chmodSync(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'record' });
  const temporal = await startTemporalDevServer({ port: await freePort() });
  const dataSource = createDataSource(postgres.url);
  await dataSource.initialize();
  await runMigrations(dataSource);
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const taskQueue = 'record';
  const worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    dataSource,
  });
  const running = worker.run();
  try {
    const today = new Date().toISOString().slice(0, 10);
    const start = async (projectId: string) => {
      const handle = await client.workflow.start('projectWorkflow', {
        taskQueue,
        workflowId: projectWorkflowId(projectId),
        args: [{ projectId, searchAttributes: false }],
      });
      let n = 0;
      const send = (command: ProjectCommand, extra: Partial<CommandEnvelope> = {}) =>
        handle.executeUpdate(executeCommand, {
          args: [{ commandId: `${projectId}-${++n}`, actor: officer, command, ...extra }],
        });
      return { handle, send };
    };
    const lead = (projectId: string): ProjectCommand => ({
      type: 'RegisterLead',
      data: {
        projectId,
        name: '生物医药产业园项目',
        investor: { name: '某某药业股份有限公司', type: 'private', flags: [] },
        industryChain: '生物医药',
        region: REGION,
        park: '宜昌高新区',
        industrial: true,
        plannedInvestment: '150000000',
        source: '以商招商',
        leadDate: today,
      },
    });
    const visit = (summary: string): ProjectCommand => ({
      type: 'LogServiceVisit',
      data: { visitDate: today, summary },
    });

    const refused = await start('fixture-refused-append');
    await refused.send(lead('fixture-refused-append'));
    await dataSource.query(
      `ALTER TABLE projects ADD CONSTRAINT record_refused_park CHECK (park IS DISTINCT FROM '${REFUSED_PARK}')`,
    );
    await refused
      .send({
        type: 'CorrectEvent',
        data: {
          correctsVersion: 1,
          reason: '园区更正',
          changes: { eventType: 'LeadRegistered', park: REFUSED_PARK },
        },
      })
      .then(
        () => {
          throw new Error('the database accepted what it should refuse');
        },
        () => undefined,
      );
    await dataSource.query(`ALTER TABLE projects DROP CONSTRAINT record_refused_park`);
    await refused.send(visit('拒收之后照常办理'));

    const reset = await start('fixture-reset');
    await reset.send(lead('fixture-reset'));
    await reset.send(visit('重置之前'));
    execFileSync(temporalCliPath(), [
      'workflow',
      'reset',
      '--address',
      temporal.address,
      '--workflow-id',
      projectWorkflowId('fixture-reset'),
      '--type',
      'FirstWorkflowTask',
      '--reason',
      'recording the reload path',
      '--yes',
    ]);
    const again = client.workflow.getHandle(projectWorkflowId('fixture-reset'));
    await again.executeUpdate(executeCommand, {
      args: [
        { commandId: 'fixture-reset-after', actor: officer, command: visit('重置之后'), expectedVersion: 2 },
      ],
    });

    exportHistories(temporal.address, ['fixture-refused-append', 'fixture-reset']);
  } finally {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    await temporal.stop();
    await dataSource.destroy();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
