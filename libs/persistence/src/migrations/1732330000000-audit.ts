import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checkpoints of every chain head (a Merkle root, signed) that auditors keep outside the database,
 * and the log of every audit read.
 */
export class Audit1732330000000 implements MigrationInterface {
  name = 'Audit1732330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoints (
        id           bigserial    PRIMARY KEY,
        created_at   timestamptz  NOT NULL,
        projects     integer      NOT NULL,
        events       bigint       NOT NULL,
        merkle_root  char(64)     NOT NULL,
        digest       jsonb        NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit_reads (
        id          bigserial    PRIMARY KEY,
        at          timestamptz  NOT NULL DEFAULT now(),
        actor_id    text         NOT NULL,
        actor_role  text         NOT NULL,
        method      text         NOT NULL,
        path        text         NOT NULL,
        request_id  text
      )`);
    await q.query(`CREATE INDEX audit_reads_actor ON audit_reads (actor_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_reads`);
    await q.query(`DROP TABLE audit_checkpoints`);
  }
}
