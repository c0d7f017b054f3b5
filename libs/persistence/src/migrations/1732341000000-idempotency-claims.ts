import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotency key is claimed before its write runs, not looked up and then recorded after: the
 * row (unique per actor and key) is inserted 'pending', becomes 'done' with the response, or
 * 'released' when the write failed so the key may be used again. `claim_token` names the request
 * holding a pending claim, so only it settles the claim, and a claim left by a crashed process can
 * be taken over once `claimed_at` is old enough.
 */
export class IdempotencyClaims1732341000000 implements MigrationInterface {
  name = 'IdempotencyClaims1732341000000';

  async up(q: QueryRunner): Promise<void> {
    // Every row stored so far is a kept success.
    await q.query(`
      ALTER TABLE idempotent_responses
        ADD COLUMN state        text         NOT NULL DEFAULT 'done',
        ADD COLUMN claim_token  uuid,
        ADD COLUMN claimed_at   timestamptz  NOT NULL DEFAULT now(),
        ALTER COLUMN status DROP NOT NULL,
        ALTER COLUMN headers DROP NOT NULL`);
    await q.query(`ALTER TABLE idempotent_responses ALTER COLUMN state DROP DEFAULT`);
    await q.query(`
      ALTER TABLE idempotent_responses
        ADD CONSTRAINT idempotent_responses_state CHECK (state IN ('pending', 'done', 'released')),
        ADD CONSTRAINT idempotent_responses_done CHECK (
          state <> 'done' OR (status IS NOT NULL AND headers IS NOT NULL)),
        ADD CONSTRAINT idempotent_responses_pending CHECK (state <> 'pending' OR claim_token IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotent_responses WHERE state <> 'done'`);
    await q.query(`
      ALTER TABLE idempotent_responses
        DROP CONSTRAINT idempotent_responses_pending,
        DROP CONSTRAINT idempotent_responses_done,
        DROP CONSTRAINT idempotent_responses_state,
        DROP COLUMN claimed_at,
        DROP COLUMN claim_token,
        DROP COLUMN state,
        ALTER COLUMN status SET NOT NULL,
        ALTER COLUMN headers SET NOT NULL`);
  }
}
