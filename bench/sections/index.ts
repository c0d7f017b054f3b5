import type { BenchContext } from '../lib/context';
import type { Section } from '../lib/measure';

export interface BenchSection {
  id: string;
  run(ctx: BenchContext): Promise<Section>;
}

/** In the order the report lists them (the order). */
export const SECTIONS: BenchSection[] = [];
