import { createHash } from 'node:crypto';
import { Context, heartbeat } from '@temporalio/activity';
import {
  ApplicationFailure as ClientApplicationFailure,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { DataSource } from 'typeorm';
import {
  calendarReference,
  decide,
  DEFAULT_DUPLICATE_WINDOW_DAYS,
  duplicateAsSeenBy,
  foldEvents,
  initialState,
  likelyDuplicate,
  normaliseName,
  shanghaiDate,
  type Actor,
  type DuplicateCandidate,
  type DuplicateMatch,
  type ProjectCommand,
  type ProjectState,
  type RecordHistoryData,
  type Refusal,
} from '@app/domain';
import {
  LEDGER_COLUMNS,
  LedgerReadError,
  ledgerRowFromState,
  matchColumns,
  problemsFromRefusal,
  readLedger,
  rowToHistory,
  type CellProblem,
  type ColumnMapping,
  type LedgerColumnKey,
  type LedgerSheet,
} from '@app/ledger';
import { currentCalendar, currentPolicy, findLikelyDuplicates, stableUuid } from '@app/persistence';
import {
  executeCommand,
  FAILURE_TYPES,
  PROJECT_WORKFLOW_TYPE,
  projectWorkflowId,
  type CommandEnvelope,
  type ProjectWorkflowInput,
} from '@app/workflow-interface';
import type { ImportRowOutcome, LedgerImportResult } from '@app/workflow-interface/ledger-import';

/** Rows sent to their project workflows at once: enough to keep both cores busy, few enough for the pool. */
const IMPORT_CONCURRENCY = 24;
/** How long one row's RecordHistory may take before it is tried again. */
const ROW_UPDATE_TIMEOUT_MS = 60_000;
const ROW_ATTEMPTS = 3;
const INSERT_BATCH = 500;
const OUTCOMES_BATCH = 48;

/** A ledger row's project: the same row (by its ledger key) names the same project in every import. */
export function ledgerProjectId(key: string): string {
  return stableUuid('ledger-import', key);
}

/** The command id of a row's history: the same content imported again is the same command. */
export function ledgerCommandId(key: string, rowHash: string): string {
  return createHash('sha256').update(`ledger-import\u0000${key}\u0000${rowHash}`).digest('hex').slice(0, 32);
}

export interface ImportHeader {
  header: string;
  key: LedgerColumnKey | null;
  unit: 'yuan' | 'wan' | 'yi' | null;
}

export interface ImportChange {
  column: string;
  from: string | null;
  to: string | null;
}

export interface DuplicateOf {
  projectId: string;
  name: string;
  region: string;
  match: DuplicateMatch;
}

interface ImportRecord {
  file_name: string;
  file_sha256: string;
  file: Buffer;
  sheet: string | null;
  mapping: Record<string, LedgerColumnKey | null> | null;
  actor: Actor;
  created_by: string;
  run: number;
}

interface AnalysedRow {
  row: number;
  outcome: ImportRowOutcome;
  projectId: string | null;
  name: string | null;
  key: string | null;
  rowHash: string | null;
  history: RecordHistoryData | null;
  problems: CellProblem[];
  changes: ImportChange[];
  duplicateOf: DuplicateOf | null;
}

const mappingOf = (headers: ImportHeader[]): ColumnMapping =>
  Object.fromEntries(headers.map((h) => [h.header, { key: h.key, unit: h.unit }]));

const text = (v: string | boolean | null | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : typeof v === 'boolean' ? (v ? '是' : '否') : v;

/** What the file's own columns would show differently after the history: the changes to confirm. */
function changesBetween(before: ProjectState, after: ProjectState, headers: ImportHeader[]): ImportChange[] {
  const from = ledgerRowFromState(before);
  const to = ledgerRowFromState(after);
  const changes: ImportChange[] = [];
  for (const column of LEDGER_COLUMNS) {
    const was = text(from[column.key]);
    const is = text(to[column.key]);
    if (was === is) continue;
    const header = headers.find((h) => h.key === column.key)?.header ?? column.header;
    changes.push({ column: header, from: was, to: is });
  }
  return changes;
}

/** The file's earlier rows indexed by what a duplicate must share, so each row is compared with a few, not all. */
class DuplicateIndex {
  private readonly byContract = new Map<string, DuplicateCandidate[]>();
  private readonly byInvestor = new Map<string, DuplicateCandidate[]>();

  constructor(
    candidates: DuplicateCandidate[],
    private readonly windowDays: number,
  ) {
    for (const c of candidates) this.add(c);
  }

  add(c: DuplicateCandidate): void {
    const push = (map: Map<string, DuplicateCandidate[]>, k: string) => {
      const list = map.get(k);
      if (list) list.push(c);
      else map.set(k, [c]);
    };
    if (c.contractNumber) push(this.byContract, c.contractNumber.trim());
    if (c.creditCode) push(this.byInvestor, `${c.region}\u0000cc\u0000${c.creditCode.trim().toUpperCase()}`);
    push(this.byInvestor, `${c.region}\u0000n\u0000${normaliseName(c.investorName)}`);
  }

  find(candidate: DuplicateCandidate): (DuplicateCandidate & { match: DuplicateMatch }) | null {
    const near = new Set<DuplicateCandidate>([
      ...(candidate.contractNumber ? (this.byContract.get(candidate.contractNumber.trim()) ?? []) : []),
      ...(candidate.creditCode
        ? (this.byInvestor.get(
            `${candidate.region}\u0000cc\u0000${candidate.creditCode.trim().toUpperCase()}`,
          ) ?? [])
        : []),
      ...(this.byInvestor.get(`${candidate.region}\u0000n\u0000${normaliseName(candidate.investorName)}`) ??
        []),
    ]);
    for (const earlier of near) {
      if (earlier.projectId === candidate.projectId) continue;
      const match = likelyDuplicate(candidate, earlier, this.windowDays);
      if (match) return { ...earlier, match };
    }
    return null;
  }
}

function candidateOf(history: RecordHistoryData): DuplicateCandidate {
  const sign = history.steps.find((s) => s.type === 'Sign');
  const signData = sign?.type === 'Sign' ? sign.data : null;
  const landing = history.steps.find((s) => s.type === 'Land');
  return {
    projectId: history.lead.projectId,
    name: history.lead.name,
    region: history.lead.region,
    investorName: history.lead.investor.name,
    creditCode: landing?.type === 'Land' ? (landing.data.creditCode ?? null) : null,
    contractNumber: signData?.contractNumber ?? null,
    date: signData?.contractDate ?? history.lead.leadDate,
  };
}

function refusalOf(error: unknown): Refusal | null {
  if (!(error instanceof WorkflowUpdateFailedError)) return null;
  const cause = error.cause;
  if (!(cause instanceof ClientApplicationFailure) || cause.type !== FAILURE_TYPES.refused) return null;
  return (cause.details?.[0] as Refusal | undefined) ?? null;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

export function createLedgerImportActivities(
  dataSource: DataSource,
  client: Client,
  options: { duplicateWindowDays?: number } = {},
) {
  const windowDays = options.duplicateWindowDays ?? DEFAULT_DUPLICATE_WINDOW_DAYS;
  const load = async (importId: string): Promise<ImportRecord | undefined> => {
    const [row] = await dataSource.query<ImportRecord[]>(
      `SELECT file_name, file_sha256, file, sheet, mapping, actor, created_by, run FROM imports WHERE import_id = $1`,
      [importId],
    );
    return row;
  };

  const fail = async (importId: string, run: number | null, error: string): Promise<void> => {
    await dataSource.query(
      `UPDATE imports SET status = 'failed', error = $3, finished_at = now()
       WHERE import_id = $1 AND ($2::int IS NULL OR run = $2)`,
      [importId, run, error],
    );
  };

  /** The dry run of one row: the file's values parsed, then decided as the workflow would decide them. */
  const analyseRow = (
    sheet: LedgerSheet,
    row: LedgerSheet['rows'][number],
    parsed: ReturnType<typeof rowToHistory>,
    ctx: {
      headers: ImportHeader[];
      mapping: ColumnMapping;
      imp: ImportRecord;
      importId: string;
      today: string;
      now: string;
      states: Map<string, ProjectState>;
    },
  ): AnalysedRow => {
    const base = {
      row: row.rowNumber,
      projectId: null,
      name: null,
      key: null,
      rowHash: null,
      history: null,
      problems: [] as CellProblem[],
      changes: [] as ImportChange[],
      duplicateOf: null,
    };
    if (!parsed.ok) return { ...base, outcome: 'bad', problems: parsed.problems };
    const projectId = ledgerProjectId(parsed.key);
    const history: RecordHistoryData = {
      lead: { ...parsed.lead, projectId },
      steps: parsed.steps,
      source: {
        importId: ctx.importId,
        fileName: ctx.imp.file_name,
        fileSha256: ctx.imp.file_sha256,
        sheet: sheet.sheet,
        row: row.rowNumber,
        key: parsed.key,
        rowHash: parsed.rowHash,
      },
    };
    const found = {
      ...base,
      projectId,
      name: history.lead.name,
      key: parsed.key,
      rowHash: parsed.rowHash,
      history,
    };
    const state = ctx.states.get(projectId) ?? initialState;
    const command: ProjectCommand = { type: 'RecordHistory', data: history };
    // Decided as the project workflow's validator decides it: without the deadlines' rules, which
    // only add the alerts that fell due between the steps (never a refusal, and no column of the
    // ledger), and cost ten times the rest of the decision.
    const decision = decide(command, state, { actor: ctx.imp.actor, now: ctx.now });
    if (decision.outcome === 'refused') {
      if (decision.refusal.code === 'HISTORY_UNCHANGED') return { ...found, outcome: 'unchanged' };
      return {
        ...found,
        outcome: 'bad',
        problems: problemsFromRefusal(decision.refusal, history, sheet.headers, ctx.mapping, row.rowNumber),
      };
    }
    if (state.exists) {
      return {
        ...found,
        outcome: 'changed',
        changes: changesBetween(state, foldEvents(decision.events, state), ctx.headers),
      };
    }
    return { ...found, outcome: 'good' };
  };

  return {
    /**
     * The dry run: the file read, its columns matched (the import's own mapping, else the person's
     * saved one), each row parsed and decided against its project's current state by the rules the
     * project workflow applies, with likely duplicates named. Nothing but the import's own tables is written. A later
     * run (the mapping changed meanwhile) wins: this one's results are then dropped.
     */
    async analyseLedgerImport(input: { importId: string; run: number }): Promise<LedgerImportResult> {
      const { importId, run } = input;
      const imp = await load(importId);
      if (!imp || imp.run !== run) return { importId, status: 'superseded', rows: 0 };
      let sheet: LedgerSheet;
      try {
        sheet = await readLedger(imp.file, imp.file_name, imp.sheet ? { sheet: imp.sheet } : undefined);
      } catch (e) {
        // A file nobody can read is the file's fault, not a reason to retry.
        const why = e instanceof LedgerReadError ? e.zh : e instanceof Error ? e.message : String(e);
        await fail(importId, run, `文件无法读取:${why}`);
        return { importId, status: 'failed', rows: 0 };
      }
      heartbeat();
      const [saved] = imp.mapping
        ? [{ mapping: imp.mapping }]
        : await dataSource.query<{ mapping: Record<string, LedgerColumnKey | null> }[]>(
            `SELECT mapping FROM import_mappings WHERE person_id = $1`,
            [imp.created_by],
          );
      const mapping = matchColumns(sheet.headers, saved?.mapping);
      const headers: ImportHeader[] = sheet.headers.map((header) => ({
        header,
        key: mapping[header]?.key ?? null,
        unit: mapping[header]?.unit ?? null,
      }));
      await dataSource.query(
        `UPDATE imports SET sheets = $3, sheet = $4, headers = $5, progress_total = $6, progress_done = 0
         WHERE import_id = $1 AND run = $2`,
        [importId, run, sheet.sheets, sheet.sheet, JSON.stringify(headers), sheet.rows.length],
      );

      const now = new Date().toISOString();
      const today = shanghaiDate(now);
      // 服务专员 as the export writes them: by name (one person of that name in the directory), or by id.
      const directory = await dataSource.query<{ person_id: string; name: string }[]>(
        `SELECT person_id, name FROM people WHERE active`,
      );
      const personIds = new Set(directory.map((p) => p.person_id));
      const byName = new Map<string, string | null>();
      for (const p of directory) byName.set(p.name, byName.has(p.name) ? null : p.person_id);
      const people = (text: string) => (personIds.has(text) ? text : (byName.get(text.trim()) ?? null));
      // Each row parsed once; its project's state read with the others' in one statement.
      const parsed = sheet.rows.map((row) =>
        rowToHistory(row, sheet.headers, mapping, { projectId: importId, today, people }),
      );
      const ids = [...new Set(parsed.flatMap((p) => (p.ok ? [ledgerProjectId(p.key)] : [])))];
      const states = new Map<string, ProjectState>();
      const stateRows = await dataSource.query<{ project_id: string; state: ProjectState }[]>(
        `SELECT project_id, state FROM projects WHERE project_id = ANY($1)`,
        [ids],
      );
      for (const r of stateRows) states.set(r.project_id, r.state);
      heartbeat();

      const ctx = { headers, mapping, imp, importId, today, now, states };
      const analysed: AnalysedRow[] = [];
      for (let i = 0; i < sheet.rows.length; i++) {
        analysed.push(analyseRow(sheet, sheet.rows[i], parsed[i], ctx));
        if (i % 500 === 499) {
          heartbeat();
          await dataSource.query(`UPDATE imports SET progress_done = $3 WHERE import_id = $1 AND run = $2`, [
            importId,
            run,
            i + 1,
          ]);
        }
      }

      // Likely duplicates of the new projects: against the projects recorded (the lookup registration
      // and signing use), then against the file's earlier rows.
      const fresh = analysed.filter((r) => r.outcome === 'good' && r.history);
      const candidates = fresh.map((r) => candidateOf(r.history!));
      const recorded = await findLikelyDuplicates(dataSource.manager, candidates, windowDays);
      const index = new DuplicateIndex([], windowDays);
      for (const [i, r] of fresh.entries()) {
        const candidate = candidates[i];
        // A recorded project is named as the importer may see it; the file's own rows are theirs.
        const found = recorded[i][0];
        const earlier = found ? duplicateAsSeenBy(imp.actor, found) : index.find(candidate);
        if (earlier) {
          r.outcome = 'duplicate';
          r.duplicateOf = {
            projectId: earlier.projectId,
            name: earlier.name,
            region: earlier.region,
            match: earlier.match,
          };
        }
        index.add(candidate);
      }
      heartbeat();

      const stored = await dataSource.transaction(async (m) => {
        const [current] = await m.query<{ run: number }[]>(
          `SELECT run FROM imports WHERE import_id = $1 FOR UPDATE`,
          [importId],
        );
        if (current?.run !== run) return false;
        await m.query(`DELETE FROM import_rows WHERE import_id = $1`, [importId]);
        for (let i = 0; i < analysed.length; i += INSERT_BATCH) {
          const batch = analysed.slice(i, i + INSERT_BATCH);
          await m.query(
            `INSERT INTO import_rows (import_id, row_number, outcome, analysed, project_id, name, key, row_hash,
                                      history, problems, changes, duplicate_of)
             SELECT $1, r.row_number, r.outcome, r.outcome, r.project_id, r.name, r.key, r.row_hash,
                    r.history, r.problems, r.changes, r.duplicate_of
             FROM jsonb_to_recordset($2::jsonb) AS r(row_number int, outcome text, project_id uuid, name text,
                    key text, row_hash text, history jsonb, problems jsonb, changes jsonb, duplicate_of jsonb)
             ON CONFLICT (import_id, row_number) DO NOTHING`,
            [
              importId,
              JSON.stringify(
                batch.map((r) => ({
                  row_number: r.row,
                  outcome: r.outcome,
                  project_id: r.projectId,
                  name: r.name,
                  key: r.key,
                  row_hash: r.rowHash,
                  history: r.history,
                  problems: r.problems,
                  changes: r.changes,
                  duplicate_of: r.duplicateOf,
                })),
              ),
            ],
          );
          heartbeat();
        }
        await m.query(
          `UPDATE imports SET status = 'analysed', progress_done = progress_total, error = NULL
           WHERE import_id = $1 AND run = $2`,
          [importId, run],
        );
        return true;
      });
      return { importId, status: stored ? 'analysed' : 'superseded', rows: analysed.length };
    },

    /**
     * Imports the next `limit` confirmed rows: one RecordHistory per row, through the project's
     * workflow (started with it when new), several at once. A row refused now is recorded as failed
     * with its problems; the others go on. Answers how many confirmed rows are still to do.
     */
    async importLedgerRows(input: {
      importId: string;
      limit: number;
    }): Promise<{ done: number; remaining: number }> {
      const { importId, limit } = input;
      const imp = await load(importId);
      if (!imp) return { done: 0, remaining: 0 };
      const [meta] = await dataSource.query<{ headers: ImportHeader[] }[]>(
        `SELECT headers FROM imports WHERE import_id = $1`,
        [importId],
      );
      const headers = meta.headers;
      const mapping = mappingOf(headers);
      const rows = await dataSource.query<
        {
          row_number: number;
          project_id: string;
          key: string;
          row_hash: string;
          history: RecordHistoryData;
          confirmation: { of: string; match: DuplicateMatch; reason: string } | null;
        }[]
      >(
        `SELECT row_number, project_id, key, row_hash, history, confirmation FROM import_rows
         WHERE import_id = $1 AND selected AND outcome NOT IN ('imported', 'failed', 'unchanged')
         ORDER BY row_number LIMIT $2`,
        [importId, limit],
      );
      const taskQueue = Context.current().info.taskQueue;
      // Read once a page, so that each new project's workflow starts with them instead of loading them.
      const rules = {
        policy: await currentPolicy(dataSource.manager),
        calendar: calendarReference(await currentCalendar(dataSource.manager)),
      };
      // Outcomes are written a few dozen at a time: one statement instead of one a row, and the
      // progress still moves every second or two. A page cut short repeats its rows' (idempotent) commands.
      let outcomes: { row_number: number; outcome: ImportRowOutcome; problems: CellProblem[] | null }[] = [];
      const flush = async () => {
        if (outcomes.length === 0) return;
        const batch = outcomes;
        outcomes = [];
        await dataSource.query(
          `UPDATE import_rows AS t SET outcome = r.outcome,
                  problems = CASE WHEN r.outcome = 'failed' THEN r.problems ELSE t.problems END
           FROM jsonb_to_recordset($2::jsonb) AS r(row_number int, outcome text, problems jsonb)
           WHERE t.import_id = $1 AND t.row_number = r.row_number`,
          [importId, JSON.stringify(batch)],
        );
      };
      const record = async (row: number, outcome: ImportRowOutcome, problems: CellProblem[] = []) => {
        outcomes.push({ row_number: row, outcome, problems: outcome === 'failed' ? problems : null });
        if (outcomes.length >= OUTCOMES_BATCH) await flush();
      };
      let sinceHeartbeat = 0;
      await eachBounded(rows, IMPORT_CONCURRENCY, async (r) => {
        const history: RecordHistoryData = r.confirmation
          ? { ...r.history, duplicateConfirmation: r.confirmation }
          : r.history;
        const envelope: CommandEnvelope = {
          commandId: ledgerCommandId(r.key, r.row_hash),
          actor: imp.actor,
          command: { type: 'RecordHistory', data: history },
        };
        const workflowInput: ProjectWorkflowInput = { projectId: r.project_id, rules };
        for (let attempt = 1; ; attempt++) {
          try {
            await client.withDeadline(Date.now() + ROW_UPDATE_TIMEOUT_MS, () =>
              client.workflow.executeUpdateWithStart(executeCommand, {
                args: [envelope],
                startWorkflowOperation: new WithStartWorkflowOperation(PROJECT_WORKFLOW_TYPE, {
                  workflowId: projectWorkflowId(r.project_id),
                  taskQueue,
                  args: [workflowInput],
                  workflowIdConflictPolicy: 'USE_EXISTING',
                }),
              }),
            );
            await record(r.row_number, 'imported');
            break;
          } catch (e) {
            const refused = refusalOf(e);
            if (refused?.code === 'HISTORY_UNCHANGED') {
              await record(r.row_number, 'unchanged');
              break;
            }
            if (refused) {
              const problems = problemsFromRefusal(
                refused,
                history,
                headersOf(headers),
                mapping,
                r.row_number,
              );
              await record(r.row_number, 'failed', problems);
              break;
            }
            if (attempt >= ROW_ATTEMPTS) {
              await record(r.row_number, 'failed', [
                {
                  row: r.row_number,
                  column: '',
                  key: null,
                  value: '',
                  rule: 'IMPORT_FAILED',
                  message: `导入失败:${e instanceof Error ? e.message : String(e)}`,
                },
              ]);
              break;
            }
          }
        }
        if (++sinceHeartbeat % 20 === 0) heartbeat();
      });
      await flush();
      const [{ done, remaining }] = await dataSource.query<{ done: number; remaining: number }[]>(
        `SELECT count(*) FILTER (WHERE outcome IN ('imported', 'failed', 'unchanged'))::int AS done,
                count(*) FILTER (WHERE outcome NOT IN ('imported', 'failed', 'unchanged'))::int AS remaining
         FROM import_rows WHERE import_id = $1 AND selected`,
        [importId],
      );
      await dataSource.query(`UPDATE imports SET progress_done = $2 WHERE import_id = $1`, [importId, done]);
      return { done, remaining };
    },

    /** The import's last word: done, or failed with why. */
    async finishLedgerImport(input: {
      importId: string;
      status: 'analysed' | 'done' | 'failed';
      run?: number;
      error?: string;
    }): Promise<void> {
      if (input.status === 'failed')
        return fail(input.importId, input.run ?? null, input.error ?? '导入失败');
      await dataSource.query(
        `UPDATE imports SET status = $2, finished_at = CASE WHEN $2 = 'done' THEN now() ELSE finished_at END
         WHERE import_id = $1`,
        [input.importId, input.status],
      );
    },
  };
}

const headersOf = (headers: ImportHeader[]): string[] => headers.map((h) => h.header);

export type LedgerImportActivities = ReturnType<typeof createLedgerImportActivities>;
