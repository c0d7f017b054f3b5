import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  describeTimeline,
  mayRead,
  peopleNamedIn,
  shanghaiDate,
  SYSTEM_ACTOR,
  type Actor,
  type TimelineEvent,
} from '@app/domain';
import { readStream } from '@app/persistence';
import { PeopleQueries } from '../people/people.queries';
import { notFound, ProjectsService } from '../projects/projects.service';
import type { TimelineEntryView } from './timeline.view';

/** What the timers record under; shown to readers as the system, not as an id. */
const SYSTEM_NAME = '系统';

@Injectable()
export class TimelineService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly people: PeopleQueries,
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
    const names = await this.people.names(peopleNamedIn(events));
    const nameOf = (id: string): string | undefined => names.get(id);
    const sentences = describeTimeline(events, nameOf);
    return stored.map((e, i) => ({
      version: e.version,
      type: e.type,
      businessDate: shanghaiDate(e.businessTime),
      recordedAt: e.recordedAt,
      actorId: e.actorId,
      actorName: e.actorId === SYSTEM_ACTOR.id ? SYSTEM_NAME : (nameOf(e.actorId) ?? e.actorId),
      sentence: sentences[i],
    }));
  }
}
