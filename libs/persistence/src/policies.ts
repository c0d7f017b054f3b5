import type { EntityManager } from 'typeorm';
import {
  DEFAULT_VERSIONED_POLICY,
  validatePolicy,
  type ProjectPolicy,
  type VersionedPolicy,
} from '@app/domain';

export async function currentPolicy(manager: EntityManager): Promise<VersionedPolicy> {
  const [row] = await manager.query<{ version: number; policy: ProjectPolicy }[]>(
    `SELECT version, policy FROM policies ORDER BY version DESC LIMIT 1`,
  );
  return row ? { version: row.version, policy: row.policy } : DEFAULT_VERSIONED_POLICY;
}

/** Stores a validated policy as the next version. */
export async function storePolicy(
  manager: EntityManager,
  policy: unknown,
  createdBy: string,
  reason?: string,
): Promise<VersionedPolicy> {
  const checked = validatePolicy(policy);
  if (!checked.ok) {
    throw new Error(`invalid policy: ${checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
  const [row] = await manager.query<{ version: number }[]>(
    `INSERT INTO policies (version, policy, created_by, reason)
     SELECT COALESCE(MAX(version), 0) + 1, $1::jsonb, $2, $3 FROM policies
     RETURNING version`,
    [JSON.stringify(checked.policy), createdBy, reason ?? null],
  );
  return { version: row.version, policy: checked.policy };
}
