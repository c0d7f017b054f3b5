import { Writable } from 'node:stream';
import { addMonthsToMonth } from '../../libs/domain/src';
import {
  diffProjections,
  rebuildAndDiffProjections,
  rebuildProjections,
  readStream,
} from '../../libs/persistence/src';
import { main } from '../../scripts/rebuild-projections';
import { ApiClient, COUNTY, daysAgo, evidence, REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let officer: ApiClient;
let leader: ApiClient;
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-rebuild' });
  leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-rebuild' });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

/** A small seeded generator (mulberry32): the same seed gives the same commands on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TARGETS = ['negotiating', 'signed', 'landed', 'started', 'in_stats', 'producing'];

/** How far a project has come along TARGETS (-1 for a lead), and the next blocker number. */
interface Track {
  stage: number;
  blockers: number;
}

/** Sends a command at the current version; a refusal is a fine outcome (it records nothing). */
async function send(client: ApiClient, id: string, path: string, body: unknown): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const res = await client.write(`/api/projects/${id}${path}`, body, { version: await client.version(id) });
    // A timer may record an alert between the read and the write: read again.
    if (res.status === 412 && attempt < 3) continue;
    if (![200, 403, 409, 422].includes(res.status))
      throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.status;
  }
}

/** One random command for a project, valid or not. */
async function randomCommand(random: () => number, id: string, track: Track): Promise<number> {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const month = addMonthsToMonth(today().slice(0, 7), -Math.floor(random() * 3));
  const roll = random();
  if (roll < 0.35) {
    // Mostly the next step along the path, so that projects get far enough for funds and corrections.
    const next = track.stage + 1 < TARGETS.length && random() < 0.7;
    const status = await send(
      officer,
      id,
      '/transitions',
      await officer.withEvidence(evidence(next ? TARGETS[track.stage + 1] : pick(TARGETS))),
    );
    if (status === 200 && next) track.stage++;
    return status;
  }
  if (roll < 0.5) {
    const yuan = Math.floor(random() * 60_000_000) - 10_000_000;
    const fen = Math.floor(random() * 100);
    const amount = `${yuan < 0 ? '-' : ''}${Math.abs(yuan)}.${String(fen).padStart(2, '0')}`;
    return send(officer, id, '/funds', { month, amount });
  }
  if (roll < 0.58) {
    const blockerId = `B-${track.blockers++}`;
    return send(officer, id, '/blockers', {
      blockerId,
      category: 'land',
      description: '土地指标未落实',
      responsibleDepartment: '市自然资源和规划局',
    });
  }
  if (roll < 0.64) {
    const blockerId = `B-${Math.floor(random() * (track.blockers + 1))}`;
    return send(officer, id, `/blockers/${blockerId}/resolution`, { resolution: '已协调解决' });
  }
  if (roll < 0.72) return send(officer, id, '/visits', { visitDate: today(), summary: '走访企业' });
  if (roll < 0.84) {
    const events = await readStream(system.dataSource.manager, id);
    const target = pick(events);
    const changes: Record<string, Record<string, unknown>> = {
      LeadRegistered: {
        eventType: 'LeadRegistered',
        name: `更正后的项目名称 ${Math.floor(random() * 1000)}`,
      },
      ProjectSigned: { eventType: 'ProjectSigned', contractInvestment: '180000000.00' },
      FundsArrivedRecorded: { eventType: 'FundsArrivedRecorded', amount: '1234.56' },
    };
    // Other event types get a change of the wrong type: refused.
    return send(officer, id, '/corrections', {
      correctsVersion: target.version,
      reason: '录入错误',
      changes: changes[target.type] ?? changes.LeadRegistered,
    });
  }
  if (roll < 0.9) {
    return send(officer, id, '/assignments', {
      position: 'chief_service_officer',
      personId: `chief-${Math.floor(random() * 5)}`,
      guaranteeLeaderId: 'leader-3',
    });
  }
  if (roll < 0.93) return send(leader, id, '/transitions', evidence('dropped'));
  // Reopening by an officer is refused (403); by a leader only a dropped project reopens.
  return send(random() < 0.8 ? leader : officer, id, '/transitions', evidence('reopen'));
}

describe('rebuilding the projections from the event log', () => {
  const ids: string[] = [];

  it('gives the live read model back after a long random sequence of commands', async () => {
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, async (_, i) => {
        const random = prng(20250601 + i);
        // Every third lead is 50 days old: its workflow records an overdue alert by itself.
        const { id } = await officer.register({
          name: `重建测试项目 ${i}`,
          leadDate: i % 3 === 0 ? daysAgo(50) : today(),
          plannedInvestment: `${100_000_000 + i * 1_000_000}.00`,
        });
        ids[i] = id;
        const track = { stage: -1, blockers: 1 };
        for (let step = 0; step < 20; step++) statuses.push(await randomCommand(random, id, track));
      }),
    );
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(40);
    expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(10);

    // The timers' alerts are events too: wait until the old leads have theirs.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const [{ alerts }] = await system.dataSource.query<{ alerts: number }[]>(
        `SELECT count(*)::int AS alerts FROM events WHERE type = 'AlertRaised' AND project_id = ANY($1)`,
        [ids],
      );
      if (alerts > 0) break;
      if (Date.now() > deadline) throw new Error('no alert recorded for the 50-day-old leads');
      await new Promise((r) => setTimeout(r, 250));
    }

    const types = await system.dataSource.query<{ type: string; n: number }[]>(
      `SELECT type, count(*)::int AS n FROM events WHERE project_id = ANY($1) GROUP BY type ORDER BY type`,
      [ids],
    );
    process.stderr.write(`events by type: ${types.map((t) => `${t.type} ${t.n}`).join(', ')}\n`);
    expect(types.map((t) => t.type)).toEqual(
      expect.arrayContaining(['AlertRaised', 'FundsArrivedRecorded', 'EventCorrected', 'BlockerRaised']),
    );

    const { rebuild, diff } = await rebuildAndDiffProjections(system.dataSource, { projectIds: ids });
    process.stderr.write(
      `rebuild: ${rebuild.events} events, ${rebuild.projects} projects in ${rebuild.seconds.toFixed(2)} s, ` +
        `${Math.round(rebuild.eventsPerSecond)} events/s\n`,
    );
    expect(rebuild.projects).toBeGreaterThanOrEqual(15);
    expect(diff.tables.map((t) => [t.table, t.missingInLive, t.missingInRebuild, t.differing])).toEqual([
      ['projects', ...Array(3).fill({ count: 0, rows: [] })],
      ['project_funds', ...Array(3).fill({ count: 0, rows: [] })],
      ['project_lights', ...Array(3).fill({ count: 0, rows: [] })],
      ['duplicate_confirmations', ...Array(3).fill({ count: 0, rows: [] })],
      ['file_references', ...Array(3).fill({ count: 0, rows: [] })],
    ]);
    expect(diff.identical).toBe(true);
    // The landings, starts and 入统 of the walk cited their evidence files.
    expect(diff.tables.find((t) => t.table === 'file_references')!.rebuiltRows).toBeGreaterThan(0);
    const projects = diff.tables.find((t) => t.table === 'projects')!;
    expect(projects.liveRows).toBe(15);
    expect(projects.rebuiltRows).toBe(15);
    expect(diff.tables.find((t) => t.table === 'project_funds')!.rebuiltRows).toBeGreaterThan(0);
    // The old leads' overdue alerts turned their lights: the days they did are rebuilt as kept.
    expect(diff.tables.find((t) => t.table === 'project_lights')!.rebuiltRows).toBeGreaterThan(0);
    expect(diff.notCompared).toMatch(/outbox/);
  }, 60_000);

  it('names the project and column that were changed behind the log, and the command exits 1', async () => {
    // A project whose lead is fresh: no timer rewrites its row while the test runs.
    const tampered = ids[1];
    const fundsOnly = ids[2];
    await system.dataSource.query(
      `UPDATE projects SET funds_arrived_total = funds_arrived_total + 1 WHERE project_id = $1`,
      [tampered],
    );
    await system.dataSource.query(
      `INSERT INTO project_funds (project_id, month, amount) VALUES ($1, '1999-01', 0.01)`,
      [fundsOnly],
    );
    // A reference to an evidence file lost behind the log: its readers could no longer read it.
    const [lost] = await system.dataSource.query<{ file_id: string; project_id: string }[]>(
      `SELECT file_id::text, project_id::text FROM file_references WHERE project_id::text = ANY($1::text[]) LIMIT 1`,
      [ids],
    );
    await system.dataSource.query(`DELETE FROM file_references WHERE file_id = $1 AND project_id = $2`, [
      lost.file_id,
      lost.project_id,
    ]);
    try {
      await rebuildProjections(system.dataSource, { batchSize: 7 });
      const diff = await diffProjections(system.dataSource, { projectIds: ids });
      expect(diff.identical).toBe(false);
      const [projects, funds, , , references] = diff.tables;
      expect(references.missingInLive).toEqual({
        count: 1,
        rows: [{ projectId: lost.project_id, key: lost, columns: [] }],
      });
      expect(projects.differing).toEqual({
        count: 1,
        rows: [{ projectId: tampered, key: { project_id: tampered }, columns: ['funds_arrived_total'] }],
      });
      expect(funds.missingInRebuild).toEqual({
        count: 1,
        rows: [{ projectId: fundsOnly, key: { project_id: fundsOnly, month: '1999-01' }, columns: [] }],
      });

      const out = capture();
      const err = capture();
      const code = await main(['--drop', ...ids.flatMap((id) => ['--project', id])], {
        stdout: out.stream,
        stderr: err.stream,
        env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
      });
      expect(code).toBe(1);
      expect(out.text()).toContain(`${tampered}: funds_arrived_total`);
      expect(out.text()).toContain(`${fundsOnly} month=1999-01`);
      expect(out.text()).toMatch(/events\/s\s+[\d,]+/);
      expect(out.text()).toContain('projections DIFFER');
      expect(err.text()).toMatch(/rebuild: 100% /);
      const [{ left }] = await system.dataSource.query<{ left: string | null }[]>(
        `SELECT to_regclass('rebuild_projects')::text AS left`,
      );
      expect(left).toBeNull();
    } finally {
      await system.dataSource.query(
        `UPDATE projects SET funds_arrived_total = funds_arrived_total - 1 WHERE project_id = $1`,
        [tampered],
      );
      await system.dataSource.query(`DELETE FROM project_funds WHERE project_id = $1 AND month = '1999-01'`, [
        fundsOnly,
      ]);
      await system.dataSource.query(`INSERT INTO file_references (file_id, project_id) VALUES ($1, $2)`, [
        lost.file_id,
        lost.project_id,
      ]);
    }

    // Put back, the command finds nothing and exits 0.
    const out = capture();
    const code = await main([...ids.flatMap((id) => ['--project', id]), '--drop'], {
      stdout: out.stream,
      stderr: capture().stream,
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
    });
    expect(out.text()).toContain('projections identical');
    expect(code).toBe(0);
  }, 60_000);
});

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}
