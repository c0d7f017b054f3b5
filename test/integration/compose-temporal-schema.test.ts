/**
 * The temporal-schema job of docker-compose.yml (deploy/temporal-schema.sh) run with the pinned
 * server's temporal-sql-tool and schema against a real PostgreSQL, as a login that owns nothing but
 * may create databases (what deploy/postgres-init.sh makes): it creates both databases, brings each to
 * the newest schema version shipped, runs again as a no-op, and fails when it cannot connect.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { repoRoot, temporalPostgresSchemaDir, temporalSqlToolPath } from '../../libs/local-stack/src/tools';
import { deploymentSecrets, loadCompose } from '../support/compose-model';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function run(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['deploy/temporal-schema.sh'], {
      cwd: repoRoot(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const id = randomUUID().slice(0, 8);
const login = { user: `temporal_${id}`, password: randomUUID() };
const databases = { temporal: `temporal_${id}`, visibility: `temporal_visibility_${id}` };
let bin: string;
let jobEnv: Record<string, string>;

const superuser = () => new URL(process.env.TEST_DATABASE_URL!);
async function query<T>(database: string, sql: string): Promise<T[]> {
  const url = superuser();
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
/** The newest version under a schema's versioned/ (v1.9 before v1.10). */
function newest(schema: 'temporal' | 'visibility'): string {
  return readdirSync(join(temporalPostgresSchemaDir(), schema, 'versioned'))
    .map((d) => d.replace(/^v/, ''))
    .sort((a, b) => {
      const [a1, a2] = a.split('.').map(Number);
      const [b1, b2] = b.split('.').map(Number);
      return a1 - b1 || a2 - b2;
    })
    .at(-1)!;
}
const job = (env: Record<string, string> = {}) =>
  run({ ...jobEnv, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? tmpdir(), ...env });

beforeAll(async () => {
  bin = mkdtempSync(join(tmpdir(), 'compose-schema-bin-'));
  symlinkSync(temporalSqlToolPath(), join(bin, 'temporal-sql-tool'));
  await query('postgres', `CREATE ROLE ${login.user} LOGIN CREATEDB PASSWORD '${login.password}'`);
  const loaded = loadCompose(deploymentSecrets());
  if (!loaded.model) throw new Error(`docker-compose.yml did not load:\n${loaded.stderr}`);
  const env = loaded.model.services['temporal-schema']?.environment ?? {};
  jobEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== null));
  // This server, its own login and databases, and the schema the pinned server ships (the image's path otherwise).
  Object.assign(jobEnv, {
    SQL_HOST: superuser().hostname,
    SQL_PORT: superuser().port,
    SQL_USER: login.user,
    SQL_PASSWORD: login.password,
    DBNAME: databases.temporal,
    VISIBILITY_DBNAME: databases.visibility,
    TEMPORAL_SCHEMA_DIR: temporalPostgresSchemaDir(),
  });
});

afterAll(async () => {
  for (const db of Object.values(databases))
    await query('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await query('postgres', `DROP ROLE IF EXISTS ${login.user}`);
  rmSync(bin, { recursive: true, force: true });
});

describe('the temporal-schema job of docker-compose.yml', () => {
  it('creates both databases at the newest schema version, owned by its login, and runs again as a no-op', async () => {
    const first = await job();
    expect({ code: first.code, tail: first.code === 0 ? '' : first.stderr.slice(-2000) }).toEqual({
      code: 0,
      tail: '',
    });
    const state = async () => ({
      temporal: await query<{ curr_version: string }>(
        databases.temporal,
        'SELECT curr_version FROM schema_version',
      ),
      visibility: await query<{ curr_version: string }>(
        databases.visibility,
        'SELECT curr_version FROM schema_version',
      ),
      owners: await query<{ datname: string; owner: string }>(
        'postgres',
        `SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database
          WHERE datname IN ('${databases.temporal}', '${databases.visibility}') ORDER BY datname`,
      ),
    });
    const expected = {
      temporal: [{ curr_version: newest('temporal') }],
      visibility: [{ curr_version: newest('visibility') }],
      owners: [
        { datname: databases.temporal, owner: login.user },
        { datname: databases.visibility, owner: login.user },
      ],
    };
    expect(await state()).toEqual(expected);
    const tables = await query<{ n: string }>(
      databases.temporal,
      "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('executions', 'history_node', 'shards')",
    );
    expect(tables).toEqual([{ n: '3' }]);

    const again = await job();
    expect(again.code).toBe(0);
    expect(await state()).toEqual(expected);
  });

  it('fails when it cannot log in, and names a schema directory the image lacks', async () => {
    const refused = await job({ SQL_PASSWORD: 'not-the-password' });
    expect(refused.code).not.toBe(0);
    expect(`${refused.stdout}${refused.stderr}`).toMatch(/password authentication failed/);

    const missing = await job({ TEMPORAL_SCHEMA_DIR: join(tmpdir(), `no-schema-${id}`) });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `no schema directory ${join(tmpdir(), `no-schema-${id}`)}/temporal/versioned`,
    );
  });
});
