import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  describeAcknowledgements,
  describeTimeline,
  mayRead,
  peopleNamedIn,
  shanghaiDate,
  SYSTEM_ACTOR,
  type Actor,
  type TimelineEvent,
} from '@app/domain';
import { readStream } from '@app/persistence';
import { AlertQueries } from '../alerts/alert.queries';
import { PeopleQueries } from '../people/people.queries';
import { notFound, ProjectsService } from '../projects/projects.service';
import type { TimelineEntryView } from './timeline.view';

/** What the timers record under; shown to readers as the system, not as an id. */
const SYSTEM_NAME = '系统';
/** The entry type of an acknowledgement, which is not an event. */
export const ACKNOWLEDGED = 'AlertAcknowledged';

@Injectable()
export class TimelineService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly people: PeopleQueries,
    private readonly alerts: AlertQueries,
  ) {}

  /** Every event of the project, told in Chinese, to whoever may read the project. */
  async timeline(projectId: string, actor: Actor): Promise<TimelineEntryView[]> {
    const record = await this.projects.find(projectId);
    // A project outside the reader's scope is answered as one that does not exist: no hint it does.
    if (!mayRead(actor, record)) throw notFound(projectId);
    const stored = await readStream(this.dataSource.manager, projectId);
    const events = stored.map(
      (e) =>
        ({
          type: e.type,
          schemaVersion: e.schemaVersion,
          businessTime: e.businessTime,
          data: e.data,
          actorId: e.actorId,
        }) as TimelineEvent,
    );
    const acks = await this.alerts.acknowledgementsOf(projectId);
    const names = await this.people.names([...peopleNamedIn(events), ...acks.map((a) => a.userId)]);
    const nameOf = (id: string): string | undefined => names.get(id);
    const actorName = (id: string): string => (id === SYSTEM_ACTOR.id ? SYSTEM_NAME : (nameOf(id) ?? id));
    const sentences = describeTimeline(events, nameOf);
    const entries: TimelineEntryView[] = stored.map((e, i) => ({
      version: e.version,
      type: e.type,
      businessDate: shanghaiDate(e.businessTime),
      recordedAt: e.recordedAt,
      actorId: e.actorId,
      actorName: actorName(e.actorId),
      sentence: sentences[i],
    }));
    const ackSentences = describeAcknowledgements(events, acks, nameOf);
    // Each acknowledgement goes after the last event recorded before it.
    acks.forEach((a, i) => {
      let at = entries.length;
      while (at > 0 && entries[at - 1].recordedAt > a.acknowledgedAt) at--;
      entries.splice(at, 0, {
        version: a.version,
        type: ACKNOWLEDGED,
        businessDate: shanghaiDate(a.acknowledgedAt),
        recordedAt: a.acknowledgedAt,
        actorId: a.userId,
        actorName: actorName(a.userId),
        sentence: ackSentences[i],
      });
    });
    return entries;
  }
}
