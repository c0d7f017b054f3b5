import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Annual targets per region and metric, with who set each one and when, and every change kept in
 * `region_target_changes` (the whole set before and after), so a bulletin can be explained later.
 */
export class Targets1732320000000 implements MigrationInterface {
  name = 'Targets1732320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE region_targets (
        year        integer        NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        region      char(6)        NOT NULL,
        metric      text           NOT NULL,
        target      numeric(20,2)  NOT NULL CHECK (target >= 0),
        updated_by  text           NOT NULL,
        updated_at  timestamptz    NOT NULL DEFAULT now(),
        PRIMARY KEY (year, region, metric)
      )`);
    await q.query(`
      CREATE TABLE region_target_changes (
        id          bigserial     PRIMARY KEY,
        year        integer       NOT NULL,
        region      char(6)       NOT NULL,
        previous    jsonb         NOT NULL,
        targets     jsonb         NOT NULL,
        changed_by  text          NOT NULL,
        changed_at  timestamptz   NOT NULL DEFAULT now(),
        reason      text
      )`);
    await q.query(`CREATE INDEX region_target_changes_region ON region_target_changes (year, region, id)`);
    // The history is a record: it is added to, never rewritten.
    await q.query(`
      CREATE FUNCTION region_target_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'region_target_changes is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER region_target_changes_append_only
      BEFORE UPDATE OR DELETE OR TRUNCATE ON region_target_changes
      FOR EACH STATEMENT EXECUTE FUNCTION region_target_changes_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE region_target_changes`);
    await q.query(`DROP FUNCTION region_target_changes_append_only()`);
    await q.query(`DROP TABLE region_targets`);
  }
}
