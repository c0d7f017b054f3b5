import type { BenchContext } from '../lib/context';
import type { Section } from '../lib/measure';
import { apiCommands } from './api-commands';
import { sleepingWorkflows } from './sleeping-workflows';
import { eventStore } from './event-store';
import { review } from './review';
import { rebuildVerify } from './rebuild-verify';
import { payloads } from './payloads';
import { ledger } from './ledger';
import { imports } from './imports';
import { dashboard } from './dashboard';
import { topology } from './topology';
import { files } from './files';

export interface BenchSection {
  id: string;
  run(ctx: BenchContext): Promise<Section>;
}

/** In the order the report lists them (the order). */
export const SECTIONS: BenchSection[] = [
  apiCommands,
  payloads,
  eventStore,
  review,
  rebuildVerify,
  sleepingWorkflows,
  ledger,
  imports,
  dashboard,
  topology,
  files,
];
