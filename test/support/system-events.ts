import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ProjectEvent } from '../../libs/domain/src';
import { appendEvents } from '../../libs/persistence/src';

/**
 * Appends a new project's first events as the system's timers record them (one command, the
 * stream starting at version 1), for tests that need a history without running its workflow.
 */
export async function appendSystemEvents(
  m: EntityManager,
  projectId: string,
  events: readonly { eventId: string; event: ProjectEvent }[],
): Promise<void> {
  await appendEvents(m, {
    projectId,
    expectedVersion: 0,
    events: events.map(({ eventId, event }) => ({ eventId, ...event })),
    actor: { id: 'system', role: 'system' },
    commandId: randomUUID(),
    workflowId: `project-${projectId}`,
    runId: 'run-1',
    recordedAt: new Date(),
  });
}
