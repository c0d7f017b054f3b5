import { api } from './client';
import type { FieldError } from './write';

/*
 * The 台账's routes (import, export, periodic forms, confirmed duplicates) as the console calls
 * them, through the typed client's middleware (the token, a 401's return to sign-in). Their views
 * are typed here as the API documents them, so that each page reads one shape.
 */

/** Why two projects look like one counted twice (the domain's DuplicateMatch). */
export type DuplicateMatch = 'contract_number' | 'credit_code' | 'investor_name';

export type ImportStatus = 'analysing' | 'analysed' | 'importing' | 'done' | 'failed';
export type RowOutcome = 'good' | 'bad' | 'changed' | 'unchanged' | 'duplicate' | 'imported' | 'failed';
export type AmountUnit = 'yuan' | 'wan' | 'yi';

export interface ImportView {
  importId: string;
  fileName: string;
  fileSha256: string;
  sheets: string[];
  sheet: string | null;
  status: ImportStatus;
  headers: { header: string; key: string | null; unit: AmountUnit | null }[];
  progress: { total: number; done: number; percent: number };
  counts: {
    rows: number;
    good: number;
    bad: number;
    unchanged: number;
    changed: number;
    duplicates: number;
    imported: number;
    failed: number;
  };
  createdBy: string;
  createdByName: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface CellProblem {
  row: number;
  column: string;
  key: string | null;
  value: string;
  rule: string;
  message: string;
}

export interface ImportRowView {
  row: number;
  outcome: RowOutcome;
  projectId: string | null;
  name: string | null;
  problems: CellProblem[];
  changes: { column: string; from: string | null; to: string | null }[];
  duplicateOf: { projectId: string; name: string; region: string; match: DuplicateMatch } | null;
}

export interface LedgerColumn {
  key: string;
  header: string;
  synonyms: string[];
  kind: string;
}

/** A project as the periodic forms list it. */
export interface PeriodicProject {
  projectId: string;
  name: string;
  region: string;
  investorName: string;
  stage: string;
  serviceOfficerId: string | null;
  serviceOfficerName: string | null;
}
export interface ProgressEntry extends PeriodicProject {
  date: string;
  /** yuan, exact */
  amount: string;
}
export interface ProgressGroup {
  count: number;
  amount: string;
  items: ProgressEntry[];
}
export interface RedLightReason {
  deadlineId: string;
  rule: string;
  ruleLabel: string;
  step: string;
  dueDate: string;
  rung: number;
  addressedTo: string;
  light: string;
}
export interface PeriodicReport {
  kind: 'weekly' | 'monthly';
  period: string;
  label: string;
  firstDay: string;
  lastDay: string;
  region: string | null;
  asOf: string;
  staleAfterDays: number;
  progress: Record<'signed' | 'landed' | 'started' | 'inStats' | 'producing', ProgressGroup>;
  funds: { total: string; items: (PeriodicProject & { amount: string })[] };
  redLights: (PeriodicProject & { reasons: RedLightReason[] })[];
  stale: (PeriodicProject & { lastActivityDate: string | null; daysWithoutUpdate: number | null })[];
}

/** One side of a confirmed pair; name and region are null when the read model lacks the project. */
export interface DuplicatePairProject {
  projectId: string;
  name: string | null;
  region: string | null;
}
export interface DuplicatePairView {
  eventId: string;
  /** The later project, which was flagged. */
  project: DuplicatePairProject;
  /** The earlier project it was flagged against. */
  of: DuplicatePairProject;
  match: DuplicateMatch;
  matchLabel: string;
  reason: string;
  point: 'registration' | 'signing' | 'import';
  confirmedBy: { id: string; role: string; name: string | null };
  confirmedAt: string;
  businessTime: string;
}

/** The earlier project a 409 LIKELY_DUPLICATE names. */
export interface LikelyDuplicate {
  projectId: string;
  name: string;
  region: string;
  match: DuplicateMatch;
  matchLabel: string;
  date: string;
}

interface Init {
  body?: unknown;
  headers?: Record<string, string>;
  parseAs?: 'json' | 'blob';
}
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}
/** The typed client's request, for paths its generated schema may not list yet. */
type Request = (method: 'get' | 'post' | 'put', url: string, init?: Init) => Promise<Answer>;
const send = (api.request as unknown as Request).bind(api);

/** A query string from the values given, blank ones left out. */
export function queryString(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A read's answer: its view, or the problem to tell. */
export type Read<T> =
  | { data: T; error?: undefined; response: Response }
  | { data?: undefined; error: unknown; response: Response };

async function read<T>(url: string): Promise<Read<T>> {
  const { data, error, response } = await send('get', url);
  return response.ok ? { data: data as T, response } : { error: error ?? {}, response };
}

export const ledgerRoutes = {
  imports: () => read<{ items: ImportView[] }>('/api/imports'),
  import: (id: string) => read<ImportView>(`/api/imports/${encodeURIComponent(id)}`),
  rows: (id: string, query: { outcome?: RowOutcome; cursor?: string; limit?: number }) =>
    read<{ items: ImportRowView[]; nextCursor: string | null }>(
      `/api/imports/${encodeURIComponent(id)}/rows${queryString(query)}`,
    ),
  columns: () => read<LedgerColumn[]>('/api/ledger/columns'),
  savedMapping: () =>
    read<Record<string, string | null> | { mapping: Record<string, string | null> }>('/api/import-mappings'),
  periodic: (query: { kind: string; period: string; region?: string }) =>
    read<PeriodicReport>(`/api/reports/periodic${queryString(query)}`),
  duplicates: (query: { region?: string; cursor?: string; limit?: number }) =>
    read<{ items: DuplicatePairView[]; nextCursor: string | null }>(`/api/duplicates${queryString(query)}`),

  /** Uploads a file for its dry run (multipart: file, sheet, mapping as JSON text). */
  upload: (
    file: File,
    options: { sheet?: string; mapping?: Record<string, string | null> },
    headers: Record<string, string>,
  ) => {
    const form = new FormData();
    form.append('file', file, file.name);
    if (options.sheet) form.append('sheet', options.sheet);
    if (options.mapping) form.append('mapping', JSON.stringify(options.mapping));
    // FormData: the browser writes the multipart Content-Type with its boundary.
    return send('post', '/api/imports', { body: form, headers });
  },
  remap: (
    id: string,
    body: { sheet?: string; mapping: Record<string, string | null>; save?: boolean },
    headers: Record<string, string>,
  ) => send('put', `/api/imports/${encodeURIComponent(id)}/mapping`, { body, headers }),
  confirm: (
    id: string,
    body: { rows?: number[]; confirmDuplicates?: number[] },
    headers: Record<string, string>,
  ) => send('post', `/api/imports/${encodeURIComponent(id)}/confirm`, { body, headers }),
};

/** A refusal's field errors, as problem+json lists them. */
export function fieldErrorsOf(problem: unknown): FieldError[] {
  const errors = (problem as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? (errors as FieldError[]) : [];
}

/** The earlier projects a 409 LIKELY_DUPLICATE names, or null for any other answer. */
export function likelyDuplicates(status: number, problem: unknown): LikelyDuplicate[] | null {
  const p = (problem ?? {}) as { code?: string; duplicates?: LikelyDuplicate[]; errors?: FieldError[] };
  const flagged =
    p.code === 'LIKELY_DUPLICATE' || (p.errors ?? []).some((e) => e.rule === 'LIKELY_DUPLICATE');
  if (status !== 409 || !flagged) return null;
  return Array.isArray(p.duplicates) ? p.duplicates : [];
}

/**
 * Downloads a file the API makes (with the caller's token, which a plain link cannot send) and
 * hands it to the browser as a download named `fileName` unless the answer names its own.
 */
export async function download(
  url: string,
  fileName: string,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  let answer: Answer;
  try {
    answer = await send('get', url, { parseAs: 'blob' });
  } catch {
    return { ok: false, error: { title: '网络连接失败,请稍后重试' } };
  }
  if (!answer.response.ok || !(answer.data instanceof Blob)) return { ok: false, error: answer.error ?? {} };
  const link = document.createElement('a');
  link.href = URL.createObjectURL(answer.data);
  link.download = fileNameOf(answer.response) ?? fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the file by the time the click returns; the URL is only memory now.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return { ok: true };
}

/** The file name a Content-Disposition gives (RFC 6266's filename* first, for Chinese names). */
function fileNameOf(response: Response): string | null {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : null;
}
