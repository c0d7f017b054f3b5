import type { MigrationInterface, QueryRunner } from 'typeorm';

const ROLE = 'lifecycle_app';

/**
 * Evidence files. Content is stored once per SHA-256 (file_contents), its bytes in ~1 MB chunks
 * (file_chunks) written under a fresh chunks_id while the upload streams in, so that no file is
 * held whole in memory and an upload that fails leaves only chunks no content points to. Each
 * upload (uploaded_files) names its content; file_references tells which projects' events cite it.
 *
 * The app role may add and remove content, never rewrite it: no UPDATE on chunks, and on contents
 * only stored_at (the same content uploaded again keeps it from the cleanup). An altered chunk is
 * then the work of someone holding the owner's credentials, and re-hashing names it.
 */
export class EvidenceFiles1732400000000 implements MigrationInterface {
  name = 'EvidenceFiles1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_chunks (
        chunks_id   uuid         NOT NULL,
        seq         integer      NOT NULL CHECK (seq >= 0),
        bytes       bytea        NOT NULL,
        written_at  timestamptz  NOT NULL DEFAULT now(),
        PRIMARY KEY (chunks_id, seq)
      )`);
    // Chunks are compressed by nothing: photos and PDFs are compressed already.
    await q.query(`ALTER TABLE file_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL`);
    await q.query(`
      CREATE TABLE file_contents (
        sha256      char(64)     PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        chunks_id   uuid         NOT NULL UNIQUE,
        size        bigint       NOT NULL CHECK (size >= 0),
        chunks      integer      NOT NULL CHECK (chunks >= 0),
        stored_at   timestamptz  NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE uploaded_files (
        file_id        uuid         PRIMARY KEY,
        sha256         char(64)     NOT NULL REFERENCES file_contents (sha256),
        name           text         NOT NULL,
        media_type     text         NOT NULL,
        size           bigint       NOT NULL CHECK (size >= 0),
        captured_at    text,
        capture_place  jsonb,
        uploaded_by    text         NOT NULL,
        uploaded_at    timestamptz  NOT NULL DEFAULT now(),
        referenced_at  timestamptz
      )`);
    await q.query(`CREATE INDEX uploaded_files_by_content ON uploaded_files (sha256)`);
    await q.query(
      `CREATE INDEX uploaded_files_unreferenced ON uploaded_files (uploaded_at) WHERE referenced_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE file_references (
        file_id        uuid         NOT NULL REFERENCES uploaded_files (file_id),
        project_id     uuid         NOT NULL,
        referenced_at  timestamptz  NOT NULL DEFAULT now(),
        PRIMARY KEY (file_id, project_id)
      )`);
    // Default privileges gave the app role full row access; take back what it must not do.
    await q.query(`REVOKE UPDATE ON file_chunks, file_contents, file_references FROM ${ROLE}`);
    await q.query(`REVOKE DELETE ON file_references FROM ${ROLE}`);
    await q.query(`GRANT UPDATE (stored_at) ON file_contents TO ${ROLE}`);
    await q.query(`REVOKE UPDATE ON uploaded_files FROM ${ROLE}`);
    await q.query(`GRANT UPDATE (referenced_at) ON uploaded_files TO ${ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE file_references`);
    await q.query(`DROP TABLE uploaded_files`);
    await q.query(`DROP TABLE file_contents`);
    await q.query(`DROP TABLE file_chunks`);
  }
}
