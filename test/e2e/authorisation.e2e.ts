import { ApiClient, COUNTY, evidence, lead, OTHER_REGION, REGION, today } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

/**
 * Every role × every write route × a project in the caller's region and one outside it. What each
 * role may do is written out here from the rules, not read from the code under test:
 * officers and chief officers run projects in their regions; leaders approve extensions and
 * reopening, decide drops and assignments; auditors only read; admins manage policy.
 */
let system: TestSystem;
let setup: ApiClient;
beforeAll(async () => {
  system = await startSystem();
  setup = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-matrix-setup' });
}, 120_000);
afterAll(() => system?.stop(), 60_000);

type RoleName = 'officer' | 'chief_officer' | 'leader' | 'auditor' | 'admin';
const ROLES: RoleName[] = ['officer', 'chief_officer', 'leader', 'auditor', 'admin'];

interface WriteRoute {
  name: string;
  /** Stage the project must be at for the write to be accepted; null for routes without a project. */
  stage: string | null;
  path: (id: string) => string;
  method?: 'post' | 'put';
  body: () => unknown;
  allowed: RoleName[];
}

const RUNNERS: RoleName[] = ['officer', 'chief_officer'];

const WRITES: WriteRoute[] = [
  { name: 'register', stage: null, path: () => '/api/projects', body: () => lead(), allowed: RUNNERS },
  ...['negotiating', 'signed', 'landed', 'started', 'in_stats', 'producing'].map((to): WriteRoute => ({
    name: `transition to ${to}`,
    stage: {
      negotiating: 'lead',
      signed: 'lead',
      landed: 'signed',
      started: 'landed',
      in_stats: 'started',
      producing: 'in_stats',
    }[to]!,
    path: (id) => `/api/projects/${id}/transitions`,
    body: () => evidence(to),
    allowed: RUNNERS,
  })),
  {
    name: 'transition to dropped',
    stage: 'lead',
    path: (id) => `/api/projects/${id}/transitions`,
    body: () => evidence('dropped'),
    allowed: [...RUNNERS, 'leader'],
  },
  {
    name: 'reopen',
    stage: 'dropped',
    path: (id) => `/api/projects/${id}/transitions`,
    body: () => evidence('reopen'),
    allowed: ['leader'],
  },
  {
    name: 'funds',
    stage: 'signed',
    path: (id) => `/api/projects/${id}/funds`,
    body: () => ({ month: today().slice(0, 7), amount: '5000000.00' }),
    allowed: RUNNERS,
  },
  {
    name: 'blockers',
    stage: 'lead',
    path: (id) => `/api/projects/${id}/blockers`,
    body: () => ({ category: 'land', description: '用地指标', responsibleDepartment: '自然资源局' }),
    allowed: RUNNERS,
  },
  {
    name: 'blocker resolution',
    stage: 'blocked',
    path: (id) => `/api/projects/${id}/blockers/B-1/resolution`,
    body: () => ({ resolution: '已解决' }),
    allowed: RUNNERS,
  },
  {
    name: 'visits',
    stage: 'lead',
    path: (id) => `/api/projects/${id}/visits`,
    body: () => ({ visitDate: today(), summary: '走访' }),
    allowed: RUNNERS,
  },
  {
    name: 'assignments',
    stage: 'lead',
    path: (id) => `/api/projects/${id}/assignments`,
    body: () => ({ position: 'service_officer', personId: 'officer-99' }),
    allowed: [...RUNNERS, 'leader'],
  },
  {
    name: 'extensions',
    stage: 'signed',
    path: (id) => `/api/projects/${id}/extensions`,
    body: () => ({ deadlineId: 'land_after_signing', newDueDate: '2099-01-31', reason: '挂牌推迟' }),
    allowed: ['leader'],
  },
  {
    name: 'corrections',
    stage: 'lead',
    path: (id) => `/api/projects/${id}/corrections`,
    body: () => ({
      correctsVersion: 1,
      reason: '更正名称',
      changes: { eventType: 'LeadRegistered', name: '更正后的名称' },
    }),
    allowed: RUNNERS,
  },
  {
    name: 'policy',
    stage: null,
    method: 'put',
    path: () => '/api/policy',
    body: () => null,
    allowed: ['admin'],
  },
];

function callerFor(role: RoleName, where: 'own' | 'other'): ApiClient {
  const regions =
    role === 'admin' ? [] : where === 'own' ? [role === 'leader' ? REGION : COUNTY] : [OTHER_REGION];
  return new ApiClient(system, { role, regions, sub: `${role}-matrix-${where}` });
}

async function projectFor(route: WriteRoute): Promise<string> {
  const id = await setup.projectAt(route.stage === 'blocked' ? 'lead' : route.stage!);
  if (route.stage === 'blocked') {
    await setup.command(id, '/blockers', {
      blockerId: 'B-1',
      category: 'land',
      description: '用地指标',
      responsibleDepartment: '自然资源局',
    });
  }
  return id;
}

interface Attempt {
  status: number;
  body: Record<string, unknown>;
  /** For a project's write: whether the project's version moved (an event was recorded). */
  recorded?: boolean;
}

/** Sends the route's write as `caller`, with everything but the caller's rights in order. */
async function attempt(route: WriteRoute, caller: ApiClient): Promise<Attempt> {
  if (route.name === 'policy') {
    const current = await caller.get('/api/policy').expect(200);
    return caller.write(
      '/api/policy',
      { policy: current.body.policy, reason: '矩阵测试: 原样保存' },
      { method: 'put', version: current.body.version },
    );
  }
  if (route.stage === null) {
    const body = route.body() as Record<string, unknown>;
    return caller.write(route.path(''), body);
  }
  const id = await projectFor(route);
  const version = await setup.version(id);
  // A transition carries the evidence files its step needs, uploaded by the caller themselves.
  const res = await caller.write(route.path(id), await caller.withEvidence(route.body()), { version });
  // Read back every time: an accepted write moves the version, a refused one must leave it.
  const recorded = (await setup.version(id)) !== version;
  return { status: res.status, body: res.body as Record<string, unknown>, recorded };
}

describe.each(ROLES)('as %s', (role) => {
  it.each(['own', 'other'] as const)(
    'writes to a project in the %s region as the rules allow',
    async (where) => {
      const caller = callerFor(role, where);
      const mismatches: string[] = [];
      for (const route of WRITES) {
        const allowed = route.allowed.includes(role) && (where === 'own' || route.name === 'policy');
        const res = await attempt(route, caller);
        const ok = res.status >= 200 && res.status < 300;
        if (allowed && !ok)
          mismatches.push(
            `${route.name}: wanted success, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
        // An accepted write records its event; a refused one leaves the project as it was.
        if (res.recorded !== undefined && res.recorded !== ok)
          mismatches.push(`${route.name}: ${ok ? 'accepted but recorded nothing' : 'refused but recorded'}`);
        if (!allowed && res.status !== 403) mismatches.push(`${route.name}: wanted 403, got ${res.status}`);
        if (
          !allowed &&
          res.status === 403 &&
          !['ROLE_NOT_ALLOWED', 'REGION_NOT_IN_SCOPE'].includes(String(res.body.code))
        )
          mismatches.push(`${route.name}: 403 without a refusal code`);
      }
      expect(mismatches).toEqual([]);
    },
    120_000,
  );
});

describe('a chief officer outside the region', () => {
  it('acts on a project assigned to them, and on no other', async () => {
    const chief = new ApiClient(system, {
      role: 'chief_officer',
      regions: [OTHER_REGION],
      sub: 'chief-far-away',
    });
    const assigned = await setup.projectAt('signed');
    await setup.command(assigned, '/assignments', {
      position: 'chief_service_officer',
      personId: 'chief-far-away',
    });
    const unassigned = await setup.projectAt('signed');

    await chief.get(`/api/projects/${assigned}`).expect(200);
    await chief.get(`/api/projects/${unassigned}`).expect(403);
    const visit = { visitDate: today(), summary: '首席服务官走访' };
    const ok = await chief.write(`/api/projects/${assigned}/visits`, visit, {
      version: await setup.version(assigned),
    });
    expect(ok.status).toBe(200);
    const refused = await chief.write(`/api/projects/${unassigned}/visits`, visit, {
      version: await setup.version(unassigned),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('REGION_NOT_IN_SCOPE');
  });
});

describe('reading', () => {
  it('lets leaders read their regions, auditors and admins everywhere, and no one outside their regions', async () => {
    const id = await setup.projectAt('lead');
    const readers: [string, RoleName, string[]][] = [
      ['leader of the city', 'leader', [REGION]],
      ['officer of the county', 'officer', [COUNTY]],
      ['auditor elsewhere', 'auditor', [OTHER_REGION]],
      ['admin', 'admin', []],
      ['leader elsewhere', 'leader', [OTHER_REGION]],
      ['officer of another county', 'officer', ['420502']],
    ];
    const seen: Record<string, unknown> = {};
    for (const [label, role, regions] of readers) {
      const res = await new ApiClient(system, { role, regions, sub: `${role}-reader` }).get(
        `/api/projects/${id}`,
      );
      seen[label] =
        res.status === 200
          ? { status: 200, projectId: res.body.projectId }
          : { status: res.status, code: res.body.code };
    }
    const read = { status: 200, projectId: id };
    const refused = { status: 403, code: 'REGION_NOT_IN_SCOPE' };
    expect(seen).toEqual({
      'leader of the city': read,
      'officer of the county': read,
      'auditor elsewhere': read,
      admin: read,
      'leader elsewhere': refused,
      'officer of another county': refused,
    });
  });
});
