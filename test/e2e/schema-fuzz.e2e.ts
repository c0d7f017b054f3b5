import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSystem, type TestSystem } from '../support/system';

/**
 * A bounded property-based run of the API's own OpenAPI document (Schemathesis, pinned in
 * tools/versions.env): every operation with generated valid and invalid inputs, as an officer and as
 * an admin, must answer without a server error and with what the document says it answers.
 */
const root = resolve(__dirname, '..', '..');
const versions = readFileSync(join(root, 'tools', 'versions.env'), 'utf8');
const version = /^SCHEMATHESIS_VERSION=(\S+)$/m.exec(versions)![1];
const cache =
  process.env.LIFECYCLE_TOOL_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'investment-lifecycle-engine');
const st = join(cache, `schemathesis-${version}`, 'bin', 'st');
// Everything the run writes (reports, Hypothesis' files) stays under .data/.
const workDir = join(root, '.data', 'schema-fuzz');
// The whole step's budget on a 2-core machine; Schemathesis is stopped past it.
const HARD_LIMIT_MS = 150_000;

interface Run {
  code: number | null;
  output: string;
  timedOut: boolean;
}

function runSchemathesis(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolveRun) => {
    const child = spawn(st, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, HARD_LIMIT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output, timedOut });
    });
  });
}

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
}, 120_000);
afterAll(() => system?.stop());

describe('the OpenAPI document under Schemathesis', () => {
  it('answers every generated request without a 5xx and as the document says', async () => {
    expect(existsSync(st)).toBe(true);
    const document = await (await fetch(`${system.url}/openapi.json`)).text();
    writeFileSync(join(workDir, 'openapi.json'), document);
    const seed = process.env.SCHEMA_FUZZ_SEED ?? '20250301';
    const run = await runSchemathesis(
      [
        'run',
        `${system.url}/openapi.json`,
        '--checks',
        'not_a_server_error,response_schema_conformance',
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        process.env.SCHEMA_FUZZ_MAX_EXAMPLES ?? '5',
        '--seed',
        seed,
        // One worker: Python 3.11's ast.parse is not thread-safe, and Hypothesis parses lambdas
        // while it draws ("AST constructor recursion depth mismatch" with two).
        '--workers',
        '1',
        '--request-timeout',
        '15',
        '--generation-database',
        'none',
        '--no-color',
        '--report',
        'ndjson',
        '--report-dir',
        workDir,
      ],
      {
        ...process.env,
        SCHEMATHESIS_HOOKS: join(__dirname, 'schema-fuzz-hooks.py'),
        FUZZ_OFFICER_TOKEN: system.token({ role: 'officer', regions: ['420500'], sub: 'officer-fuzz' }),
        FUZZ_ADMIN_TOKEN: system.token({ role: 'admin', regions: [], sub: 'admin-fuzz' }),
      },
    );
    // Kept in a file, not printed: its closing line ("=== 4 warnings in 63.80s ===") reads like a
    // test runner's total with nothing run, and the run's own totals must be the only ones.
    writeFileSync(join(workDir, `output-${seed}.txt`), run.output);
    if (run.code !== 0 || run.timedOut)
      process.stdout.write(
        `schemathesis (seed ${seed}):\n${run.output.replace(/^=+ (.*) =+$/gm, '-- $1 --')}\n`,
      );
    expect(run.timedOut).toBe(false);
    // The closing line, e.g. "=== No issues found in 95.01s ===" or "=== 3 failures, 1 error in …".
    const summary = run.output.trim().split('\n').pop() ?? '';
    expect(summary).not.toMatch(/\d+ (failures?|errors?)\b/);
    expect(run.output).toMatch(/Tested: \d+/);
    expect(run.code).toBe(0);
  }, 200_000);
});
