/**
 * How long a PostgreSQL connection may take to open, a statement to run and a transaction to sit
 * idle, in milliseconds (0: no limit). Without them a database that is frozen or unreachable holds
 * every request, activity and pool slot for as long as the fault lasts.
 */
export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free one in a full pool. */
  connectMs: number;
  /** One statement, enforced by the server and, a little later, by the client (a frozen server enforces nothing). */
  statementMs: number;
  /** A transaction left open with nothing running: the server ends its session. */
  idleInTransactionMs: number;
}

/** Requests and the project workflows' activities: each statement is milliseconds when all is well. */
export const INTERACTIVE_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 3_000,
  statementMs: 5_000,
  idleInTransactionMs: 10_000,
};

/**
 * The 回头看, the rebuild, migrations and the benchmarks' bulk loads: single statements of seconds
 * to minutes over the whole read model, and JavaScript work inside their transactions.
 */
export const BATCH_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 10_000,
  statementMs: 600_000,
  idleInTransactionMs: 600_000,
};
