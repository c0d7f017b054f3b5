import { api, type Schemas } from './client';
import type { FieldError } from './write';

/*
 * The 台账's routes (import, export, periodic forms, confirmed duplicates) as the console calls
 * them: the typed client, and the views' names the pages use.
 */

export type ImportView = Schemas['ImportView'];
export type ImportStatus = ImportView['status'];
export type ImportRowView = Schemas['ImportRowView'];
export type RowOutcome = ImportRowView['outcome'];
export type CellProblem = Schemas['CellProblemView'];
export type LedgerColumn = Schemas['LedgerColumnView'];
export type PeriodicReport = Schemas['PeriodicReportView'];
/** What every list of the periodic forms says of a project. */
export type PeriodicProject = Pick<
  Schemas['StaleEntryView'],
  'projectId' | 'name' | 'region' | 'investorName' | 'stage' | 'serviceOfficerId' | 'serviceOfficerName'
>;
export type DuplicatePairView = Schemas['DuplicatePairView'];
/** The earlier project a 409 LIKELY_DUPLICATE names. */
export type LikelyDuplicate = Schemas['LikelyDuplicateView'];

/** The write routes' Idempotency-Key, as sendWrite sets it. */
const keyHeader = (headers: Record<string, string>) => headers as { 'Idempotency-Key': string };

export const ledgerRoutes = {
  imports: () => api.GET('/api/imports'),
  import: (id: string) => api.GET('/api/imports/{id}', { params: { path: { id } } }),
  // The page size is the route's own: its OpenAPI document types `limit` as an object.
  rows: (id: string, query: { outcome?: RowOutcome; cursor?: string }) =>
    api.GET('/api/imports/{id}/rows', { params: { path: { id }, query } }),
  columns: () => api.GET('/api/ledger/columns'),
  savedMapping: () => api.GET('/api/import-mappings'),
  periodic: (query: { kind: PeriodicReport['kind']; period: string; region?: string }) =>
    api.GET('/api/reports/periodic', { params: { query } }),
  duplicates: (query: { region?: string; cursor?: string }) =>
    api.GET('/api/duplicates', { params: { query } }),

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
    // FormData as it is: the browser writes the multipart Content-Type with its boundary.
    return api.POST('/api/imports', {
      params: { header: keyHeader(headers) },
      body: form as unknown as Schemas['UploadImportForm'],
      bodySerializer: (body: unknown) => body as FormData,
    });
  },
  remap: (id: string, body: Schemas['RemapImportDto'], headers: Record<string, string>) =>
    api.PUT('/api/imports/{id}/mapping', { params: { path: { id }, header: keyHeader(headers) }, body }),
  confirm: (id: string, body: Schemas['ConfirmImportDto'], headers: Record<string, string>) =>
    api.POST('/api/imports/{id}/confirm', { params: { path: { id }, header: keyHeader(headers) }, body }),
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

/** A query string from the values given, blank ones left out. */
export function queryString(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The typed client's GET for a file whose address is built already (a list's filters as the page's
 * URL holds them), through the same middleware: the token, a 401's return to sign-in.
 */
const getFile = api.GET as unknown as (
  url: string,
  init: { parseAs: 'blob' },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/**
 * Downloads a file the API makes (with the caller's token, which a plain link cannot send) and
 * hands it to the browser as a download named `fileName` unless the answer names its own.
 */
export async function download(
  url: string,
  fileName: string,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  let answer: Awaited<ReturnType<typeof getFile>>;
  try {
    answer = await getFile(url, { parseAs: 'blob' });
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
