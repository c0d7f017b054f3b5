import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, toolCacheDir } from '../../libs/local-stack/src/tools';

/** The parts of compose-go's normalised model (`docker compose config --format json`) the tests read. */
export interface ComposeService {
  image?: string;
  build?: { context: string };
  command?: string[] | null;
  entrypoint?: string[] | null;
  environment?: Record<string, string | null>;
  ports?: { target: number; published?: string; host_ip?: string; protocol?: string }[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
  volumes?: { type: string; source: string; target: string; read_only?: boolean }[];
}
export interface ComposeModel {
  name: string;
  services: Record<string, ComposeService>;
}

/** Where scripts/install-compose-check.sh builds the checker: named by the hash of its sources. */
export function composeCheckPath(): string {
  if (process.env.COMPOSE_CHECK_PATH) return process.env.COMPOSE_CHECK_PATH;
  const src = join(repoRoot(), 'tools', 'compose-check');
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(src, file)));
  return join(toolCacheDir(), `compose-check-${hash.digest('hex').slice(0, 16)}`, 'compose-check');
}

/** Every secret docker-compose.yml requires, with values a deployment could use. */
export function deploymentSecrets(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    POSTGRES_PASSWORD: 'b2c3d4e5f6a7b8c9d0e1f2a3',
    LIFECYCLE_DB_PASSWORD: 'c3d4e5f6a7b8c9d0e1f2a3b4',
    LIFECYCLE_APP_DB_PASSWORD: 'd4e5f6a7b8c9d0e1f2a3b4c5',
    TEMPORAL_DB_PASSWORD: 'e5f6a7b8c9d0e1f2a3b4c5d6',
    JWT_SECRET: 'a-deployment-secret-of-some-length',
    // As an operator sets it in one variable: newlines written as \n.
    AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n'),
  };
}

export interface ComposeLoad {
  status: number | null;
  stdout: string;
  stderr: string;
  model?: ComposeModel;
}

/**
 * Loads docker-compose.yml with compose-go under exactly `env` (no .env file, nothing inherited but
 * PATH and HOME), as `docker compose config` would with that environment.
 */
export function loadCompose(env: Record<string, string>): ComposeLoad {
  const checker = composeCheckPath();
  if (!existsSync(checker))
    throw new Error(
      `the compose checker is not built (${checker}): run scripts/install-compose-check.sh ` +
        '(scripts/install-tools.sh runs it)',
    );
  const result = spawnSync(checker, ['-f', 'docker-compose.yml'], {
    cwd: repoRoot(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      COMPOSE_DISABLE_ENV_FILE: 'true',
      ...env,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    model: result.status === 0 ? (JSON.parse(result.stdout) as ComposeModel) : undefined,
  };
}

/** The deploy/ file a service mounts at `target`, as text. */
export function mountedFile(service: ComposeService, target: string): string {
  const mount = service.volumes?.find((v) => v.type === 'bind' && v.target === target);
  if (!mount) throw new Error(`nothing is mounted at ${target}`);
  return readFileSync(mount.source, 'utf8');
}

/** SEARCH_ATTRIBUTES of the temporal-setup job ("Name=Type ..."), as a record. */
export function composeSearchAttributes(model: ComposeModel): Record<string, string> {
  const raw = model.services['temporal-setup']?.environment?.SEARCH_ATTRIBUTES ?? '';
  return Object.fromEntries(
    raw
      .split(/\s+/)
      .filter((pair) => pair !== '')
      .map((pair) => pair.split('=') as [string, string]),
  );
}
