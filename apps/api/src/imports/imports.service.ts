import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Environment } from '@app/config';
import { mayReadWorkOf, type Actor } from '@app/domain';
import { LEDGER_COLUMNS, markProblems, type CellProblem } from '@app/ledger';
import { stableUuid } from '@app/persistence';
import {
  LEDGER_IMPORT_WORKFLOW_TYPE,
  ledgerImportWorkflowId,
  type LedgerImportInput,
  type LedgerImportResult,
  type LedgerImportStep,
} from '@app/workflow-interface/ledger-import';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';
import { PeopleQueries } from '../people/people.queries';
import type {
  ConfirmImportDto,
  ImportRowPageView,
  ImportView,
  LedgerColumnView,
  ListImportRowsQuery,
  RemapImportDto,
  SavedMappingView,
} from './import.dto';
import { ImportQueries, type ImportRow } from './import.queries';

/** What multer hands the route for the `file` field (memory storage). */
export interface UploadedLedgerFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export const DEFAULT_DUPLICATE_REASON = '导入时确认不是重复项目';
const COLUMN_KEYS = new Set<string>(LEDGER_COLUMNS.map((c) => c.key));
/** A zip archive's first bytes: every .xlsx is one. */
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function problem(
  status: number,
  slug: string,
  title: string,
  errors: { field: string; rule: string; message: string }[],
  extra: Record<string, unknown> = {},
): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}${slug}`,
    title,
    status,
    detail: errors.map((e) => e.message).join('; '),
    errors,
    ...extra,
  });
}

function notFound(importId: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}not-found`,
    title: 'No such import',
    status: HttpStatus.NOT_FOUND,
    detail: `import ${importId} does not exist`,
    code: 'IMPORT_NOT_FOUND',
  });
}

/**
 * Multer reads a part's file name as latin1 (busboy's default); browsers send UTF-8, so a Chinese
 * name arrives as mojibake. Its bytes read again as UTF-8 give the name back, unless they are not
 * UTF-8 (a client that sent latin1 indeed).
 */
export function uploadedFileName(originalname: string): string {
  const utf8 = Buffer.from(originalname, 'latin1').toString('utf8');
  const name = utf8.includes('\ufffd') ? originalname : utf8;
  // Only the last part of a path a client may send, without control characters.
  return (name.split(/[\\/]/).pop() ?? name).replace(/[\p{Cc}]/gu, '').slice(0, 255) || 'ledger';
}

/** Checks the file is a workbook or a text CSV, so that a wrong upload is told at once. */
export function fileKind(file: UploadedLedgerFile | undefined, fileName: string): 'xlsx' | 'csv' {
  if (!file) {
    throw problem(HttpStatus.BAD_REQUEST, 'validation', 'The request is not valid', [
      { field: 'file', rule: 'required', message: 'file is required: the 台账 as .xlsx or .csv' },
    ]);
  }
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension !== 'xlsx' && extension !== 'csv') {
    throw problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type', 'Unsupported file type', [
      {
        field: 'file',
        rule: 'fileType',
        message: `file must be an .xlsx workbook or a .csv file (UTF-8 or GBK), not ${extension ? `.${extension}` : 'a file without extension'}`,
      },
    ]);
  }
  if (file.size === 0) {
    throw problem(HttpStatus.UNPROCESSABLE_ENTITY, 'validation', 'The file is empty', [
      { field: 'file', rule: 'notEmpty', message: 'file is empty' },
    ]);
  }
  if (extension === 'xlsx' && !file.buffer.subarray(0, 4).equals(ZIP_SIGNATURE)) {
    throw problem(HttpStatus.UNPROCESSABLE_ENTITY, 'validation', 'The file is not a workbook', [
      { field: 'file', rule: 'fileContent', message: 'file is named .xlsx but is not an Excel workbook' },
    ]);
  }
  if (extension === 'csv' && file.buffer.subarray(0, 65536).includes(0)) {
    throw problem(HttpStatus.UNPROCESSABLE_ENTITY, 'validation', 'The file is not text', [
      { field: 'file', rule: 'fileContent', message: 'file is named .csv but is not text (UTF-8 or GBK)' },
    ]);
  }
  return extension;
}

/** A mapping as sent: header → column key or null; any other value is named. */
export function checkedMapping(value: unknown, field: string): Record<string, string | null> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw problem(HttpStatus.BAD_REQUEST, 'validation', 'The request is not valid', [
      { field, rule: 'isObject', message: `${field} must be an object of header → column key (or null)` },
    ]);
  }
  const errors = Object.entries(value as Record<string, unknown>).flatMap(([header, key]) =>
    key === null || (typeof key === 'string' && COLUMN_KEYS.has(key))
      ? []
      : [
          {
            field: `${field}.${header}`,
            rule: 'isColumnKey',
            message: `${field}.${header} must be a column key of GET /api/ledger/columns, or null`,
          },
        ],
  );
  if (Object.keys(value).length > 500) {
    errors.push({ field, rule: 'maxKeys', message: `${field} may name at most 500 headers` });
  }
  if (errors.length) throw problem(HttpStatus.BAD_REQUEST, 'validation', 'The request is not valid', errors);
  return value as Record<string, string | null>;
}

@Injectable()
export class ImportsService {
  constructor(
    private readonly queries: ImportQueries,
    private readonly people: PeopleQueries,
    private readonly temporal: Client,
    private readonly env: Environment,
  ) {}

  /**
   * Stores the file and starts its dry run. The import's id comes from the caller and their
   * Idempotency-Key, so a repeated upload answers the first one's import.
   */
  async upload(
    actor: Actor,
    idempotencyKey: string,
    file: UploadedLedgerFile | undefined,
    fields: { sheet?: string; mapping?: string },
  ): Promise<ImportView> {
    const fileName = uploadedFileName(file?.originalname ?? '');
    fileKind(file, fileName);
    let mapping: Record<string, string | null> | null = null;
    if (fields.mapping !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fields.mapping);
      } catch {
        throw problem(HttpStatus.BAD_REQUEST, 'validation', 'The request is not valid', [
          { field: 'mapping', rule: 'isJson', message: 'mapping must be JSON text' },
        ]);
      }
      mapping = checkedMapping(parsed, 'mapping');
    }
    const importId = stableUuid('ledger-import', actor.id, idempotencyKey);
    const fileSha256 = createHash('sha256').update(file!.buffer).digest('hex');
    const inserted = await this.queries.insert({
      importId,
      fileName,
      fileSha256,
      file: file!.buffer,
      sheet: fields.sheet ?? null,
      mapping,
      actor,
    });
    const stored = inserted ? undefined : await this.queries.find(importId);
    if (stored && stored.file_sha256 !== fileSha256) {
      throw problem(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'idempotency-key-reused',
        'Idempotency-Key was used for a different request',
        [
          {
            field: 'Idempotency-Key',
            rule: 'reused',
            message: 'this key already uploaded a different file; use a new key for a new upload',
          },
        ],
      );
    }
    // Started again on a repeat too: a first attempt may have stored the file and then lost Temporal.
    if (!stored || stored.status === 'analysing') await this.start(importId, 'analyse', stored?.run ?? 1);
    return this.get(actor, importId);
  }

  async list(actor: Actor): Promise<ImportView[]> {
    const rows = await this.queries.listBy(actor.id, 100);
    const names = await this.people.names(rows.map((r) => r.created_by));
    return rows.map((r) => view(r, names.get(r.created_by) ?? null));
  }

  async get(actor: Actor, importId: string): Promise<ImportView> {
    const row = await this.readable(actor, importId);
    const names = await this.people.names([row.created_by]);
    return view(row, names.get(row.created_by) ?? null);
  }

  async rows(actor: Actor, importId: string, query: ListImportRowsQuery): Promise<ImportRowPageView> {
    await this.readable(actor, importId);
    const rows = await this.queries.rows(importId, {
      outcome: query.outcome,
      // A cursor past any row number reads as the end, not as a value the column cannot hold.
      after: query.cursor ? Math.min(Number(query.cursor), 2_147_483_647) : 0,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => ({
        row: r.row_number,
        outcome: r.outcome,
        projectId: r.project_id,
        name: r.name,
        problems: r.problems as ImportRowPageView['items'][number]['problems'],
        changes: r.changes as ImportRowPageView['items'][number]['changes'],
        duplicateOf: r.duplicate_of,
      })),
      nextCursor: rows.length > query.limit ? String(page[page.length - 1].row_number) : null,
    };
  }

  /** Another dry run with the columns (and sheet) the person chose; kept as theirs when asked. */
  async remap(actor: Actor, importId: string, dto: RemapImportDto): Promise<ImportView> {
    const row = await this.owned(actor, importId);
    const mapping = checkedMapping(dto.mapping, 'mapping');
    const run = await this.queries.remap(importId, { sheet: dto.sheet, mapping });
    if (run === null) throw this.pastDryRun(row.status);
    if (dto.save) await this.queries.saveMapping(actor.id, mapping);
    await this.start(importId, 'analyse', run);
    return this.get(actor, importId);
  }

  /** The file as uploaded, its bad cells filled and commented, a 错误说明 column added. */
  async marked(actor: Actor, importId: string): Promise<{ fileName: string; body: Buffer }> {
    const row = await this.readable(actor, importId);
    if (row.status === 'analysing' || row.status === 'failed') {
      throw problem(HttpStatus.CONFLICT, 'import-not-analysed', 'The file has not been analysed', [
        {
          field: 'status',
          rule: 'analysed',
          message:
            row.status === 'failed'
              ? `the file could not be analysed: ${row.error ?? ''}`
              : 'the dry run is still going on; read the import again shortly',
        },
      ]);
    }
    const file = await this.queries.file(importId);
    const problems = (await this.queries.problems(importId)) as CellProblem[];
    const body = await markProblems(file!.file, file!.file_name, row.sheet, problems);
    const base = row.file_name.replace(/\.[^.]+$/, '');
    return { fileName: `${base}-错误标注.xlsx`, body };
  }

  /** Imports the rows chosen (by default every good and changed row); duplicates only when named. */
  async confirm(actor: Actor, importId: string, dto: ConfirmImportDto): Promise<ImportView> {
    const row = await this.owned(actor, importId);
    if (row.status === 'importing' || row.status === 'done') return this.get(actor, importId);
    if (row.status !== 'analysed') throw this.notReady(row);
    const duplicates = [...new Set(dto.confirmDuplicates ?? [])];
    const rows = dto.rows ? [...new Set(dto.rows)] : null;
    const named = [...new Set([...(rows ?? []), ...duplicates])];
    const outcomes = new Map(
      (await this.queries.analysedOutcomes(importId, named)).map((r) => [r.row_number, r.analysed]),
    );
    const errors: { field: string; rule: string; message: string }[] = [];
    (rows ?? []).forEach((n, i) => {
      const outcome = outcomes.get(n);
      if (outcome === 'good' || outcome === 'changed') return;
      if (outcome === 'duplicate' && duplicates.includes(n)) return;
      errors.push({
        field: `rows[${i}]`,
        rule: outcome === 'duplicate' ? 'duplicateNotConfirmed' : 'importable',
        message:
          outcome === undefined
            ? `row ${n} is not a row of the file`
            : outcome === 'duplicate'
              ? `row ${n} looks like a project already recorded: list it in confirmDuplicates to import it`
              : `row ${n} is ${outcome}: only good and changed rows are imported`,
      });
    });
    duplicates.forEach((n, i) => {
      if (outcomes.get(n) !== 'duplicate')
        errors.push({
          field: `confirmDuplicates[${i}]`,
          rule: 'duplicate',
          message: `row ${n} was not flagged as a likely duplicate`,
        });
    });
    if (errors.length) {
      throw problem(HttpStatus.UNPROCESSABLE_ENTITY, 'validation', 'Some rows cannot be imported', errors);
    }
    const selected = await this.queries.confirm(importId, {
      rows,
      duplicates,
      reason: dto.reason ?? DEFAULT_DUPLICATE_REASON,
    });
    if (selected === null) return this.get(actor, importId);
    if (selected > 0) await this.start(importId, 'import', row.run);
    return this.get(actor, importId);
  }

  columns(): LedgerColumnView[] {
    return LEDGER_COLUMNS.map((c) => ({
      key: c.key,
      header: c.header,
      synonyms: [...c.synonyms],
      kind: String(c.kind),
    }));
  }

  async savedMapping(actor: Actor): Promise<SavedMappingView> {
    const saved = await this.queries.savedMapping(actor.id);
    return { mapping: saved?.mapping ?? {}, updatedAt: saved?.updated_at.toISOString() ?? null };
  }

  /** The step's workflow; already started (a repeated request) is fine. */
  private async start(importId: string, step: LedgerImportStep, run: number): Promise<void> {
    const input: LedgerImportInput = { importId, step, run };
    try {
      await this.temporal.workflow.start<(i: LedgerImportInput) => Promise<LedgerImportResult>>(
        LEDGER_IMPORT_WORKFLOW_TYPE,
        {
          workflowId: ledgerImportWorkflowId(importId, step, run),
          taskQueue: this.env.TEMPORAL_TASK_QUEUE,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        },
      );
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
  }

  /** The person's own imports, and anyone's for those who read everywhere (the domain's mayReadWorkOf). */
  private async readable(actor: Actor, importId: string): Promise<ImportRow> {
    const row = await this.queries.find(importId);
    if (!row || !mayReadWorkOf(actor, row.created_by)) {
      throw notFound(importId);
    }
    return row;
  }

  private async owned(actor: Actor, importId: string): Promise<ImportRow> {
    const row = await this.queries.find(importId);
    if (!row || row.created_by !== actor.id) throw notFound(importId);
    return row;
  }

  private pastDryRun(status: string): ProblemException {
    return problem(HttpStatus.CONFLICT, 'import-confirmed', 'The import has been confirmed', [
      {
        field: 'status',
        rule: 'notConfirmed',
        message: `the import is ${status}: its mapping can no longer change`,
      },
    ]);
  }

  private notReady(row: ImportRow): ProblemException {
    return problem(HttpStatus.CONFLICT, 'import-not-analysed', 'The file has not been analysed', [
      {
        field: 'status',
        rule: 'analysed',
        message:
          row.status === 'failed'
            ? `the file could not be analysed: ${row.error ?? ''}`
            : 'the dry run is still going on; confirm once the import is analysed',
      },
    ]);
  }
}

function view(r: ImportRow, createdByName: string | null): ImportView {
  const total = r.progress_total;
  const done = Math.min(r.progress_done, total);
  return {
    importId: r.import_id,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    sheets: r.sheets,
    sheet: r.sheet,
    status: r.status,
    headers: r.headers,
    progress: {
      total,
      done,
      percent:
        r.status === 'done' || r.status === 'analysed'
          ? 100
          : total === 0
            ? 0
            : Math.floor((done / total) * 100),
    },
    counts: {
      rows: r.rows,
      good: r.good,
      bad: r.bad,
      unchanged: r.unchanged,
      changed: r.changed,
      duplicates: r.duplicates,
      imported: r.imported,
      failed: r.failed,
    },
    createdBy: r.created_by,
    createdByName,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    error: r.error,
  };
}
