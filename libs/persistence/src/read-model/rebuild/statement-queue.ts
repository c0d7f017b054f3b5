import type { EntityManager } from 'typeorm';

/** Statements for one connection, sent one after another (pg refuses to be handed a second at once). */
export class StatementQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly manager: EntityManager) {}

  query<T>(sql: string, params: unknown[]): Promise<T> {
    const result = this.tail.then(() => this.manager.query<T>(sql, params));
    this.tail = result.catch(() => undefined);
    return result;
  }

  async settled(): Promise<void> {
    await this.tail;
  }
}
