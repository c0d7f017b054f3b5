import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { readStream, eventHash, GENESIS_HASH } from '../../libs/persistence/src';
import { shanghaiDate } from '../../libs/domain/src';
import { projectWorkflowId } from '../../libs/workflow-interface/src';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

const lead = {
  name: '年产5万吨锂电池正极材料项目',
  investor: { name: '湖北某某新材料有限公司', type: 'private', flags: ['listed'] },
  industryChain: '新材料',
  region: '420500',
  park: '宜昌高新区',
  industrial: true,
  plannedInvestment: '150000000.00',
  source: '以商招商',
  // Today in Shanghai: a fresh lead, with its 30-day follow-up reminder far off.
  leadDate: shanghaiDate(new Date().toISOString()),
};

describe('the thin slice: register a lead over HTTP through the real stack', () => {
  it('registers a project in stage lead, records its event, and reads it back', async () => {
    const token = system.token({ role: 'officer', regions: ['420500'], sub: 'officer-7' });
    const created = await request(system.app.getHttpServer())
      .post('/api/projects')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', randomUUID())
      .send(lead)
      .expect(201);
    expect(created.headers.etag).toBe('"v1"');
    expect(created.body).toMatchObject({
      name: lead.name,
      stage: { code: 'lead', label: '线索' },
      region: '420500',
      plannedInvestment: '150000000.00',
      fundsArrivedTotal: '0.00',
      investor: { name: lead.investor.name, type: 'private', flags: ['listed'] },
      version: 1,
    });
    const id = created.body.projectId as string;
    expect(created.headers.location).toBe(`/api/projects/${id}`);

    const read = await request(system.app.getHttpServer())
      .get(`/api/projects/${id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(read.body).toMatchObject(created.body);
    expect(read.headers.etag).toBe('"v1"');

    // The workflow, with its id derived from the project id, wrote exactly one chained event.
    const events = await readStream(system.dataSource.manager, id);
    expect(events.map((e) => [e.version, e.type, e.actorId, e.actorRole])).toEqual([
      [1, 'LeadRegistered', 'officer-7', 'officer'],
    ]);
    const { globalPosition: _p, hash, ...fields } = events[0];
    expect(fields.previousHash).toBe(GENESIS_HASH);
    expect(eventHash(fields)).toBe(hash);
    expect(fields.workflowId).toBe(projectWorkflowId(id));
    const description = await system.client.workflow.getHandle(projectWorkflowId(id)).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('answers a repeated registration with the same idempotency key with the same project, written once', async () => {
    const token = system.token({ role: 'officer', regions: ['420500'] });
    // Another investor's lead: the same one as the first test's would be flagged as counted twice.
    const another = { ...lead, investor: { ...lead.investor, name: '宜昌另一家锂电材料有限公司' } };
    const send = () =>
      request(system.app.getHttpServer())
        .post('/api/projects')
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', 'lead-2025-0042')
        .send(another)
        .expect(201);
    const first = await send();
    const second = await send();
    expect(second.body.projectId).toBe(first.body.projectId);
    expect(await readStream(system.dataSource.manager, first.body.projectId)).toHaveLength(1);
  });

  it('refuses a body with a bad field as problem+json naming the field and the rule', async () => {
    const token = system.token({ role: 'officer', regions: ['420500'] });
    const res = await request(system.app.getHttpServer())
      .post('/api/projects')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', randomUUID())
      .send({ ...lead, plannedInvestment: 1.5e8, extra: 'x' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'plannedInvestment', rule: 'matches' }),
        expect.objectContaining({ field: 'extra', rule: 'whitelistValidation' }),
      ]),
    );
  });

  it('turns a domain refusal into problem+json with its code and both messages', async () => {
    const token = system.token({ role: 'officer', regions: ['420500'] });
    const res = await request(system.app.getHttpServer())
      .post('/api/projects')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', randomUUID())
      .send({ ...lead, leadDate: '2999-01-01' })
      .expect(422);
    expect(res.body).toMatchObject({ code: 'DATE_IN_FUTURE', field: 'data.leadDate' });
    expect(res.body.message.zh).toBeTruthy();
    expect(res.body.message.en).toBeTruthy();
  });

  it('refuses a caller without a token, and an officer outside the region', async () => {
    await request(system.app.getHttpServer()).post('/api/projects').send(lead).expect(401);
    const elsewhere = system.token({ role: 'officer', regions: ['610500'] });
    const res = await request(system.app.getHttpServer())
      .post('/api/projects')
      .set('Authorization', `Bearer ${elsewhere}`)
      .set('Idempotency-Key', randomUUID())
      .send(lead)
      .expect(403);
    expect(res.body.code).toBe('REGION_NOT_IN_SCOPE');
  });

  it('answers health and serves the OpenAPI document', async () => {
    await request(system.app.getHttpServer()).get('/health/live').expect(200, { status: 'up' });
    const ready = await request(system.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body.checks).toEqual({ postgres: { status: 'up' }, temporal: { status: 'up' } });
    const doc = await request(system.app.getHttpServer()).get('/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/projects', '/api/projects/{id}', '/health/ready']),
    );
  });

  it('returns 404 as problem+json for an unknown project', async () => {
    const token = system.token({ role: 'auditor', regions: ['420500'] });
    const res = await request(system.app.getHttpServer())
      .get('/api/projects/00000000-0000-4000-8000-000000000000')
      .set('Authorization', `Bearer ${token}`)
      .expect(404);
    expect(res.body.code).toBe('PROJECT_NOT_FOUND');
  });
});
