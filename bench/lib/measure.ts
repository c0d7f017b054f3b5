/** A goal a figure is held to: at most or at least this value. */
export interface Goal {
  atMost?: number;
  atLeast?: number;
  text: string;
}

/** One measured quantity over repeated runs; the report shows its median, min and max. */
export interface Figure {
  label: string;
  unit: string;
  samples: number[];
  goal?: Goal;
  note?: string;
}

export interface Section {
  id: string;
  title: string;
  figures: Figure[];
  /** What the figures mean, what bounds them, and what was changed after profiling. */
  notes: string[];
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function goalMet(figure: Figure): boolean | null {
  if (!figure.goal) return null;
  const { median } = summarize(figure.samples);
  if (figure.goal.atMost !== undefined && median > figure.goal.atMost) return false;
  if (figure.goal.atLeast !== undefined && median < figure.goal.atLeast) return false;
  return true;
}

/** Runs `fn` `times` times in sequence and collects what each run returns. */
export async function repeat<T>(times: number, fn: (run: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(await fn(i));
  return out;
}

/** Milliseconds since `start` (a process.hrtime.bigint()). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
