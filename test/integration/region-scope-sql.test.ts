import fc from 'fast-check';
import { Client } from 'pg';
import {
  positionalParameters,
  readableProjectsSql,
  regionsScope,
  scopeCovers,
  scopeSql,
  mayRead,
  type Actor,
} from '../../libs/domain/src';

// Codes that meet at every level: two provinces, two cities each, counties under them.
const province = fc.constantFrom('42', '44');
const city = fc.constantFrom('05', '06');
const county = fc.constantFrom('00', '02', '06', '25');
const code = fc.tuple(province, city, county).map(([p, c, k]) => `${p}${c}${k}`);
const anyCode = fc.oneof(
  code,
  fc.tuple(province).map(([p]) => `${p}0000`),
);

let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
});
afterAll(() => client?.end());

describe('the region scope in SQL', () => {
  it('selects exactly the regions scopeCovers says, over generated scopes and char(6) columns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyCode, { maxLength: 4 }),
        fc.uniqueArray(anyCode, { minLength: 1 }),
        async (codes, regions) => {
          const scope = regionsScope(codes);
          const params: unknown[] = [regions];
          const sql = scopeSql(scope, 'r', positionalParameters(params));
          const { rows } = await client.query<{ r: string }>(
            `SELECT r FROM unnest($1::char(6)[]) AS r WHERE ${sql} ORDER BY r`,
            params,
          );
          expect(rows.map((row) => row.r)).toEqual(regions.filter((r) => scopeCovers(scope, r)).sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('selects exactly the projects mayRead lets each role read', async () => {
    const role = fc.constantFrom('officer', 'chief_officer', 'leader', 'auditor', 'admin') as fc.Arbitrary<
      Actor['role']
    >;
    const project = fc.record({ region: anyCode, chief: fc.constantFrom('c1', 'c2', null) });
    await fc.assert(
      fc.asyncProperty(
        role,
        fc.array(anyCode, { maxLength: 3 }),
        fc.array(project, { minLength: 1, maxLength: 8 }),
        async (r, codes, projects) => {
          const actor: Actor = { id: 'c1', role: r, regions: codes };
          const params: unknown[] = [projects.map((p) => p.region), projects.map((p) => p.chief)];
          const sql = readableProjectsSql(
            actor,
            { region: 'region', chiefServiceOfficerId: 'chief' },
            positionalParameters(params),
          );
          const { rows } = await client.query<{ n: number }>(
            `SELECT n::int FROM unnest($1::char(6)[], $2::text[]) WITH ORDINALITY AS t(region, chief, n)
           WHERE ${sql} ORDER BY n`,
            params,
          );
          const expected = projects
            .map((p, i) => (mayRead(actor, { region: p.region, chiefServiceOfficerId: p.chief }) ? i + 1 : 0))
            .filter((n) => n > 0);
          expect(rows.map((row) => row.n)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
