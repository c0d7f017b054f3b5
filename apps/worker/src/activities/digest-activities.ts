import type { DataSource } from 'typeorm';
import type { IsoDate } from '@app/domain';
import { queueDigests, type QueuedDigests } from '@app/persistence';

/** The digest's one activity: its deliveries' ids come from day, person and channel, so a retry queues nothing twice. */
export function createDigestActivities(dataSource: DataSource) {
  return {
    async queueDayDigests(day: IsoDate, personIds?: string[]): Promise<QueuedDigests> {
      return dataSource.transaction((manager) => queueDigests(manager, day, personIds));
    },
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
