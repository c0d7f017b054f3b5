import request from 'supertest';
import { ApiClient, COUNTY, evidence, lead, REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

/**
 * Every write route, fed bad input: each answer is 4xx problem+json naming the field and the rule,
 * and nothing is recorded.
 */
let system: TestSystem;
let officer: ApiClient;
let leader: ApiClient;
let admin: ApiClient;
beforeAll(async () => {
  system = await startSystem();
  officer = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-bad-input' });
  leader = new ApiClient(system, { role: 'leader', regions: [REGION], sub: 'leader-bad-input' });
  admin = new ApiClient(system, { role: 'admin', regions: [], sub: 'admin-bad-input' });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

type Kind =
  | 'text'
  | 'date'
  | 'pastDate'
  | 'yuan'
  | 'signedYuan'
  | 'month'
  | 'creditCode'
  | 'enum'
  | 'bool'
  | 'int'
  | 'object';

interface Route {
  name: string;
  caller: () => ApiClient;
  /** The project it writes to, at a stage where `valid` is accepted; none for registration and policy. */
  stage?: string;
  path: (id: string) => string;
  method?: 'post' | 'put';
  valid: () => Record<string, unknown>;
  /** Top-level fields and what they hold; the required ones must be present. */
  fields: Record<string, { kind: Kind; required: boolean }>;
}

const req = (kind: Kind) => ({ kind, required: true });
const opt = (kind: Kind) => ({ kind, required: false });

const ROUTES: Route[] = [
  {
    name: 'POST /projects',
    caller: () => officer,
    path: () => '/api/projects',
    valid: () => lead(),
    fields: {
      name: req('text'),
      investor: req('object'),
      industryChain: req('text'),
      region: req('enum'),
      park: opt('text'),
      industrial: req('bool'),
      plannedInvestment: req('yuan'),
      source: req('text'),
      leadDate: req('pastDate'),
    },
  },
  {
    name: 'POST /projects/{id}/transitions',
    caller: () => officer,
    stage: 'signed',
    path: (id) => `/api/projects/${id}/transitions`,
    valid: () => evidence('landed'),
    fields: {
      to: req('enum'),
      creditCode: req('creditCode'),
      companyName: opt('text'),
      landedDate: req('pastDate'),
      site: req('object'),
    },
  },
  {
    name: 'POST /projects/{id}/funds',
    caller: () => officer,
    stage: 'signed',
    path: (id) => `/api/projects/${id}/funds`,
    valid: () => ({ month: today().slice(0, 7), amount: '1000000.00', note: '首笔' }),
    fields: { month: req('month'), amount: req('signedYuan'), note: opt('text') },
  },
  {
    name: 'POST /projects/{id}/blockers',
    caller: () => officer,
    stage: 'signed',
    path: (id) => `/api/projects/${id}/blockers`,
    valid: () => ({
      blockerId: 'B-7',
      category: 'approval',
      description: '环评批复未下达',
      responsibleDepartment: '市生态环境局',
      departmentRole: 'co_handling',
      dueDate: '2099-01-01',
    }),
    fields: {
      blockerId: opt('text'),
      category: req('enum'),
      description: req('text'),
      responsibleDepartment: req('text'),
      departmentRole: opt('enum'),
      dueDate: opt('date'),
    },
  },
  {
    name: 'POST /projects/{id}/blockers/{blockerId}/resolution',
    caller: () => officer,
    stage: 'blocked',
    path: (id) => `/api/projects/${id}/blockers/B-1/resolution`,
    valid: () => ({ resolution: '已协调解决' }),
    fields: { resolution: req('text') },
  },
  {
    name: 'POST /projects/{id}/visits',
    caller: () => officer,
    stage: 'lead',
    path: (id) => `/api/projects/${id}/visits`,
    valid: () => ({ visitDate: today(), summary: '走访企业', officerId: 'officer-2' }),
    fields: { visitDate: req('pastDate'), summary: req('text'), officerId: opt('text') },
  },
  {
    name: 'POST /projects/{id}/assignments',
    caller: () => officer,
    stage: 'lead',
    path: (id) => `/api/projects/${id}/assignments`,
    valid: () => ({ position: 'service_officer', personId: 'officer-3', reason: '专班调整' }),
    fields: { position: req('enum'), personId: req('text'), reason: opt('text') },
  },
  {
    name: 'POST /projects/{id}/extensions',
    caller: () => leader,
    stage: 'signed',
    path: (id) => `/api/projects/${id}/extensions`,
    valid: () => ({ deadlineId: 'land_after_signing', newDueDate: '2099-06-30', reason: '土地挂牌推迟' }),
    fields: { deadlineId: req('text'), newDueDate: req('date'), reason: req('text') },
  },
  {
    name: 'POST /projects/{id}/corrections',
    caller: () => officer,
    stage: 'lead',
    path: (id) => `/api/projects/${id}/corrections`,
    valid: () => ({
      correctsVersion: 1,
      reason: '名称录入错误',
      changes: { eventType: 'LeadRegistered', name: '新名称' },
    }),
    fields: { correctsVersion: req('int'), reason: req('text'), changes: req('object') },
  },
  {
    name: 'PUT /policy',
    caller: () => admin,
    method: 'put',
    path: () => '/api/policy',
    valid: () => ({ policy: {}, reason: '调整' }),
    fields: { policy: req('object'), reason: req('text') },
  },
];

const WRONG_TYPE: Record<Kind, unknown> = {
  text: 12345,
  date: 20250301,
  pastDate: ['2025-03-01'],
  yuan: 150000000.5,
  signedYuan: -1.5,
  month: 202503,
  creditCode: 91440300192203,
  enum: { value: 'x' },
  bool: 'yes',
  int: '1',
  object: 'not an object',
};

/** Bad values beyond the wrong type, each with the status it must get. */
function badValues(kind: Kind): [string, unknown, number][] {
  const huge = 'x'.repeat(100_000);
  switch (kind) {
    case 'text':
      return [
        ['a 100 kB string', huge, 400],
        ['blank', '   ', 400],
      ];
    case 'date':
      return [
        ['not a date', '2025-02-30', 400],
        ['a 100 kB string', huge, 400],
      ];
    case 'pastDate':
      return [
        ['not a date', '2025-02-30', 400],
        ['a future date', '2999-01-01', 422],
        ['a 100 kB string', huge, 400],
      ];
    case 'yuan':
      return [
        ['a negative amount', '-1.00', 400],
        ['three decimals', '1.001', 400],
        ['a 100 kB string', huge, 400],
      ];
    case 'signedYuan':
      return [
        ['a negative total', '-99999999.00', 422],
        ['three decimals', '1.001', 400],
      ];
    case 'month':
      return [['month 13', '2025-13', 400]];
    case 'creditCode':
      return [
        ['a wrong check character', '914403001922038217', 400],
        ['lower case', '91440300192203821x', 400],
        ['17 characters', '91440300192203821', 400],
      ];
    case 'enum':
      return [
        ['an unknown value', 'no-such-value', 400],
        ['a 100 kB string', huge, 400],
      ];
    case 'int':
      return [
        ['zero', 0, 400],
        ['a fraction', 1.5, 400],
      ];
    default:
      return [];
  }
}

interface Case {
  label: string;
  body: unknown;
  status: number;
  field?: string;
  raw?: { contentType: string; payload: string };
}

function casesFor(route: Route): Case[] {
  const valid = route.valid();
  const cases: Case[] = [
    { label: 'an unknown field', body: { ...valid, surprise: true }, status: 400, field: 'surprise' },
    { label: 'an empty body', body: {}, status: 400 },
    { label: 'a JSON array', body: [valid], status: 400 },
    {
      label: 'malformed JSON',
      body: undefined,
      status: 400,
      raw: { contentType: 'application/json', payload: '{"name": ' },
    },
    {
      label: 'a wrong content type',
      body: undefined,
      status: 415,
      raw: { contentType: 'text/plain', payload: 'name=x' },
    },
  ];
  for (const [field, { kind, required }] of Object.entries(route.fields)) {
    if (required) {
      const { [field]: _dropped, ...rest } = valid;
      cases.push({ label: `${field} missing`, body: rest, status: 400, field });
    }
    cases.push({
      label: `${field} of the wrong type`,
      body: { ...valid, [field]: WRONG_TYPE[kind] },
      status: 400,
      field,
    });
    for (const [label, value, status] of badValues(kind)) {
      cases.push({
        label: `${field} ${label}`,
        body: { ...valid, [field]: value },
        status,
        field: status === 400 ? field : undefined,
      });
    }
  }
  return cases;
}

async function prepare(route: Route): Promise<{ id: string; version: number }> {
  if (!route.stage) return { id: '', version: 0 };
  const stage = route.stage === 'blocked' ? 'signed' : route.stage;
  const id = await officer.projectAt(stage);
  if (route.stage === 'blocked') {
    await officer.command(id, '/blockers', {
      blockerId: 'B-1',
      category: 'land',
      description: '土地指标未落实',
      responsibleDepartment: '市自然资源和规划局',
    });
  }
  return { id, version: await officer.version(id) };
}

describe.each(ROUTES.map((r) => [r.name, r] as const))('bad input to %s', (_name, route) => {
  it('answers every bad body 4xx as problem+json naming the field, and records nothing', async () => {
    const { id, version } = await prepare(route);
    const caller = route.caller();
    const policyBefore = await admin.get('/api/policy').expect(200);
    const policyVersion = policyBefore.body.version as number;
    const failures: string[] = [];
    for (const c of casesFor(route)) {
      const etag = route.stage ? version : policyVersion;
      let res: request.Response;
      if (c.raw) {
        const server = request(system.app.getHttpServer());
        let raw = server[route.method ?? 'post'](route.path(id))
          .set('Authorization', `Bearer ${caller.token}`)
          .set('Idempotency-Key', `bad-${Math.random()}`)
          .set('Content-Type', c.raw.contentType);
        if (route.stage || route.method === 'put') raw = raw.set('If-Match', `"v${etag}"`);
        res = await raw.send(c.raw.payload);
      } else {
        const withEtag = route.stage || route.method === 'put';
        res = await caller.write(route.path(id), c.body, {
          method: route.method,
          ...(withEtag ? { version: etag } : {}),
        });
      }
      const problems: string[] = [];
      if (res.status !== c.status) problems.push(`status ${res.status}, wanted ${c.status}`);
      if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
        problems.push(`content type ${res.headers['content-type']}`);
      if (res.body?.status !== res.status) problems.push('body.status differs');
      if (c.field) {
        const named = (res.body?.errors ?? []) as { field: string; rule: string }[];
        if (
          !named.some(
            (e) => e.field === c.field || e.field.startsWith(`${c.field}.`) || e.field === `data.${c.field}`,
          )
        )
          problems.push(
            `field ${c.field} not named: ${JSON.stringify(res.body?.errors ?? res.body).slice(0, 300)}`,
          );
        if (!named.every((e) => typeof e.rule === 'string' && e.rule.length > 0))
          problems.push('a rule is missing');
      }
      if (problems.length) failures.push(`${c.label}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);

    // Nothing was recorded, and the valid body is still accepted.
    if (route.stage) {
      expect(await officer.version(id)).toBe(version);
      const ok = await caller.write(route.path(id), await caller.withEvidence(route.valid()), { version });
      expect(ok.status).toBe(200);
    } else if (route.method === 'put') {
      const after = await admin.get('/api/policy').expect(200);
      expect(after.body.version).toBe(policyVersion);
    }
  });
});
