import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import webpack from 'webpack';
import { signalCalendarToProjects } from '../../apps/worker/src/activities';
import { createProjectWorker, workflowBundlerOptions, workflowsPath } from '../../apps/worker/src/worker';
import {
  calendarFrom,
  chinaCalendar,
  shanghaiDate,
  type Actor,
  type ProjectCommand,
  type VersionedCalendar,
} from '../../libs/domain/src';
import { CALENDAR_V1 } from '../../libs/domain/src/calendars/v1';
import {
  createDataSource,
  currentCalendar,
  ensureBundledCalendars,
  markCalendarRolledOut,
  pendingCalendarRollout,
  storeCalendar,
} from '../../libs/persistence/src';
import {
  executeCommand,
  getDeadlines,
  projectWorkflowId,
  type DeadlinesView,
} from '../../libs/workflow-interface/src';
import { CALENDAR_V2_SIMULATED, EXTRA_HOLIDAY } from '../fixtures/calendars/announced';
import { workflowBundle } from '../support/system';
import { quietRuntime } from '../support/time-skipping';

/**
 * The working-day calendar as versioned data: a new version (next year's holidays announced) reaches
 * a running workflow by signal and moves its deadlines from then on, while histories recorded under
 * the old version keep replaying, even with code that bundles the new one.
 */
const root = resolve(__dirname, '..', '..');
/** Histories of the versioned path (marker, load, signal), recorded by this test with RECORD_FIXTURES=1. */
const calendarHistories = join(root, 'test', 'fixtures', 'calendar-histories');
const REGION = '420506';
const officer: Actor = { id: 'officer-1', role: 'officer', regions: [REGION] };
const today = () => shanghaiDate(new Date().toISOString());
const v1 = calendarFrom(CALENDAR_V1.data);

let dataSource: DataSource;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let nativeConnection: NativeConnection;
const taskQueue = `cal-${randomUUID()}`;

beforeAll(async () => {
  quietRuntime();
  dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
  await dataSource.initialize();
  await ensureBundledCalendars(dataSource.manager);
  nativeConnection = await NativeConnection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    dataSource,
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
  client = new Client({
    connection: await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! }),
  });
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await client?.connection.close();
  await dataSource?.destroy();
}, 60_000);

/** Runs `fn` in a transaction that is rolled back, so a test-only version never becomes current. */
async function rolledBack(fn: (manager: DataSource['manager']) => Promise<void>): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await fn(runner.manager);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

/** A 亿元 project signed today: its 首席服务官 is due 5 working days later. */
async function signedToday(input: { continueAsNewAfterEvents?: number } = {}) {
  const projectId = randomUUID();
  const handle = await client.workflow.start('projectWorkflow', {
    taskQueue,
    workflowId: projectWorkflowId(projectId),
    args: [{ projectId, searchAttributes: false, ...input }],
  });
  const send = (command: ProjectCommand) =>
    handle.executeUpdate(executeCommand, { args: [{ commandId: randomUUID(), actor: officer, command }] });
  await send({
    type: 'RegisterLead',
    data: {
      projectId,
      name: '新能源汽车零部件产业园项目',
      investor: { name: '某某汽车零部件有限公司', type: 'private', flags: [] },
      industryChain: '新能源汽车',
      region: REGION,
      park: null,
      industrial: true,
      plannedInvestment: '200000000',
      source: '以商招商',
      leadDate: today(),
    },
  });
  await send({
    type: 'Sign',
    data: {
      contractDate: today(),
      contractInvestment: '200000000',
      contractNumber: `HT-${projectId.slice(0, 8)}`,
    },
  });
  return { projectId, handle, send };
}

/** Version 1 with the next working day after today announced as a holiday: a version the tests alone know. */
function nextWorkingDayOff(): VersionedCalendar {
  const holiday = v1.addWorkingDays(today(), 1);
  const year = Number(holiday.slice(0, 4));
  const years = CALENDAR_V1.data.years.some((y) => y.year === year)
    ? CALENDAR_V1.data.years.map((y) =>
        y.year === year ? { ...y, holidays: [...y.holidays, holiday].sort() } : y,
      )
    : [...CALENDAR_V1.data.years, { year, holidays: [holiday], workdays: [] }];
  return { version: 2, data: { source: 'test announcement', years } };
}

const chiefDue = (view: DeadlinesView) => view.deadlines.find((d) => d.id === 'chief_officer_after_signing');

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (done(value) || i >= 100) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('calendar versions in PostgreSQL', () => {
  it('stores the bundled version once, refuses to change a version, and tracks its rollout', async () => {
    expect(await currentCalendar(dataSource.manager)).toEqual(CALENDAR_V1);
    await ensureBundledCalendars(dataSource.manager); // again: nothing changes
    expect(await pendingCalendarRollout(dataSource.manager)).toBeNull(); // version 1 needs none
    await rolledBack(async (manager) => {
      expect(await storeCalendar(manager, CALENDAR_V2_SIMULATED)).toBe(true);
      expect(await storeCalendar(manager, CALENDAR_V2_SIMULATED)).toBe(false);
      expect(await currentCalendar(manager)).toEqual(CALENDAR_V2_SIMULATED);
      expect(await pendingCalendarRollout(manager)).toEqual(CALENDAR_V2_SIMULATED);
      await markCalendarRolledOut(manager, 2);
      expect(await pendingCalendarRollout(manager)).toBeNull();
      await expect(
        storeCalendar(manager, { ...CALENDAR_V2_SIMULATED, data: CALENDAR_V1.data }),
      ).rejects.toThrow('calendar version 2 is stored with other data');
      await expect(
        storeCalendar(manager, { version: 3, data: { source: 'x', years: 'no' } }),
      ).rejects.toThrow('data.years: years must be an array');
      await manager.query('SAVEPOINT before_update');
      await expect(
        manager.query(`UPDATE calendars SET data = '{}'::jsonb WHERE version = 1`),
      ).rejects.toThrow('calendar versions never change: UPDATE refused');
      await manager.query('ROLLBACK TO SAVEPOINT before_update');
      await expect(manager.query(`DELETE FROM calendars WHERE version = 1`)).rejects.toThrow(
        'calendar versions never change: DELETE refused',
      );
    });
  });
});

describe('a new calendar version reaches a running workflow', () => {
  it('moves its next deadline by the newly announced holiday, records the version, and replays', async () => {
    const { projectId, handle } = await signedToday();
    const before = await handle.query(getDeadlines);
    expect(before.calendarVersion).toBe(1);
    const dueV1 = v1.addWorkingDays(today(), 5);
    expect(chiefDue(before)).toMatchObject({ dueDate: dueV1 });

    const v2 = nextWorkingDayOff();
    const dueV2 = calendarFrom(v2.data).addWorkingDays(today(), 5);
    expect(dueV2).toBe(v1.addWorkingDays(dueV1, 1));

    await rolledBack(async (manager) => {
      await storeCalendar(manager, v2);
      const pending = await pendingCalendarRollout(manager);
      expect(pending?.version).toBe(2);
      const result = await signalCalendarToProjects(manager, client, pending!, { projectIds: [projectId] });
      expect(result).toEqual({ signalled: 1, notRunning: 0 });
    });

    const after = await waitFor(
      () => handle.query(getDeadlines),
      (v) => v.calendarVersion === 2,
    );
    expect(after.calendarVersion).toBe(2);
    expect(chiefDue(after)).toMatchObject({ dueDate: dueV2 });

    // An older or equal version changes nothing.
    await handle.signal('calendarChanged', CALENDAR_V1);
    expect(chiefDue(await handle.query(getDeadlines))).toMatchObject({ dueDate: dueV2 });

    const history = await handle.fetchHistory();
    const text = JSON.stringify(history);
    expect(text).toContain('loadCurrentCalendar');
    expect(text).toContain('calendarChanged');
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, handle.workflowId),
    ).resolves.toBeUndefined();
    if (process.env.RECORD_FIXTURES)
      writeFileSync(join(calendarHistories, 'fixture-calendar-changed.json'), historyToJSON(history));
  }, 60_000);

  it('keeps the version it was told across continue-as-new', async () => {
    const { handle, send } = await signedToday({ continueAsNewAfterEvents: 80 });
    const firstRun = (await handle.describe()).runId;
    const v2 = nextWorkingDayOff();
    await handle.signal('calendarChanged', v2);
    await waitFor(
      () => handle.query(getDeadlines),
      (v) => v.calendarVersion === 2,
    );
    // Visits lengthen the history until the run hands over to the next one.
    for (let i = 0; i < 20 && (await handle.describe()).runId === firstRun; i++)
      await send({ type: 'LogServiceVisit', data: { visitDate: today(), summary: `走访 ${i + 1}` } });
    expect((await handle.describe()).runId).not.toBe(firstRun);
    const view = await handle.query(getDeadlines);
    expect(view.calendarVersion).toBe(2);
    expect(chiefDue(view)).toMatchObject({ dueDate: calendarFrom(v2.data).addWorkingDays(today(), 5) });
  }, 120_000);

  it('ignores a malformed version rather than failing the workflow', async () => {
    const { handle } = await signedToday();
    await handle.signal('calendarChanged', { version: 9, data: { source: 'x', years: [{ year: 'x' }] } });
    const view = await handle.query(getDeadlines);
    expect(view.calendarVersion).toBe(1);
    expect(chiefDue(view)).toMatchObject({ dueDate: v1.addWorkingDays(today(), 5) });
  }, 60_000);
});

/** The workflow code with the domain's bundled calendar versions replaced by a test module's. */
function bundleWithCalendars(fixture: string): Promise<{ code: string }> {
  const domainSrc = join(root, 'libs', 'domain', 'src');
  const replacement = join(root, 'test', 'fixtures', 'calendars', fixture);
  return bundleWorkflowCode({
    workflowsPath,
    logger: undefined,
    webpackConfigHook: (config) => {
      const c = workflowBundlerOptions!.webpackConfigHook!(config);
      c.plugins = [
        ...(c.plugins ?? []),
        new webpack.NormalModuleReplacementPlugin(
          /^\.\/calendars$/,
          (r: { context: string; request: string }) => {
            if (r.context === domainSrc) r.request = replacement;
          },
        ),
      ];
      return c;
    },
  });
}

describe('histories recorded under version 1, after a new version is announced', () => {
  it('replay with code that bundles version 2 as its latest', async () => {
    // The simulated version would have moved the fixtures' escalations (5 working days after 09-30).
    expect(v1.addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
    expect(calendarFrom(CALENDAR_V2_SIMULATED.data).addWorkingDays('2025-09-30', 5)).toBe('2025-10-15');
    expect(chinaCalendar.isWorkingDay(EXTRA_HOLIDAY)).toBe(true);

    const bundle = await bundleWithCalendars('announced.ts');
    expect(bundle.code).toContain('simulated announcement (tests only)');

    // The fixtures recorded before versioning, and one that loaded version 1 and was told version 2.
    const dirs = [join(root, 'test', 'fixtures', 'histories'), calendarHistories];
    const files = dirs.flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(dir, f)),
    );
    expect(files.map((f) => f.slice(root.length + 1)).sort()).toEqual(
      expect.arrayContaining([
        'test/fixtures/calendar-histories/fixture-calendar-changed.json',
        'test/fixtures/histories/fixture-escalation.json',
        'test/fixtures/histories/fixture-every-command.json',
      ]),
    );
    for (const file of files) {
      const history = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      for (const code of [bundle, await workflowBundle()]) {
        await expect(
          Worker.runReplayHistory(
            { workflowBundle: code },
            history as never,
            file.replace(/^.*\/|\.json$/g, ''),
          ),
        ).resolves.toBeUndefined();
      }
    }
  }, 180_000);

  it('would not replay had version 1 itself changed: the fixtures depend on the calendar', async () => {
    const tampered = await bundleWithCalendars('tampered.ts');
    expect(tampered.code).toContain('version 1 tampered with (tests only)');
    const file = join(root, 'test', 'fixtures', 'histories', 'fixture-escalation.json');
    const history = JSON.parse(readFileSync(file, 'utf8')) as never;
    await expect(
      Worker.runReplayHistory({ workflowBundle: tampered }, history, 'fixture-escalation'),
    ).rejects.toThrow(/[Nn]ondetermin/);
  }, 180_000);
});
