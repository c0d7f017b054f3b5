import type { DataSource } from 'typeorm';

/** What every section gets: the local stack the runner started, and how hard to push. */
export interface BenchContext {
  /** A PostgreSQL server; sections create their own databases on it with `freshDatabase`. */
  postgresUrl: string;
  temporalAddress: string;
  namespace: string;
  /** The dev server's process id, for sections that report its memory. */
  temporalPid?: number;
  /** Repetitions per figure (median, min and max are reported). */
  runs: number;
  /** Scale factor for quick runs (1 = the sizes the issue names). */
  scale: number;
  /** A fresh, migrated database of its own on the server. */
  freshDatabase(label: string): Promise<{ url: string; dataSource: DataSource }>;
  log(message: string): void;
}
