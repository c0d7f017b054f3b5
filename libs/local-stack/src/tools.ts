import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, whether running from sources or from dist/. */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    try {
      readFileSync(join(dir, 'tools', 'versions.env'));
      return dir;
    } catch {
      dir = resolve(dir, '..');
    }
  }
  throw new Error(`Cannot find tools/versions.env above ${__dirname}`);
}

export function pinnedVersions(): {
  temporalCli: string;
  temporalTestServer: string;
  temporalServer: string;
  temporalUiServer: string;
} {
  const text = readFileSync(join(repoRoot(), 'tools', 'versions.env'), 'utf8');
  const get = (key: string): string => {
    const m = new RegExp(`^${key}=(.+)$`, 'm').exec(text);
    if (!m) throw new Error(`tools/versions.env has no ${key}`);
    return m[1].trim();
  };
  return {
    temporalCli: get('TEMPORAL_CLI_VERSION'),
    temporalTestServer: get('TEMPORAL_TEST_SERVER_VERSION'),
    temporalServer: get('TEMPORAL_SERVER_VERSION'),
    temporalUiServer: get('TEMPORAL_UI_SERVER_VERSION'),
  };
}

/** User-level cache shared by every clone on the machine (same layout as scripts/install-tools.sh). */
export function toolCacheDir(): string {
  const base =
    process.env.LIFECYCLE_TOOL_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'investment-lifecycle-engine');
  return base;
}

export function temporalCliPath(): string {
  return (
    process.env.TEMPORAL_CLI_PATH ??
    join(toolCacheDir(), `temporal-cli-${pinnedVersions().temporalCli}`, 'temporal')
  );
}

/** Wrapper script: `<path> <port> [--enable-time-skipping]`, as @temporalio/testing calls it. */
export function temporalTestServerPath(): string {
  return (
    process.env.TEMPORAL_TEST_SERVER_PATH ??
    join(
      toolCacheDir(),
      `temporal-test-server-${pinnedVersions().temporalTestServer}`,
      'bin',
      'temporal-test-server',
    )
  );
}

/** Where scripts/install-tools.sh puts temporal-server, temporal-sql-tool and the server's schema/. */
export function temporalServerDir(): string {
  return (
    process.env.TEMPORAL_SERVER_DIR ??
    join(toolCacheDir(), `temporal-server-${pinnedVersions().temporalServer}`)
  );
}

export function temporalServerPath(): string {
  return join(temporalServerDir(), 'temporal-server');
}

export function temporalSqlToolPath(): string {
  return join(temporalServerDir(), 'temporal-sql-tool');
}

/** The server's PostgreSQL schema (its `temporal/` and `visibility/` each with `versioned/`). */
export function temporalPostgresSchemaDir(): string {
  return join(temporalServerDir(), 'schema', 'postgresql', 'v12');
}

export function temporalUiServerPath(): string {
  return (
    process.env.TEMPORAL_UI_SERVER_PATH ??
    join(toolCacheDir(), `temporal-ui-server-${pinnedVersions().temporalUiServer}`, 'temporal-ui-server')
  );
}
