import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../apps/api/src/app.factory';
import { makeEvent } from '../../libs/domain/src';
import {
  createDataSource,
  eventRowParams,
  INSERT_EVENT_ROWS,
  runMigrations,
  type EventRow,
} from '../../libs/persistence/src';
import { chainedRows } from '../../bench/lib/project-history';
import { TEST_JWT_SECRET } from '../support/system';

/**
 * A province's checkpoint: 100 000 chains. Its digest (about 14 MB) must go back through
 * POST /api/audit/checkpoints/verify, which every other body's 100 kB limit would refuse with 413.
 * In a database of its own, so that no other test walks these chains.
 */
const PROJECTS = 100_000;
const PER_STATEMENT = 5_000;

let owner: DataSource;
let dataSource: DataSource;
let app: INestApplication;
let database: string;
const saved = { ...process.env };

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

beforeAll(async () => {
  owner = createDataSource(process.env.TEST_DATABASE_URL!);
  await owner.initialize();
  database = `digest_${randomUUID().slice(0, 8)}`;
  await owner.query(`CREATE DATABASE ${database}`);
  dataSource = createDataSource(withDatabase(process.env.TEST_DATABASE_URL!, database), {
    timeouts: { connectMs: 10_000, statementMs: 600_000, idleInTransactionMs: 600_000 },
  });
  await dataSource.initialize();
  await runMigrations(dataSource);
  // One registration per project, chained and hashed as the event store would, written in bulk.
  for (let first = 0; first < PROJECTS; first += PER_STATEMENT) {
    const rows: EventRow[] = [];
    for (let i = first; i < first + PER_STATEMENT; i++) {
      const projectId = randomUUID();
      const lead = makeEvent('LeadRegistered', '2025-03-01T02:00:00.000Z', {
        projectId,
        name: `项目${i}`,
        investor: { name: `某某公司${i}`, type: 'private', flags: [] },
        industryChain: '新材料',
        region: '420506',
        park: null,
        industrial: true,
        plannedInvestment: '150000000.00',
        source: '以商招商',
        leadDate: '2025-03-01',
        serviceOfficerId: 'officer-1',
      });
      rows.push(...chainedRows(projectId, [lead], Date.parse('2025-03-01T02:00:00.000Z')));
    }
    await dataSource.transaction(async (manager) => {
      await manager.query(INSERT_EVENT_ROWS, eventRowParams(rows));
      await manager.query(
        `INSERT INTO event_streams (project_id, version, head_hash, updated_at)
         SELECT p, 1, h, now() FROM unnest($1::text[], $2::char(64)[]) AS t(p, h)`,
        [rows.map((r) => r.projectId), rows.map((r) => r.hash)],
      );
    });
  }
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: withDatabase(process.env.TEST_DATABASE_URL!, database),
    DATABASE_APP_URL: withDatabase(
      process.env.TEST_DATABASE_APP_URL ?? process.env.TEST_DATABASE_URL!,
      database,
    ),
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: `digest-${randomUUID()}`,
    JWT_SECRET: TEST_JWT_SECRET,
    // A checkpoint of 100 000 chains is one long transaction: on a loaded machine it outlasts the
    // interactive defaults, which would answer 503 instead of the checkpoint this test needs.
    DATABASE_STATEMENT_TIMEOUT_MS: '120000',
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '120000',
  });
  app = await createApp({ logger: false });
  await app.init();
}, 300_000);

afterAll(async () => {
  await app?.close();
  await dataSource?.destroy();
  await owner?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await owner?.destroy();
  for (const key of [
    'NODE_ENV',
    'DATABASE_URL',
    'DATABASE_APP_URL',
    'TEMPORAL_ADDRESS',
    'TEMPORAL_TASK_QUEUE',
    'JWT_SECRET',
    'DATABASE_STATEMENT_TIMEOUT_MS',
    'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
  ]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
}, 120_000);

const token = (role: string) =>
  new JwtService({ secret: TEST_JWT_SECRET }).sign(
    { role, regions: [] },
    { subject: `${role}-digest`, expiresIn: '1h' },
  );

it('verifies a kept digest of 100 000 chains, and finds a forged one out', async () => {
  const server = app.getHttpServer();
  const taken = await request(server)
    .post('/api/audit/checkpoints')
    .set('Authorization', `Bearer ${token('admin')}`)
    .set('Idempotency-Key', randomUUID())
    .expect(201);
  const file = await request(server)
    .get(`/api/audit/checkpoints/${taken.body.checkpointId}/digest`)
    .set('Authorization', `Bearer ${token('auditor')}`)
    .expect(200);
  expect(file.body.heads).toHaveLength(PROJECTS);
  const body = JSON.stringify(file.body);
  expect(Buffer.byteLength(body)).toBeGreaterThan(10_000_000);

  const verdict = await request(server)
    .post('/api/audit/checkpoints/verify')
    .set('Authorization', `Bearer ${token('auditor')}`)
    .set('Content-Type', 'application/json')
    .send(body)
    .expect(200);
  expect(verdict.body).toMatchObject({ ok: true, signatureValid: true, trustedKey: true, findings: [] });

  const heads = file.body.heads as { projectId: string; headHash: string }[];
  const forged = {
    ...file.body,
    heads: [...heads.slice(0, -1), { ...heads[heads.length - 1], headHash: '0'.repeat(64) }],
  };
  const refused = await request(server)
    .post('/api/audit/checkpoints/verify')
    .set('Authorization', `Bearer ${token('auditor')}`)
    .send(forged)
    .expect(200);
  expect(refused.body.ok).toBe(false);
  expect(refused.body.signatureValid).toBe(false);
}, 300_000);
