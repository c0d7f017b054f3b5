/**
 * The temporal-setup job of docker-compose.yml (deploy/temporal-namespace.sh) run against a real
 * Temporal server, with the environment compose-go gives the job: it registers the namespace, exits
 * 0 only once every attribute of PROJECT_SEARCH_ATTRIBUTES is listed with its type, runs again as a
 * no-op, and fails (non-zero, with the server's message) when it cannot succeed.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../libs/local-stack/src/ports';
import { PROJECT_SEARCH_ATTRIBUTES } from '../../libs/local-stack/src/temporal';
import { repoRoot, temporalCliPath } from '../../libs/local-stack/src/tools';
import { deploymentSecrets, loadCompose } from '../support/compose-model';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let bin: string;
let jobEnv: Record<string, string>;
const namespace = `compose-setup-${randomUUID().slice(0, 8)}`;
const address = () => process.env.TEST_TEMPORAL_ADDRESS!;

/** The CLI reads its client config from the user's config dir: the image's user has a HOME too. */
const toolEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() });

/** The job's script as its entrypoint runs it, with the `temporal` the admin-tools image has on PATH. */
const setupJob = (env: Record<string, string>) =>
  run('sh', ['deploy/temporal-namespace.sh'], {
    ...jobEnv,
    ...toolEnv(),
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    ...env,
  });
const temporal = (...args: string[]) => run(temporalCliPath(), [...args, '--address', address()], toolEnv());

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'compose-setup-bin-'));
  symlinkSync(temporalCliPath(), join(bin, 'temporal'));
  const loaded = loadCompose(deploymentSecrets());
  if (!loaded.model) throw new Error(`docker-compose.yml did not load:\n${loaded.stderr}`);
  const env = loaded.model.services['temporal-setup']?.environment ?? {};
  jobEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== null));
  // This server, and a namespace no other test uses.
  Object.assign(jobEnv, {
    TEMPORAL_ADDRESS: address(),
    TEMPORAL_NAMESPACE: namespace,
    SETUP_TIMEOUT_SECONDS: '90',
  });
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('the temporal-setup job of docker-compose.yml', () => {
  it('registers the namespace and every project search attribute, then runs again as a no-op', async () => {
    const first = await setupJob({});
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`registering namespace ${namespace} (retention 720h)`);

    const described = await temporal(
      'operator',
      'namespace',
      'describe',
      '--namespace',
      namespace,
      '-o',
      'json',
    );
    expect(described.code).toBe(0);
    // 720h, as the API returns a duration.
    expect(JSON.parse(described.stdout)).toMatchObject({
      config: { workflowExecutionRetentionTtl: '2592000s' },
    });

    const listed = await temporal(
      'operator',
      'search-attribute',
      'list',
      '--namespace',
      namespace,
      '-o',
      'json',
    );
    expect(listed.code).toBe(0);
    const custom = (JSON.parse(listed.stdout) as { customAttributes: Record<string, string> })
      .customAttributes;
    const types = Object.fromEntries(
      Object.keys(PROJECT_SEARCH_ATTRIBUTES).map((name) => [
        name,
        // The API's enum name (INDEXED_VALUE_TYPE_KEYWORD) or the short one, as the CLI prints it.
        String(custom[name] ?? '')
          .replace(/^INDEXED_VALUE_TYPE_/, '')
          .toLowerCase(),
      ]),
    );
    expect(types).toEqual(
      Object.fromEntries(Object.entries(PROJECT_SEARCH_ATTRIBUTES).map(([n, t]) => [n, t.toLowerCase()])),
    );

    const again = await setupJob({});
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`namespace ${namespace} is registered`);
    for (const name of Object.keys(PROJECT_SEARCH_ATTRIBUTES))
      expect(again.stdout).toContain(
        `search attribute ${name} (${PROJECT_SEARCH_ATTRIBUTES[name]}) is listed`,
      );
  });

  it('fails with the server’s reason when an attribute exists with another type', async () => {
    // The namespace the first test set up, where ProjectStage is a Keyword.
    const conflict = await setupJob({ SEARCH_ATTRIBUTES: 'ProjectStage=Int' });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      `failed waiting for search attribute ProjectStage (Int) in namespace ${namespace}`,
    );
    expect(conflict.stderr).toMatch(/ProjectStage already exists and has different type Keyword/);
  });

  it('fails, naming what it waited for, when no server answers', async () => {
    const port = await freePort();
    const unreachable = await setupJob({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, SETUP_TIMEOUT_SECONDS: '3' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`failed waiting for the frontend at 127.0.0.1:${port}`);
    expect(unreachable.stdout).not.toContain('registering namespace');
  });
});
