import { randomBytes, randomInt } from 'node:crypto';
import { ValidationPipe } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { compareYuan, foldEvents, makeEvent, type Actor, type ProjectEvent } from '@app/domain';
import { createDataSource, projectRowFromState, stableUuid, upsertProjectRow } from '@app/persistence';
import {
  ProblemException,
  validationProblem,
  type ProblemDetails,
} from '../../apps/api/src/common/problem-details';
import { ListProjectsQuery, PROJECT_SORTS } from '../../apps/api/src/projects/dto/list-projects.query';
import { ProjectListService } from '../../apps/api/src/projects/project-list.service';

let ds: DataSource;
let service: ProjectListService;
beforeAll(async () => {
  ds = createDataSource(process.env.TEST_DATABASE_URL!);
  await ds.initialize();
  service = new ProjectListService(ds);
});
afterAll(() => ds.destroy());

/** Outside every city these tests use; isolation comes from each test's own name tag. */
const ELSEWHERE = '110105';
const auditor: Actor = { id: 'auditor-1', role: 'auditor', regions: [] };

// Other tests share the database: every test gets its own city (9xxx00, not a real prefix) and a
// tag that starts every project name and id, and asserts only on rows carrying it.
let cityCounter = randomInt(0, 800);
function freshCity(): string {
  return `9${100 + cityCounter++}00`;
}
function freshTag(): string {
  return `t${randomBytes(4).toString('hex')}`;
}
/**
 * A seeded project's id: a UUID as every project id is, stable for a tag and a number, and in the
 * numbers' order (its first eight digits are the number), as the lists' tie-break by id expects.
 */
function projectIdOf(tag: string, n: number): string {
  return `${n.toString(16).padStart(8, '0')}${stableUuid('project-list', tag).slice(8)}`;
}

interface Seed {
  id: string;
  name: string;
  region: string;
  investor?: string;
  industryChain?: string;
  planned?: string;
  signed?: { date: string; investment: string };
  chief?: string;
  updatedAt?: string;
  /** Read-model columns set directly: stage, light, overdue. */
  row?: Record<string, unknown>;
}

async function seed(...projects: Seed[]): Promise<void> {
  for (const p of projects) {
    const events: ProjectEvent[] = [
      makeEvent('LeadRegistered', '2025-01-06', {
        projectId: p.id,
        name: p.name,
        investor: { name: p.investor ?? '某某投资有限公司', type: 'private', flags: [] },
        industryChain: p.industryChain ?? '新材料',
        region: p.region,
        park: null,
        industrial: true,
        plannedInvestment: p.planned ?? '150000000.00',
        source: '以商招商',
        leadDate: '2025-01-06',
        serviceOfficerId: 'officer-1',
      }),
    ];
    if (p.signed) {
      events.push(
        makeEvent('ProjectSigned', p.signed.date, {
          contractDate: p.signed.date,
          contractInvestment: p.signed.investment,
          contractNumber: `HT-${p.id}`,
          signingBatchId: null,
          plannedProductionDate: null,
        }),
      );
    }
    if (p.chief) {
      events.push(
        makeEvent('ChiefServiceOfficerAssigned', '2025-02-11T02:00:00.000Z', {
          chiefOfficerId: p.chief,
          previousChiefOfficerId: null,
          guaranteeLeaderId: null,
        }),
      );
    }
    const state = foldEvents(events);
    const row = { ...projectRowFromState(state, p.updatedAt ?? '2025-03-01T00:00:00.000Z'), ...p.row };
    await upsertProjectRow(ds.manager, row);
  }
}

// The query string goes through the same ValidationPipe as in the API (see app.factory.ts).
const pipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: validationProblem,
});
async function parse(params: Record<string, string | string[]>): Promise<ListProjectsQuery> {
  return (await pipe.transform(params, { type: 'query', metatype: ListProjectsQuery })) as ListProjectsQuery;
}

async function ids(params: Record<string, string | string[]>, actor: Actor = auditor): Promise<string[]> {
  const page = await service.list(await parse({ limit: '200', ...params }), actor);
  expect(page.nextCursor).toBeNull();
  return page.items.map((p) => p.projectId).sort();
}

async function problemOf(action: () => Promise<unknown>): Promise<ProblemDetails> {
  try {
    await action();
  } catch (e) {
    expect(e).toBeInstanceOf(ProblemException);
    return (e as ProblemException).problem;
  }
  throw new Error('expected a problem');
}

describe('project list query string', () => {
  it('defaults to the most recently updated first, 50 to a page', async () => {
    const query = await parse({});
    expect(query.sort).toBe('-updatedAt');
    expect(query.limit).toBe(50);
  });

  it('reads several stages and lights, comma-separated or repeated', async () => {
    expect((await parse({ stage: 'lead,signed' })).stage).toEqual(['lead', 'signed']);
    expect((await parse({ stage: ['lead', 'signed,landed'] })).stage).toEqual(['lead', 'signed', 'landed']);
    expect((await parse({ light: 'yellow, red' })).light).toEqual(['yellow', 'red']);
    expect((await parse({ overdue: 'false', signingYear: '2025' })).overdue).toBe(false);
  });

  it.each([
    [{ foo: 'bar' }, 'foo', 'whitelistValidation'],
    [{ stage: 'lead,won' }, 'stage', 'isIn'],
    [{ stage: '' }, 'stage', 'arrayNotEmpty'],
    [{ light: 'blue' }, 'light', 'isIn'],
    [{ region: '4205' }, 'region', 'matches'],
    [{ overdue: 'yes' }, 'overdue', 'isBoolean'],
    [{ signingYear: '20x5' }, 'signingYear', 'isInt'],
    [{ sizeBand: '2b' }, 'sizeBand', 'isIn'],
    [{ q: 'x'.repeat(101) }, 'q', 'maxLength'],
    [{ sort: 'price' }, 'sort', 'isIn'],
    [{ limit: '0' }, 'limit', 'min'],
    [{ limit: '201' }, 'limit', 'max'],
    [{ cursor: 'a+b/c=' }, 'cursor', 'matches'],
  ])('refuses %j', async (params, field, rule) => {
    const problem = await problemOf(() => parse(params));
    expect(problem.status).toBe(400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
  });
});

describe('project list filters', () => {
  const tag = freshTag();
  const city = freshCity();
  const countyA = `${city.slice(0, 4)}01`;
  const countyB = `${city.slice(0, 4)}02`;
  const id = (n: number) => projectIdOf(tag, n);

  beforeAll(() =>
    seed(
      { id: id(1), name: `${tag} 1`, region: countyA, planned: '50000000.00' },
      {
        id: id(2),
        name: `${tag} 2`,
        region: countyA,
        industryChain: '新能源',
        signed: { date: '2024-06-01', investment: '100000000.00' },
        row: { light: 'yellow', overdue: true },
      },
      {
        id: id(3),
        name: `${tag} 3`,
        region: countyB,
        planned: '600000000.00', // the contract's 9000万 is what counts once signed
        signed: { date: '2025-02-10', investment: '90000000.00' },
        row: { stage: 'landed', light: 'red', overdue: true },
      },
      {
        id: id(4),
        name: `${tag} 4`,
        region: countyB,
        industryChain: '新能源',
        planned: '10000000000.00',
        row: { stage: 'negotiating' },
      },
      { id: id(5), name: `${tag} 5`, region: ELSEWHERE, planned: '999999999.99', row: { stage: 'dropped' } },
      { id: id(6), name: `${tag} 6`, region: countyB, planned: '5000000000.00', row: { stage: 'producing' } },
      { id: id(7), name: `${tag} 7`, region: ELSEWHERE, planned: '4999999999.99', row: { stage: 'started' } },
    ),
  );

  it('by stage', async () => {
    expect(await ids({ q: tag, stage: 'lead' })).toEqual([id(1)]);
    expect(await ids({ q: tag, stage: 'signed,landed' })).toEqual([id(2), id(3)]);
    expect(await ids({ q: tag, stage: ['negotiating', 'dropped'] })).toEqual([id(4), id(5)]);
    expect(await ids({ q: tag, stage: 'producing,started' })).toEqual([id(6), id(7)]);
  });

  it('by region: a county itself, a city or province with the counties under it', async () => {
    expect(await ids({ q: tag, region: countyA })).toEqual([id(1), id(2)]);
    expect(await ids({ q: tag, region: countyB })).toEqual([id(3), id(4), id(6)]);
    expect(await ids({ q: tag, region: city })).toEqual([id(1), id(2), id(3), id(4), id(6)]);
    expect(await ids({ q: tag, region: `${city.slice(0, 2)}0000` })).toEqual([
      id(1),
      id(2),
      id(3),
      id(4),
      id(6),
    ]);
    expect(await ids({ q: tag, region: ELSEWHERE })).toEqual([id(5), id(7)]);
    expect(await ids({ q: tag, region: `${city.slice(0, 4)}03` })).toEqual([]);
  });

  it('by industry chain, light, overdue and signing year', async () => {
    expect(await ids({ q: tag, industryChain: '新能源' })).toEqual([id(2), id(4)]);
    expect(await ids({ q: tag, light: 'yellow,red' })).toEqual([id(2), id(3)]);
    expect(await ids({ q: tag, light: 'green' })).toEqual([id(1), id(4), id(5), id(6), id(7)]);
    expect(await ids({ q: tag, overdue: 'true' })).toEqual([id(2), id(3)]);
    expect(await ids({ q: tag, overdue: 'false' })).toEqual([id(1), id(4), id(5), id(6), id(7)]);
    expect(await ids({ q: tag, signingYear: '2024' })).toEqual([id(2)]);
    expect(await ids({ q: tag, signingYear: '2025' })).toEqual([id(3)]);
    expect(await ids({ q: tag, signingYear: '2023' })).toEqual([]);
  });

  it('by size band of the effective investment, each band at least its amount', async () => {
    expect(await ids({ q: tag, sizeBand: 'below_100m' })).toEqual([id(1), id(3)]);
    expect(await ids({ q: tag, sizeBand: '100m_plus' })).toEqual([id(2), id(4), id(5), id(6), id(7)]);
    expect(await ids({ q: tag, sizeBand: '500m_plus' })).toEqual([id(4), id(5), id(6), id(7)]);
    expect(await ids({ q: tag, sizeBand: '1b_plus' })).toEqual([id(4), id(6), id(7)]);
    expect(await ids({ q: tag, sizeBand: '5b_plus' })).toEqual([id(4), id(6)]);
    expect(await ids({ q: tag, sizeBand: '10b_plus' })).toEqual([id(4)]);
  });

  it('with every filter at once', async () => {
    expect(
      await ids({ q: tag, region: city, stage: 'signed,landed', light: 'red', overdue: 'true' }),
    ).toEqual([id(3)]);
  });

  it('keeps amounts as exact decimal strings and dates as YYYY-MM-DD', async () => {
    const page = await service.list(await parse({ q: tag, stage: 'landed' }), auditor);
    expect(page.items[0]).toMatchObject({
      plannedInvestment: '600000000.00',
      contractInvestment: '90000000.00',
      signedDate: '2025-02-10',
      signingYear: 2025,
    });
  });
});

describe('project list text search', () => {
  const tag = freshTag();
  const city = freshCity();
  const county = `${city.slice(0, 4)}01`;
  const id = (n: number) => projectIdOf(tag, n);

  beforeAll(() =>
    seed(
      { id: id(1), name: '年产100%达产改造项目', region: county },
      { id: id(2), name: '年产100万吨项目', region: county },
      { id: id(3), name: '普通项目', investor: 'ACME_Holdings 有限公司', region: county },
      { id: id(4), name: 'Plain project', investor: 'AcmeXHoldings', region: county },
      { id: id(5), name: 'C:\\新建 项目', region: county },
    ),
  );

  it('matches name or investor as literal text, ignoring case', async () => {
    expect(await ids({ region: city, q: '100%' })).toEqual([id(1)]);
    expect(await ids({ region: city, q: '100' })).toEqual([id(1), id(2)]);
    expect(await ids({ region: city, q: 'acme_' })).toEqual([id(3)]);
    expect(await ids({ region: city, q: 'ACME' })).toEqual([id(3), id(4)]);
    expect(await ids({ region: city, q: 'plain' })).toEqual([id(4)]);
    expect(await ids({ region: city, q: ':\\' })).toEqual([id(5)]);
    expect(await ids({ region: city, q: '%' })).toEqual([id(1)]);
  });

  it('treats a blank search as no search', async () => {
    expect(await ids({ region: city, q: '  ' })).toHaveLength(5);
  });
});

describe('project list sorting and paging', () => {
  const tag = freshTag();
  const city = freshCity();
  const county = `${city.slice(0, 4)}01`;
  const leader: Actor = { id: 'leader-1', role: 'leader', regions: [city] };

  interface Expected {
    id: string;
    name: string;
    updatedAt: string;
    signedDate: string | null;
    /** Effective: the contract's once signed, else the plan's. */
    investment: string;
  }
  // Ties on every key, null signing dates and microseconds apart: each must page exactly once.
  const rows: [n: number, name: string, updatedAt: string, signedDate: string | null, investment: string][] =
    [
      [1, 'b', '2025-03-01T00:00:00.000100Z', null, '150000000.00'],
      [2, 'a', '2025-03-01T00:00:00.000200Z', '2025-02-10', '300000000.00'],
      [3, 'c', '2025-03-01T00:00:00.000100Z', null, '300000000.00'],
      [4, 'a', '2025-03-01T00:00:00.000000Z', '2024-12-31', '150000000.00'],
      [5, 'b', '2025-02-28T23:59:59.999999Z', '2025-02-10', '99.99'],
      [6, 'd', '2025-03-01T00:00:00.000200Z', null, '150000000.00'],
      [7, 'a', '2025-03-02T08:00:00.000000Z', '2025-02-10', '300000000.00'],
      [8, 'e', '2025-03-01T00:00:00.000100Z', null, '100000000000.00'],
      [9, 'c', '2025-03-01T00:00:00.000000Z', '2025-01-01', '150000000.00'],
    ];
  const projects: Expected[] = rows.map(([n, name, updatedAt, signedDate, investment]) => ({
    id: projectIdOf(tag, n),
    name: `${tag} ${name}`,
    updatedAt,
    signedDate,
    investment,
  }));

  beforeAll(() =>
    seed(
      ...projects.map((p) => ({
        id: p.id,
        name: p.name,
        region: county,
        updatedAt: p.updatedAt,
        // A signed project's plan differs from its contract, so sorting by the plan would show.
        planned: p.signedDate ? '500000000.00' : p.investment,
        signed: p.signedDate ? { date: p.signedDate, investment: p.investment } : undefined,
      })),
    ),
  );

  /** Both keys non-null. ISO instants with six decimals compare as text. */
  function compareKeys(key: keyof Expected, a: Expected, b: Expected): number {
    if (key === 'investment') return compareYuan(a.investment, b.investment);
    const [x, y] = [a[key]!, b[key]!];
    return x === y ? 0 : x < y ? -1 : 1;
  }

  /** The key, then the project id, both in the sort's direction; nulls last either way. */
  function expectedOrder(sort: string): string[] {
    const descending = sort.startsWith('-');
    const key = sort.replace('-', '') as keyof Expected;
    const sign = descending ? -1 : 1;
    return [...projects]
      .sort((a, b) => {
        const nullA = a[key] === null;
        const nullB = b[key] === null;
        if (nullA !== nullB) return nullA ? 1 : -1;
        const byKey = nullA ? 0 : compareKeys(key, a, b);
        return sign * (byKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      })
      .map((p) => p.id);
  }

  async function pageThrough(sort: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const params: Record<string, string> = { region: county, sort, limit: String(limit) };
      if (cursor) params.cursor = cursor;
      const page = await service.list(await parse(params), leader);
      pages.push(page.items.map((p) => p.projectId));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  it.each(PROJECT_SORTS.flatMap((sort) => [2, 3].map((limit) => [sort, limit] as const)))(
    'sort=%s, limit=%i: every project exactly once, in order',
    async (sort, limit) => {
      const pages = await pageThrough(sort, limit);
      expect(pages.flat()).toEqual(expectedOrder(sort));
      expect(pages).toHaveLength(Math.ceil(projects.length / limit));
      pages.slice(0, -1).forEach((page) => expect(page).toHaveLength(limit));
    },
  );

  it('sorts by the latest update first when no sort is given', async () => {
    const page = await service.list(await parse({ region: county }), leader);
    expect(page.items.map((p) => p.projectId)).toEqual(expectedOrder('-updatedAt'));
  });

  it('refuses a cursor from another sort, naming the cursor', async () => {
    const first = await service.list(await parse({ region: county, sort: 'name', limit: '2' }), leader);
    expect(first.nextCursor).not.toBeNull();
    const others: Record<string, string>[] = [{ sort: '-name' }, { sort: 'signedDate' }, {}];
    for (const other of others) {
      const query = await parse({ region: county, ...other, cursor: first.nextCursor! });
      const problem = await problemOf(() => service.list(query, leader));
      expect(problem).toMatchObject({ status: 400, errors: [{ field: 'cursor', rule: 'sameSort' }] });
    }
  });

  it('refuses a cursor it did not issue', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged: [string, string][] = [
      ['name', 'bm90LWpzb24'], // "not-json"
      ['name', encode({ sort: 'name' })],
      ['name', encode(['name', null, 'x'])], // names are never null
      ['-updatedAt', encode(['-updatedAt', '2025-02-30T00:00:00.000000Z', 'x'])],
      ['investment', encode(['investment', 'lots', 'x'])],
    ];
    for (const [sort, cursor] of forged) {
      const query = await parse({ region: county, sort, cursor });
      const problem = await problemOf(() => service.list(query, leader));
      expect(problem).toMatchObject({ status: 400, errors: [{ field: 'cursor', rule: 'isCursor' }] });
    }
  });
});

describe('project list access scope', () => {
  const tag = freshTag();
  const city = freshCity();
  const countyA = `${city.slice(0, 4)}01`;
  const countyB = `${city.slice(0, 4)}02`;
  const chiefId = `chief-${tag}`;
  const id = (n: number) => projectIdOf(tag, n);

  beforeAll(() =>
    seed(
      { id: id(1), name: `${tag} 1`, region: countyA },
      { id: id(2), name: `${tag} 2`, region: countyB },
      { id: id(3), name: `${tag} 3`, region: ELSEWHERE, chief: chiefId },
      { id: id(4), name: `${tag} 4`, region: ELSEWHERE },
    ),
  );

  const as = (role: Actor['role'], regions: string[], actorId = 'someone') => ({
    id: actorId,
    role,
    regions,
  });

  it('an officer reads their own county, not the next one', async () => {
    expect(await ids({ q: tag }, as('officer', [countyA]))).toEqual([id(1)]);
    expect(await ids({ q: tag }, as('officer', [countyB]))).toEqual([id(2)]);
    expect(await ids({ q: tag }, as('officer', [countyA, ELSEWHERE]))).toEqual([id(1), id(3), id(4)]);
  });

  it('a city or province code covers the counties under it', async () => {
    expect(await ids({ q: tag }, as('leader', [city]))).toEqual([id(1), id(2)]);
    expect(await ids({ q: tag }, as('officer', [`${city.slice(0, 2)}0000`]))).toEqual([id(1), id(2)]);
  });

  it('a chief officer also reads the projects assigned to them anywhere', async () => {
    expect(await ids({ q: tag }, as('chief_officer', [countyA], chiefId))).toEqual([id(1), id(3)]);
    expect(await ids({ q: tag }, as('chief_officer', [], chiefId))).toEqual([id(3)]);
    // Only as chief officer: an officer with the same id reads their region alone.
    expect(await ids({ q: tag }, as('officer', [countyA], chiefId))).toEqual([id(1)]);
  });

  it('auditors and admins read everything; no region reads nothing', async () => {
    const all = [id(1), id(2), id(3), id(4)];
    expect(await ids({ q: tag }, as('auditor', []))).toEqual(all);
    expect(await ids({ q: tag }, as('admin', []))).toEqual(all);
    expect(await ids({ q: tag }, as('officer', []))).toEqual([]);
    expect(await ids({ q: tag }, as('leader', []))).toEqual([]);
  });

  it('filters only within the scope', async () => {
    expect(await ids({ q: tag, region: ELSEWHERE }, as('officer', [countyA]))).toEqual([]);
    expect(await ids({ q: tag, region: city }, as('officer', [countyA]))).toEqual([id(1)]);
  });
});
