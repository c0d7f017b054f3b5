/**
 * docker-compose.yml as Docker Compose v2 would load it (compose-go, built by
 * scripts/install-compose-check.sh): no Docker engine is here, so what can go wrong before a
 * container starts is checked on the loaded model, against the app's own configuration rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, Environment, loadEnvironment } from '../../libs/config/src';
import { PROJECT_SEARCH_ATTRIBUTES } from '../../libs/local-stack/src/temporal';
import { repoRoot } from '../../libs/local-stack/src/tools';
import {
  composeSearchAttributes,
  deploymentSecrets,
  loadCompose,
  mountedFile,
  type ComposeModel,
  type ComposeService,
} from '../support/compose-model';

const APP_SERVICES = ['migrate', 'worker', 'api'];
const TEMPORAL_SERVICES = ['temporal-history', 'temporal-matching', 'temporal-frontend', 'temporal-worker'];

let model: ComposeModel;
const service = (name: string): ComposeService => {
  const found = model.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
/** Everything a service runs: its command, entrypoint, healthcheck and the deploy/ scripts it mounts. */
const whatRuns = (s: ComposeService): string =>
  [
    ...(s.command ?? []),
    ...(s.entrypoint ?? []),
    ...(s.healthcheck?.test ?? []),
    ...(s.volumes ?? [])
      .filter((v) => v.type === 'bind' && v.source.endsWith('.sh'))
      .map((v) => readFileSync(v.source, 'utf8')),
  ].join('\n');

beforeAll(() => {
  const loaded = loadCompose(deploymentSecrets());
  if (!loaded.model) throw new Error(`docker-compose.yml did not load:\n${loaded.stderr}`);
  model = loaded.model;
});

describe('docker-compose.yml', () => {
  it('loads with every secret set, and names each one missing without loading', () => {
    expect(Object.keys(model.services).sort()).toEqual(
      [
        'postgres',
        'temporal-schema',
        ...TEMPORAL_SERVICES,
        'temporal-setup',
        'temporal-ui',
        'migrate',
        'worker',
        'api',
        'proxy',
      ].sort(),
    );
    for (const name of Object.keys(deploymentSecrets())) {
      const secrets: Record<string, string> = deploymentSecrets();
      delete secrets[name];
      const loaded = loadCompose(secrets);
      expect({ name, status: loaded.status, model: loaded.model }).toEqual({
        name,
        status: 1,
        model: undefined,
      });
      expect(loaded.stderr).toContain(`required variable ${name} is missing a value: set ${name}`);
      // Only the missing one is named.
      for (const other of Object.keys(secrets)) expect(loaded.stderr).not.toContain(`variable ${other} `);
    }
  });

  it('sets every variable the app requires in production on the migrations, the worker and the API', () => {
    // What libs/config refuses to default with NODE_ENV=production (the secrets)...
    let refused: string[] = [];
    try {
      loadEnvironment({ NODE_ENV: 'production' });
    } catch (e) {
      if (!(e instanceof ConfigurationError)) throw e;
      refused = e.problems.map((p) => /^[A-Z_]+/.exec(p)?.[0] ?? p);
    }
    expect(refused).toEqual(expect.arrayContaining(['JWT_SECRET', 'AUDIT_SIGNING_KEY']));
    // ...and what defaults to this machine's loopback, which in a container is the container itself.
    const defaults = new Environment() as unknown as Record<string, unknown>;
    const loopback = Object.keys(defaults).filter((k) => String(defaults[k]).includes('127.0.0.1'));
    expect(loopback).toEqual(expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'API_HOST']));

    for (const name of APP_SERVICES) {
      const env = service(name).environment ?? {};
      const set = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== null));
      expect({ name, unknown: Object.keys(set).filter((k) => !(k in defaults)) }).toEqual({
        name,
        unknown: [],
      });
      expect({ name, NODE_ENV: set.NODE_ENV }).toEqual({ name, NODE_ENV: 'production' });
      for (const key of [...refused, ...loopback]) {
        expect({ name, key, set: Boolean(set[key]) }).toEqual({ name, key, set: true });
        expect(set[key]).not.toContain('127.0.0.1');
      }
      // The app's own validation, as the process would run it at start-up: nothing refused.
      const loaded = loadEnvironment(set);
      expect(loaded.NODE_ENV).toBe('production');
      expect(loaded.AUDIT_SIGNING_KEY.split('\n')[0]).toBe('-----BEGIN PRIVATE KEY-----');
      // The API and the worker work as the app role's login, never as the owner.
      expect(new URL(loaded.DATABASE_APP_URL ?? '').username).not.toBe(new URL(loaded.DATABASE_URL).username);
    }
  });

  it('runs Temporal 1.29.1 from the server and admin-tools images, never auto-setup or tctl', () => {
    for (const name of TEMPORAL_SERVICES) expect(service(name).image).toBe('temporalio/server:1.29.1');
    expect(service('temporal-schema').image).toBe('temporalio/admin-tools:1.29.1');
    expect(service('temporal-setup').image).toBe('temporalio/admin-tools:1.29.1');
    expect(service('temporal-ui').image).toBe('temporalio/ui:2.42.1');
    expect(TEMPORAL_SERVICES.map((n) => service(n).environment?.SERVICES)).toEqual([
      'history',
      'matching',
      'frontend',
      'worker',
    ]);
    for (const [name, s] of Object.entries(model.services)) {
      // Every image pinned to a version.
      if (s.image)
        expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/:\d[\w.-]*$/) });
      expect({ name, autoSetup: `${s.image ?? ''} ${whatRuns(s)}`.includes('auto-setup') }).toEqual({
        name,
        autoSetup: false,
      });
      expect({ name, tctl: /\btctl\b/.test(whatRuns(s)) }).toEqual({ name, tctl: false });
    }
    expect(service('temporal-frontend').healthcheck?.test?.join(' ')).toBe(
      'CMD temporal operator cluster health --address 127.0.0.1:7233',
    );
    // The server reads its dynamic config from deploy/.
    for (const name of TEMPORAL_SERVICES) {
      const s = service(name);
      const path = s.environment?.DYNAMIC_CONFIG_FILE_PATH ?? '';
      expect(mountedFile(s, path)).toBe(
        readFileSync(join(repoRoot(), 'deploy', 'temporal-dynamic-config.yaml'), 'utf8'),
      );
    }
  });

  it('creates and migrates the schema with temporal-sql-tool before any Temporal service starts', () => {
    const schema = service('temporal-schema');
    const script = mountedFile(schema, schema.entrypoint?.[1] ?? '');
    expect(schema.entrypoint?.[0]).toBe('sh');
    expect(script).toMatch(/^set -eu$/m);
    expect(script).toContain('temporal-sql-tool --plugin postgres12');
    for (const step of ['create-database', 'setup-schema -v 0.0', 'update-schema -d "$dir"'])
      expect(script).toContain(step);
    expect(script).toContain('"$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"');
    // The databases the server is configured with.
    for (const key of ['DBNAME', 'VISIBILITY_DBNAME'])
      expect(schema.environment?.[key]).toBe(service('temporal-frontend').environment?.[key]);
    expect(schema.environment?.TEMPORAL_SCHEMA_DIR).toBe('/etc/temporal/schema/postgresql/v12');
    for (const name of ['temporal-history', 'temporal-matching', 'temporal-frontend'])
      expect(service(name).depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
  });

  it('keeps Temporal in databases and under a login of its own', () => {
    const app = new URL(service('api').environment?.DATABASE_URL ?? '');
    const appLogin = new URL(service('api').environment?.DATABASE_APP_URL ?? '');
    const appDatabase = app.pathname.slice(1);
    for (const name of TEMPORAL_SERVICES) {
      const env = service(name).environment ?? {};
      expect([env.DB, env.DBNAME, env.VISIBILITY_DBNAME, env.POSTGRES_SEEDS]).toEqual([
        'postgres12',
        'temporal',
        'temporal_visibility',
        'postgres',
      ]);
      expect([env.DBNAME, env.VISIBILITY_DBNAME]).not.toContain(appDatabase);
      expect([app.username, appLogin.username]).not.toContain(env.POSTGRES_USER);
      expect(env.POSTGRES_PWD).toBe(deploymentSecrets().TEMPORAL_DB_PASSWORD);
    }
    expect(service('temporal-schema').environment?.SQL_USER).toBe(
      service('temporal-frontend').environment?.POSTGRES_USER,
    );
    // Ready only once the init script is done: the image's server during init has no TCP listener.
    expect(service('postgres').healthcheck?.test).toEqual(
      expect.arrayContaining(['pg_isready', '-h', '127.0.0.1']),
    );
    // The databases and their owners, made when the volume is initialised.
    const init = mountedFile(service('postgres'), '/docker-entrypoint-initdb.d/10-databases.sh');
    expect(init).toContain(`CREATE DATABASE ${appDatabase} OWNER ${app.username};`);
    expect(init).toContain('CREATE DATABASE temporal OWNER temporal;');
    expect(init).toContain('CREATE DATABASE temporal_visibility OWNER temporal;');
    expect(init).toContain('REVOKE ALL ON DATABASE temporal, temporal_visibility FROM PUBLIC;');
  });

  it('registers the search attributes of PROJECT_SEARCH_ATTRIBUTES, waiting for the namespace and failing loudly', () => {
    expect(composeSearchAttributes(model)).toEqual(PROJECT_SEARCH_ATTRIBUTES);
    const setup = service('temporal-setup');
    expect(setup.depends_on?.['temporal-frontend']?.condition).toBe('service_healthy');
    expect(setup.environment?.TEMPORAL_NAMESPACE).toBe(service('api').environment?.TEMPORAL_NAMESPACE);
    const script = mountedFile(setup, setup.entrypoint?.[1] ?? '');
    expect(script).toMatch(/^set -eu$/m);
    expect(whatRuns(setup)).not.toMatch(/\|\|\s*true|\|\|\s*:|; *true\b/);
    // It waits (retry: until … sleep) for the frontend, the namespace and each attribute.
    expect(script).toMatch(/until "\$@"[^\n]*\n[\s\S]*?sleep \d/);
    expect(script).toContain('retry "the frontend at $TEMPORAL_ADDRESS" temporal operator cluster health');
    expect(script).toContain('retry "namespace $ns to be described"');
    expect(script).toContain('retry "search attribute $name ($type) in namespace $ns" ensure_attribute');
    // The worker and the API start only once it has succeeded.
    for (const name of ['worker', 'api'])
      expect(service(name).depends_on?.['temporal-setup']?.condition).toBe('service_completed_successfully');
  });

  it('runs two API replicas without host ports behind one published port, and two workers', () => {
    const published = Object.entries(model.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, target: p.target, published: p.published, hostIp: p.host_ip })),
    );
    // The proxy on every interface; the Web UI only on the host's loopback.
    expect(published).toEqual([
      { name: 'proxy', target: 8080, published: '3000', hostIp: undefined },
      { name: 'temporal-ui', target: 8080, published: '8233', hostIp: '127.0.0.1' },
    ]);
    expect(service('api').deploy?.replicas).toBe(2);
    expect(service('worker').deploy?.replicas).toBe(2);
    const nginx = mountedFile(service('proxy'), '/etc/nginx/nginx.conf');
    expect(nginx).toMatch(/upstream api \{[^}]*server api:3000 resolve/);
    expect(nginx).toContain('listen 8080;');
    expect(nginx).toContain('proxy_pass http://api;');
    expect(service('api').healthcheck?.test?.join(' ')).toContain('http://127.0.0.1:3000/health/ready');
    expect(service('proxy').depends_on?.api?.condition).toBe('service_healthy');
    expect(service('proxy').healthcheck?.test?.join(' ')).toContain('http://127.0.0.1:8080/health/ready');
  });

  it('mounts only files that exist in the repository, read-only', () => {
    const mounts = Object.values(model.services).flatMap((s) =>
      (s.volumes ?? []).filter((v) => v.type === 'bind'),
    );
    expect(mounts.length).toBeGreaterThanOrEqual(8);
    for (const m of mounts) {
      // A bind source that is missing is created by Docker as an empty directory.
      expect({ source: m.source, text: readFileSync(m.source, 'utf8').length > 0, ro: m.read_only }).toEqual({
        source: m.source,
        text: true,
        ro: true,
      });
      expect(m.source.startsWith(join(repoRoot(), 'deploy') + '/')).toBe(true);
    }
  });
});
