import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incremental checkpoints: the hash of every event a checkpoint covered, kept per chain, so that a
 * rewrite found later is named at the first event whose hash changed; the chains a checkpoint would
 * not sign (and why) beside it; and the alerts auditors see when a chain no longer extends the head
 * a checkpoint signed. Rows here are evidence: the app role may add and read them, nothing more.
 */
export class AuditAlerts1732342000000 implements MigrationInterface {
  name = 'AuditAlerts1732342000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_checkpoints ADD COLUMN blocked jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await q.query(`
      CREATE TABLE audit_chain_links (
        project_id     text      NOT NULL,
        version        integer   NOT NULL,
        hash           char(64)  NOT NULL,
        checkpoint_id  bigint    NOT NULL,
        PRIMARY KEY (project_id, version)
      )`);
    await q.query(`
      CREATE TABLE audit_alerts (
        id             bigserial    PRIMARY KEY,
        raised_at      timestamptz  NOT NULL DEFAULT now(),
        kind           text         NOT NULL,
        project_id     text         NOT NULL DEFAULT '',
        version        integer      NOT NULL DEFAULT 0,
        problem        text         NOT NULL,
        detail         text         NOT NULL,
        checkpoint_id  bigint,
        UNIQUE (kind, project_id, version, problem)
      )`);
    // The default privileges the app-role migration set would let the app change them otherwise.
    await q.query(`REVOKE UPDATE, DELETE ON audit_chain_links, audit_alerts FROM lifecycle_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_alerts`);
    await q.query(`DROP TABLE audit_chain_links`);
    await q.query(`ALTER TABLE audit_checkpoints DROP COLUMN blocked`);
  }
}
