import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { temporalCliPath } from '../libs/local-stack/src';
import { projectWorkflowId } from '../libs/workflow-interface/src';

/** Where recorded histories are kept for the replay test. */
export const HISTORY_FIXTURES = join(resolve(__dirname, '..', '..'), 'test', 'fixtures', 'histories');

/** Exports each project's workflow history with the Temporal CLI, as JSON, into the fixtures. */
export function exportHistories(address: string, projectIds: string[], out = HISTORY_FIXTURES): void {
  for (const id of projectIds) {
    const json = execFileSync(
      temporalCliPath(),
      ['workflow', 'show', '--address', address, '--workflow-id', projectWorkflowId(id), '--output', 'json'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    writeFileSync(join(out, `${id}.json`), json);
    process.stdout.write(`recorded ${id}\n`);
  }
}
