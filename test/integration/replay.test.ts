import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Histories recorded from the running system (scripts/record-histories.ts, exported with the
 * Temporal CLI) replayed against the current workflow code by the built replay command, so an
 * incompatible change to workflow code fails the test run.
 */
const root = resolve(__dirname, '..', '..');
const dir = join(root, 'test', 'fixtures', 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('workflow replay against recorded histories', () => {
  it('has fixtures covering every command and an escalation', () => {
    expect(files).toEqual(['fixture-escalation.json', 'fixture-every-command.json']);
  });

  it('replays every recorded history without nondeterminism', () => {
    const run = spawnSync(
      process.execPath,
      [join(root, 'dist/scripts/replay-histories.js'), ...files.map((f) => join(dir, f))],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.stdout).toContain('ok   fixture-every-command');
    expect(run.stdout).toContain('ok   fixture-escalation');
    expect(run.stdout).toContain('2 replayed, 0 nondeterministic');
    expect(run.status).toBe(0);
  }, 150_000);
});
