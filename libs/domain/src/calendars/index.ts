import type { VersionedCalendar } from '../calendar';
import { CALENDAR_V1 } from './v1';

/**
 * Every calendar version bundled with the code, oldest first. Add a version (frozen by
 * scripts/freeze-calendar.ts) at the end; never change or remove one: workflows that ran under it
 * replay with it.
 */
export const BUNDLED_CALENDARS: readonly VersionedCalendar[] = [CALENDAR_V1];
