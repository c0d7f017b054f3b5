import { randomUUID } from 'node:crypto';
import {
  decide,
  evolve,
  initialState,
  normaliseName,
  shanghaiDate,
  type Actor,
  type ProjectCommand,
  type ProjectState,
} from '../../libs/domain/src';
import {
  findLikelyDuplicates,
  projectRowFromState,
  runMigrations,
  upsertProjectRow,
} from '../../libs/persistence/src';
import { migrationDatabase, type MigrationDatabase } from '../support/migration-database';

/**
 * The duplicate check's migration on a database that already holds projects and a DuplicateConfirmed
 * event: the new columns are filled from each project's stored state, by the projection's own
 * function, and the confirmations table from the log.
 */
let db: MigrationDatabase;
beforeAll(async () => (db = await migrationDatabase('dup')), 60_000);
afterAll(() => db?.drop(), 60_000);

const actor: Actor = { id: 'officer-mig', role: 'officer', regions: ['420506'] };
const now = new Date().toISOString();
const today = shanghaiDate(now);

/** A project registered, signed and landed, folded by the domain. */
function signedAndLanded(projectId: string): ProjectState {
  const commands: ProjectCommand[] = [
    {
      type: 'RegisterLead',
      data: {
        projectId,
        name: '年产5万吨锂电池正极材料项目',
        investor: { name: '湖北某某新材料 有限公司', type: 'private', flags: [] },
        industryChain: '新材料',
        region: '420506',
        industrial: true,
        plannedInvestment: '150000000.00',
        source: '以商招商',
        leadDate: today,
      },
    },
    {
      type: 'Sign',
      data: { contractDate: today, contractInvestment: '150000000.00', contractNumber: 'HT-2025-Ｍ01' },
    },
    {
      type: 'Land',
      data: {
        creditCode: '914403001922038216',
        landedDate: today,
        site: { kind: 'land_parcel', parcelNumber: 'YC-1' },
      },
    },
  ];
  let state = initialState;
  for (const command of commands) {
    const decision = decide(command, state, { actor, now });
    if (decision.outcome !== 'accepted') throw new Error(JSON.stringify(decision));
    for (const event of decision.events) state = evolve(state, event);
  }
  return state;
}

it('fills the lookup columns from the stored state and projects the confirmations already logged', async () => {
  const before = await db.before('Duplicates1732371000000');
  const earlier = randomUUID();
  const later = randomUUID();
  // The row as the projection writes it today, less the columns this older schema does not have yet.
  const older = new Set(
    (
      await before.query<{ column_name: string }[]>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'projects'`,
      )
    ).map((c) => c.column_name),
  );
  for (const column of ['credit_code', 'contract_number', 'investor_key', 'contract_key'])
    expect(older.has(column)).toBe(false);
  for (const id of [earlier, later]) {
    const row = projectRowFromState(signedAndLanded(id), now);
    for (const column of Object.keys(row)) if (!older.has(column)) delete row[column];
    await upsertProjectRow(before.manager, row);
  }
  const eventId = randomUUID();
  await before.query(
    `INSERT INTO events (event_id, project_id, version, type, schema_version, data, business_time, recorded_at,
                         actor_id, actor_role, command_id, workflow_id, run_id, previous_hash, hash)
     VALUES ($1, $2, 4, 'DuplicateConfirmed', 1, $3, $4, $5, 'officer-mig', 'officer', 'c', 'w', 'r', $6, $6)`,
    [
      eventId,
      later,
      JSON.stringify({ of: earlier, match: 'contract_number', reason: '核实为不同项目', at: 'signing' }),
      now,
      now,
      'a'.repeat(64),
    ],
  );
  await before.destroy();

  const after = await db.after();
  try {
    // The duplicates step first, then whatever later steps there are.
    expect((await runMigrations(after))[0]).toBe('Duplicates1732371000000');
    const rows = await after.query<Record<string, string>[]>(
      `SELECT credit_code, contract_number, investor_key, contract_key FROM projects WHERE project_id = $1`,
      [earlier],
    );
    expect(rows).toEqual([
      {
        credit_code: '914403001922038216',
        contract_number: 'HT-2025-Ｍ01',
        investor_key: normaliseName('湖北某某新材料 有限公司'),
        contract_key: normaliseName('HT-2025-M01'),
      },
    ]);
    const confirmations = await after.query<Record<string, string>[]>(
      `SELECT event_id, project_id, of_project_id, match, reason, point, actor_id, actor_role
       FROM duplicate_confirmations`,
    );
    expect(confirmations).toEqual([
      {
        event_id: eventId,
        project_id: later,
        of_project_id: earlier,
        match: 'contract_number',
        reason: '核实为不同项目',
        point: 'signing',
        actor_id: 'officer-mig',
        actor_role: 'officer',
      },
    ]);
    // The projects recorded before the migration are found by the check.
    const [found] = await findLikelyDuplicates(
      after.manager,
      [
        {
          projectId: randomUUID(),
          name: '另一个项目',
          region: '110105',
          investorName: '别的公司',
          creditCode: null,
          contractNumber: 'ht-2025-m01',
          date: today,
        },
      ],
      365,
    );
    expect(found.map((d) => d.match).sort()).toEqual(['contract_number', 'contract_number']);
  } finally {
    await after.destroy();
  }
}, 120_000);
