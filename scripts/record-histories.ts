/**
 * Records project workflow histories from real servers and exports them with the Temporal CLI as
 * JSON into test/fixtures/histories/, where every test run replays them against the current
 * workflow code. Run again (npm run record-histories) when workflow code changes on purpose, behind
 * patched() so the old histories still replay.
 *
 * One project takes every lifecycle command (and a refusal); another sits overdue and climbs the
 * whole escalation ladder; a third is a ledger row's history, recorded as the import records it
 * (started by the update, with its rules), then a visit dated in the past. The clock of Temporal's
 * time-skipping server starts on 2025-08-29.
 *
 * Arguments name the projects to export (default all), so that a history recorded by older code
 * can be kept while a new one is added.
 */
import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Actor, ProjectCommand, RegisterLeadData } from '../libs/domain/src';
import { freePort, startEmbeddedPostgres, temporalTestServerPath } from '../libs/local-stack/src';
import { createDataSource, currentCalendar, currentPolicy, runMigrations } from '../libs/persistence/src';
import {
  executeCommand,
  PROJECT_WORKFLOW_TYPE,
  projectWorkflowId,
  type ProjectWorkflowInput,
} from '../libs/workflow-interface/src';
import { createProjectWorker } from '../apps/worker/src/worker';
import { exportHistories } from './history-fixtures';

const REGION = '420506';
const officer: Actor = { id: 'officer-1', role: 'officer', regions: [REGION] };
const leader: Actor = { id: 'leader-1', role: 'leader', regions: ['420500'] };
const chief: Actor = { id: 'chief-1', role: 'chief_officer', regions: [REGION] };

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-record-'));
  chmodSync(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'record' });
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: { type: 'existing-path', path: temporalTestServerPath() },
      extraArgs: ['--start-time=2025-08-29 01:00:00'],
    },
  });
  const dataSource = createDataSource(postgres.url);
  await dataSource.initialize();
  await runMigrations(dataSource);
  const taskQueue = 'record';
  const worker = await createProjectWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    dataSource,
  });
  const running = worker.run();
  try {
    const start = async (projectId: string) => {
      const handle = await env.client.workflow.start('projectWorkflow', {
        taskQueue,
        workflowId: projectWorkflowId(projectId),
        args: [{ projectId, searchAttributes: false }],
      });
      let n = 0;
      const send = (actor: Actor, command: ProjectCommand) =>
        handle.executeUpdate(executeCommand, {
          args: [{ commandId: `${projectId}-${++n}`, actor, command }],
        });
      return { handle, send };
    };
    const leadData = (
      projectId: string,
      plannedInvestment: string,
      leadDate = '2025-08-29',
    ): RegisterLeadData => ({
      projectId,
      name: '生物医药产业园项目',
      investor: { name: '某某药业股份有限公司', type: 'private', flags: ['listed'] },
      industryChain: '生物医药',
      region: REGION,
      park: '宜昌高新区',
      industrial: true,
      plannedInvestment,
      source: '以商招商',
      leadDate,
    });
    const lead = (projectId: string, plannedInvestment: string): ProjectCommand => ({
      type: 'RegisterLead',
      data: leadData(projectId, plannedInvestment),
    });

    const d = '2025-08-29';
    const recorded = [
      'fixture-every-command',
      'fixture-escalation',
      'fixture-imported-history',
      'fixture-born-with-2026-12',
    ];
    const asked = process.argv.slice(2);
    const wanted = asked.length > 0 ? recorded.filter((id) => asked.includes(id)) : recorded;

    // Every command.
    if (wanted.includes('fixture-every-command')) {
      const all = await start('fixture-every-command');
      await all.send(officer, lead('fixture-every-command', '150000000'));
      await all.send(officer, { type: 'StartTalks', data: { talksDate: d, leadingOfficial: '副市长' } });
      await all.send(officer, {
        type: 'Sign',
        data: {
          contractDate: d,
          contractInvestment: '150000000',
          contractNumber: 'HT-2025-088',
          plannedProductionDate: '2026-06-30',
        },
      });
      await all.send(officer, { type: 'AssignChiefServiceOfficer', data: { chiefOfficerId: 'chief-1' } });
      await all.send(leader, {
        type: 'AssignServiceOfficer',
        data: { officerId: 'officer-2', reason: '专班调整' },
      });
      await all.send(officer, {
        type: 'RaiseBlocker',
        data: {
          blockerId: 'B-1',
          category: 'land',
          description: '用地指标未落实',
          responsibleDepartment: '自然资源局',
          dueDate: '2025-09-05',
        },
      });
      await all.send(chief, { type: 'ResolveBlocker', data: { blockerId: 'B-1', resolution: '指标已调剂' } });
      await all.send(officer, { type: 'LogServiceVisit', data: { visitDate: d, summary: '现场办公' } });
      await all.send(officer, {
        type: 'Land',
        data: {
          creditCode: '914403001922038216',
          landedDate: d,
          site: { kind: 'land_parcel', parcelNumber: '宜市[2025]08号' },
        },
      });
      await all.send(officer, {
        type: 'StartConstruction',
        data: { startDate: d, evidence: { kind: 'construction_permit', permitNumber: '420506202508290002' } },
      });
      await all.send(officer, { type: 'RecordFundsArrived', data: { month: '2025-08', amount: '30000000' } });
      await all.send(officer, { type: 'StartProduction', data: { productionDate: d, scope: 'partial' } });
      await all.send(officer, {
        type: 'EnterStatistics',
        data: { statisticsCode: '4205062025000789', inStatsDate: d },
      });
      await all.send(officer, {
        type: 'CorrectEvent',
        data: {
          correctsVersion: 11,
          reason: '到位资金以银行回单为准',
          changes: { eventType: 'FundsArrivedRecorded', amount: '31000000' },
        },
      });
      await all.send(leader, {
        type: 'ExtendDeadline',
        data: { deadlineId: 'production_by_contract', newDueDate: '2026-09-30', reason: '设备到货推迟' },
      });
      await all.send(officer, { type: 'StartTalks', data: { talksDate: d } }).catch(() => undefined); // refused
      await all.send(leader, { type: 'Drop', data: { reason: '企业战略调整' } });
      await all.send(leader, { type: 'Reopen', data: { reason: '企业重新确认投资' } });
    }

    // The whole ladder.
    if (wanted.includes('fixture-escalation')) {
      const overdue = await start('fixture-escalation');
      await overdue.send(officer, lead('fixture-escalation', '50000000'));
      await overdue.send(officer, {
        type: 'Sign',
        data: { contractDate: d, contractInvestment: '50000000', contractNumber: 'HT-2025-089' },
      });
      await overdue.send(officer, {
        type: 'Land',
        data: {
          creditCode: '914403001922038216',
          landedDate: d,
          site: { kind: 'lease', leaseContractNumber: 'ZL-1' },
        },
      });
      await overdue.send(officer, {
        type: 'StartConstruction',
        data: { startDate: d, evidence: { kind: 'other', description: '桩基施工' } },
      });
    }

    // A ledger row's history, as the import records it, then a visit entered late; recorded again
    // under the one marker a run begun with every change in force records (born-with-2026-12).
    for (const imported of ['fixture-imported-history', 'fixture-born-with-2026-12']) {
      if (!wanted.includes(imported)) continue;
      const input: ProjectWorkflowInput = {
        projectId: imported,
        searchAttributes: false,
        rules: {
          policy: await currentPolicy(dataSource.manager),
          calendar: await currentCalendar(dataSource.manager),
        },
      };
      await env.client.workflow.executeUpdateWithStart(executeCommand, {
        args: [
          {
            commandId: `${imported}-1`,
            actor: officer,
            command: {
              type: 'RecordHistory',
              data: {
                lead: {
                  ...(lead(imported, '90000000') as { data: RegisterLeadData }).data,
                  leadDate: '2025-03-03',
                },
                steps: [
                  { type: 'StartTalks', data: { talksDate: '2025-03-20', leadingOfficial: '副市长' } },
                  {
                    type: 'Sign',
                    data: {
                      contractDate: '2025-05-12',
                      contractInvestment: '90000000',
                      contractNumber: 'HT-2025-031',
                    },
                  },
                  {
                    type: 'Land',
                    data: {
                      creditCode: '914403001922038216',
                      landedDate: '2025-06-16',
                      site: { kind: 'lease', leaseContractNumber: 'ZL-9' },
                    },
                  },
                  { type: 'RecordFundsArrived', data: { month: '2025-06', amount: '12000000' } },
                ],
                source: {
                  importId: 'fixture-import',
                  fileName: '项目台账.xlsx',
                  fileSha256: '0'.repeat(64),
                  sheet: '台账',
                  row: 2,
                  key: 'contract:HT-2025-031',
                  rowHash: '1'.repeat(64),
                },
              },
            },
          },
        ],
        startWorkflowOperation: new WithStartWorkflowOperation(PROJECT_WORKFLOW_TYPE, {
          workflowId: projectWorkflowId(imported),
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      await env.client.workflow.getHandle(projectWorkflowId(imported)).executeUpdate(executeCommand, {
        args: [
          {
            commandId: `${imported}-2`,
            actor: officer,
            command: { type: 'LogServiceVisit', data: { visitDate: '2025-08-20', summary: '补录走访' } },
          },
        ],
      });
    }

    await env.sleep(Date.parse('2025-12-15T00:00:00Z') - (await env.currentTimeMs()));

    exportHistories(env.connection.options.address, wanted);
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
    await dataSource.destroy();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
