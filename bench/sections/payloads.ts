import { randomUUID } from 'node:crypto';
import { evolve, foldEvents, initialState, makeEvent, revisionOf, type ProjectState } from '@app/domain';
import type { CommandResult } from '@app/workflow-interface';
import type { RecordEventsInput } from '../../apps/worker/src/activities';
import type { BenchContext } from '../lib/context';
import type { Figure, Section } from '../lib/measure';
import { projectHistory } from '../lib/project-history';
import type { BenchSection } from './index';

/** Bytes of a value as Temporal's default JSON payload converter encodes it. */
const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** The state as the workflow carried it before: with an entry per event (version, type, business time). */
function withEventLog(events: ReturnType<typeof projectHistory>, state: ProjectState) {
  return {
    ...state,
    eventLog: events.map((e, i) => ({ version: i + 1, type: e.type, businessTime: e.businessTime })),
  };
}

/**
 * What one command sends through Temporal for a project of N events: the append activity's input,
 * the Update's result and the state a continue-as-new carries, now and in the shapes the workflow
 * used before (the state with its per-event log, and the whole state in every Update result).
 */
export const payloads: BenchSection = {
  id: 'payloads',
  async run(ctx: BenchContext): Promise<Section> {
    const figures: Figure[] = [];
    for (const size of [10, 10_000]) {
      const projectId = randomUUID();
      const history = projectHistory(projectId, 0, size, 7);
      const before = foldEvents(history, initialState);
      const visit = makeEvent('ServiceVisitLogged', '2026-01-05T02:00:00.000Z', {
        visitDate: '2026-01-05',
        summary: '现场走访,协调用电',
        officerId: 'officer-1',
      });
      const after = evolve(before, visit);
      const all = [...history, visit];
      const summary = {
        eventId: randomUUID(),
        version: after.version,
        type: visit.type,
        businessTime: visit.businessTime,
      };
      const activityInput = (
        stateAfter: unknown,
      ): Omit<RecordEventsInput, 'stateAfter'> & { stateAfter: unknown } => ({
        projectId,
        expectedVersion: before.version,
        events: [{ eventId: summary.eventId, event: visit }],
        actor: { id: 'officer-1', role: 'officer' },
        commandId: 'a'.repeat(32),
        workflowId: `project-${projectId}`,
        runId: randomUUID(),
        recordedAt: visit.businessTime,
        stateAfter,
      });
      const result: CommandResult = {
        commandId: 'a'.repeat(32),
        version: after.version,
        revision: revisionOf(after),
        events: [summary],
        recordedAt: visit.businessTime,
        timings: { appendMs: 2.1, commitMs: 0.7 },
      };
      const oldState = withEventLog(all, after);
      const add = (label: string, value: number) =>
        figures.push({ label: `${size} events: ${label}`, unit: 'bytes', samples: [value] });
      add('append activity input, before', bytes(activityInput(oldState)));
      add('append activity input, now', bytes(activityInput(after)));
      add('Update result, before', bytes({ ...result, state: oldState }));
      add('Update result, now', bytes(result));
      add('state carried by continue-as-new, before', bytes(oldState));
      add('state carried by continue-as-new, now', bytes(after));
      ctx.log(`payloads at ${size} events measured`);
    }
    return {
      id: 'payloads',
      title: 'Payload bytes per command',
      figures,
      notes: [
        'JSON bytes, as Temporal’s default payload converter encodes them, of what one command (a service visit) sends through Temporal for a project whose stream holds 10 and 10 000 events (a generated history: stages, visits, blockers, funds, extensions and alerts). “Before” is the shape the workflow sent until the state stopped carrying a log of every event (about 70 bytes an event, copied on every evolve) and the Update answered the whole state; “now” is what it sends today. The state still grows with what people record (blockers, funds, extensions), not with the timers’ events.',
        'Under Temporal’s default 2 MB payload limit the old shape reached the limit at about 25 000 events, when the next continue-as-new was refused and the server terminated the workflow.',
      ],
    };
  },
};
