import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 回头看: each quarterly review's report, kept as immutable revisions, and the 督办 items it opens,
 * with the history of every step they take.
 */
export class Reviews1732300000000 implements MigrationInterface {
  name = 'Reviews1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_reports (
        quarter       text         NOT NULL,
        revision      integer      NOT NULL CHECK (revision >= 1),
        as_of         date         NOT NULL,
        report        jsonb        NOT NULL,
        report_hash   text         NOT NULL,
        created_at    timestamptz  NOT NULL DEFAULT now(),
        created_by    text         NOT NULL,
        PRIMARY KEY (quarter, revision)
      )`);
    // A report, once written, is evidence: it is never changed or removed.
    await q.query(`
      CREATE FUNCTION review_reports_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'review reports are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER review_reports_immutable BEFORE UPDATE OR DELETE ON review_reports
      FOR EACH ROW EXECUTE FUNCTION review_reports_immutable()`);
    await q.query(`
      CREATE TRIGGER review_reports_no_truncate BEFORE TRUNCATE ON review_reports
      FOR EACH STATEMENT EXECUTE FUNCTION review_reports_immutable()`);

    await q.query(`
      CREATE TABLE supervision_items (
        item_id        uuid         PRIMARY KEY,
        project_id     text         NOT NULL REFERENCES projects (project_id),
        rule           text         NOT NULL,
        rule_label     text         NOT NULL,
        region         char(6)      NOT NULL,
        opened_in      text         NOT NULL,
        status         text         NOT NULL CHECK (status IN ('issued', 'acknowledged', 'in_hand', 'reported', 'checked', 'closed')),
        owner_role     text         NOT NULL,
        owner_id       text,
        rung           integer      NOT NULL CHECK (rung BETWEEN 1 AND 4),
        due_date       date         NOT NULL,
        unrectified    boolean      NOT NULL DEFAULT false,
        escalated_in   text[]       NOT NULL DEFAULT '{}',
        resolved_in    text,
        created_at     timestamptz  NOT NULL DEFAULT now(),
        updated_at     timestamptz  NOT NULL DEFAULT now()
      )`);
    // One open item per project and rule: a review never opens a second one.
    await q.query(
      `CREATE UNIQUE INDEX supervision_items_open ON supervision_items (project_id, rule) WHERE status <> 'closed'`,
    );
    await q.query(`CREATE INDEX supervision_items_opened_in ON supervision_items (opened_in)`);
    await q.query(`CREATE INDEX supervision_items_region_status ON supervision_items (region, status)`);
    await q.query(`
      CREATE TABLE supervision_item_steps (
        id           bigserial    PRIMARY KEY,
        item_id      uuid         NOT NULL REFERENCES supervision_items (item_id),
        from_status  text,
        to_status    text         NOT NULL,
        actor_id     text         NOT NULL,
        actor_role   text         NOT NULL,
        note         text,
        at           timestamptz  NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX supervision_item_steps_item ON supervision_item_steps (item_id, id)`);
    // The review reads the alert events as of a date: only these types, in stream order.
    await q.query(`
      CREATE INDEX events_alerts ON events (project_id, global_position)
      WHERE type IN ('AlertRaised', 'AlertEscalated', 'AlertResolved')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_alerts`);
    await q.query(`DROP TABLE supervision_item_steps`);
    await q.query(`DROP TABLE supervision_items`);
    await q.query(`DROP TABLE review_reports`);
    await q.query(`DROP FUNCTION review_reports_immutable() CASCADE`);
  }
}
