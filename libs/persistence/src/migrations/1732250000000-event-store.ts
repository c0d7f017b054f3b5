import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log, the per-project stream heads and the projects read model.
 * Global order follows Emmett's PostgreSQL store: every row records the id of the transaction that
 * wrote it, and readers only read below the oldest transaction still running, so a reader never
 * skips an event whose transaction commits after a later position became visible.
 */
export class EventStore1732250000000 implements MigrationInterface {
  name = 'EventStore1732250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        global_position  bigserial    PRIMARY KEY,
        transaction_id   xid8         NOT NULL DEFAULT pg_current_xact_id(),
        event_id         uuid         NOT NULL UNIQUE,
        project_id       text         NOT NULL,
        version          integer      NOT NULL CHECK (version >= 1),
        type             text         NOT NULL,
        schema_version   integer      NOT NULL,
        data             jsonb        NOT NULL,
        business_time    text         NOT NULL,
        recorded_at      timestamptz  NOT NULL,
        actor_id         text         NOT NULL,
        actor_role       text         NOT NULL,
        command_id       text         NOT NULL,
        workflow_id      text         NOT NULL,
        run_id           text         NOT NULL,
        previous_hash    char(64)     NOT NULL,
        hash             char(64)     NOT NULL,
        CONSTRAINT events_project_version_unique UNIQUE (project_id, version)
      )`);
    await q.query(`CREATE INDEX events_transaction_position ON events (transaction_id, global_position)`);
    await q.query(`CREATE INDEX events_command ON events (project_id, command_id)`);
    await q.query(`
      CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await q.query(
      `CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`,
    );
    await q.query(
      `CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`,
    );

    // One row per project: its head version and hash, locked while appending.
    await q.query(`
      CREATE TABLE event_streams (
        project_id  text        PRIMARY KEY,
        version     integer     NOT NULL,
        head_hash   char(64)    NOT NULL,
        updated_at  timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE projects (
        project_id                text          PRIMARY KEY,
        name                      text          NOT NULL,
        stage                     text          NOT NULL,
        region                    char(6)       NOT NULL,
        park                      text,
        industry_chain            text          NOT NULL,
        industrial                boolean       NOT NULL,
        investor_name             text          NOT NULL,
        investor_type             text          NOT NULL,
        investor_flags            text[]        NOT NULL DEFAULT '{}',
        source                    text,
        planned_investment        numeric(20,2) NOT NULL,
        contract_investment       numeric(20,2),
        funds_arrived_total       numeric(20,2) NOT NULL DEFAULT 0,
        lead_date                 date,
        talks_date                date,
        signed_date               date,
        landed_date               date,
        started_date              date,
        in_stats_date             date,
        production_date           date,
        dropped_date              date,
        signing_year              integer,
        service_officer_id        text,
        chief_service_officer_id  text,
        light                     text          NOT NULL DEFAULT 'green',
        overdue                   boolean       NOT NULL DEFAULT false,
        overdue_steps             text[]        NOT NULL DEFAULT '{}',
        open_anomalies            text[]        NOT NULL DEFAULT '{}',
        version                   integer       NOT NULL,
        state                     jsonb         NOT NULL,
        updated_at                timestamptz   NOT NULL
      )`);
    await q.query(`CREATE INDEX projects_region_stage ON projects (region, stage)`);
    await q.query(`CREATE INDEX projects_chain_stage ON projects (industry_chain, stage)`);
    await q.query(`CREATE INDEX projects_signing_year ON projects (signing_year)`);
    await q.query(`CREATE INDEX projects_light ON projects (light) WHERE light <> 'green'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projects`);
    await q.query(`DROP TABLE event_streams`);
    await q.query(`DROP TABLE events`);
    await q.query(`DROP FUNCTION events_refuse_change()`);
  }
}
