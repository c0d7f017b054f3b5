import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The people directory: who serves, leads, audits and administers, by the id their sign-in carries.
 * Nobody is deleted (their name stays on the projects they served); `active = false` retires them.
 */
export class People1732360000000 implements MigrationInterface {
  name = 'People1732360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        person_id   text         PRIMARY KEY,
        name        text         NOT NULL,
        role        text         NOT NULL,
        regions     text[]       NOT NULL DEFAULT '{}',
        phone       text,
        email       text,
        active      boolean      NOT NULL DEFAULT true,
        version     integer      NOT NULL DEFAULT 1,
        created_at  timestamptz  NOT NULL DEFAULT now(),
        updated_at  timestamptz  NOT NULL DEFAULT now(),
        updated_by  text         NOT NULL
      )`);
    await q.query(`CREATE INDEX people_role ON people (role, person_id)`);
    await q.query(`CREATE INDEX people_regions ON people USING gin (regions)`);
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lifecycle_app') THEN
          REVOKE DELETE, TRUNCATE ON people FROM lifecycle_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE people`);
  }
}
