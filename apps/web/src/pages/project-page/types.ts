import type { Schemas } from '../../api/client';

export type Detail = Schemas['ProjectDetailView'];
export type Deadline = Schemas['DeadlineView'];
export type BlockerEntry = Schemas['BlockerView'];
export type FundsEntry = Schemas['FundsEntryView'];
export type TimelineEntry = Schemas['TimelineEntryView'];

/** Text for screen readers only: kept in the accessibility tree, off the screen. */
export const SCREEN_READER_ONLY = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;
