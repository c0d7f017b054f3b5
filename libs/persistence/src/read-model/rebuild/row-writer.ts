import type { IsoDate, Light, ProjectState } from '@app/domain';
import { fundsRowsFromState, projectRowFromState } from '../project-projection';
import type { StatementQueue } from './statement-queue';

export interface Folded {
  state: ProjectState;
  /** The record time of the latest event: what the worker writes as updated_at. */
  recordedAt: string;
  /** The light at the end of each day it changed (noteLightChange), for rebuild_project_lights. */
  lightChanges: Map<IsoDate, Light>;
}

// About this many bytes of JSON per INSERT: few round trips, no statement too large to send.
const CHUNK_BYTES = 8 * 1024 * 1024;
const ARRAY_CHUNK = 50_000;
// Statements sent and not yet answered: enough to keep the server busy, not so many that memory grows.
const IN_FLIGHT = 2;

/**
 * Collects rows and sends them in large multi-row statements without waiting for each: the
 * connection queues them, so the server inserts while the next events are folded.
 */
export class RowWriter {
  projects = 0;
  fundsRows = 0;
  private chunk: string[] = [];
  private bytes = 0;
  private funds = { project: [] as string[], month: [] as string[], amount: [] as string[] };
  private lights = { project: [] as string[], day: [] as string[], light: [] as string[] };
  private inFlight: Promise<unknown>[] = [];

  constructor(private readonly queue: StatementQueue) {}

  add({ state, recordedAt, lightChanges }: Folded): void {
    // A stream that does not start with a registration has no row, live or rebuilt.
    if (!state.exists) return;
    this.projects++;
    const { state: stateJson, ...columns } = projectRowFromState(state, recordedAt);
    // The state is already JSON text: spliced in as an object, so the jsonb column holds the object.
    const json = `${JSON.stringify(columns).slice(0, -1)},"state":${stateJson as string}}`;
    this.chunk.push(json);
    this.bytes += json.length;
    for (const row of fundsRowsFromState(state)) {
      this.funds.project.push(state.projectId!);
      this.funds.month.push(row.month);
      this.funds.amount.push(row.amount);
    }
    for (const [day, light] of lightChanges) {
      this.lights.project.push(state.projectId!);
      this.lights.day.push(day);
      this.lights.light.push(light);
    }
    if (this.bytes >= CHUNK_BYTES) this.sendProjects();
    if (this.funds.project.length >= ARRAY_CHUNK) this.sendFunds();
    if (this.lights.project.length >= ARRAY_CHUNK) this.sendLights();
  }

  /** Waits while too many statements are in flight. */
  async waitForRoom(): Promise<void> {
    while (this.inFlight.length > IN_FLIGHT) await this.inFlight.shift();
  }

  async finish(): Promise<void> {
    this.sendProjects();
    this.sendFunds();
    this.sendLights();
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }

  private send(sql: string, params: unknown[]): void {
    const query = this.queue.query(sql, params);
    // Awaited in order later; meanwhile a failure must not surface as an unhandled rejection.
    query.catch(() => undefined);
    this.inFlight.push(query);
  }

  private sendProjects(): void {
    if (this.chunk.length === 0) return;
    // jsonb_populate_recordset casts each field to its column's type, as the worker's parameters are.
    this.send(
      `INSERT INTO rebuild_projects SELECT * FROM jsonb_populate_recordset(NULL::rebuild_projects, $1::jsonb)`,
      [`[${this.chunk.join(',')}]`],
    );
    this.chunk = [];
    this.bytes = 0;
  }

  private sendFunds(): void {
    if (this.funds.project.length === 0) return;
    this.fundsRows += this.funds.project.length;
    this.send(
      `INSERT INTO rebuild_project_funds (project_id, month, amount)
       SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[])`,
      [this.funds.project, this.funds.month, this.funds.amount],
    );
    this.funds = { project: [], month: [], amount: [] };
  }

  private sendLights(): void {
    if (this.lights.project.length === 0) return;
    this.send(
      `INSERT INTO rebuild_project_lights (project_id, day, light)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[])`,
      [this.lights.project, this.lights.day, this.lights.light],
    );
    this.lights = { project: [], day: [], light: [] };
  }
}
