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
  it('has fixtures covering every command, an escalation, a refused append, a reset and an imported history, before and after the one-marker generation', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'fixture-born-with-2026-12.json',
        'fixture-escalation.json',
        'fixture-every-command.json',
        'fixture-imported-history.json',
        'fixture-refused-append.json',
        'fixture-reset.json',
      ]),
    );
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
    for (const file of files) expect(run.stdout).toContain(`ok   ${file.replace(/\.json$/, '')}`);
    expect(run.stdout).toContain(`${files.length} replayed, 0 nondeterministic`);
    expect(run.status).toBe(0);
  }, 150_000);
});
