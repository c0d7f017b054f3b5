import type { FormInstance } from 'antd';
import { problemText } from './client';
import { chineseRuleMessage } from './rule-messages';

/** A field the API refused, as problem+json `errors` lists it. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** What a write came to: its answer, or what the user should be told and where. */
export type WriteOutcome<T> =
  | { ok: true; data: T; etag: string | null }
  | {
      ok: false;
      status: number;
      /** 412: someone else changed the project since this page read it. */
      stale: boolean;
      /** The refusal's Chinese message, else the problem's detail or title. */
      message: string;
      fieldErrors: FieldError[];
    };

/** What an openapi-fetch call answers. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * A new Idempotency-Key. A form keeps the same key from the moment it opens until its write
 * succeeds, so that a double click or a retry after a lost answer is applied once.
 */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * Sends a write through the typed client with its Idempotency-Key and, for an existing project,
 * If-Match with the ETag the page read; a lost connection is an outcome too, never a throw.
 */
export async function sendWrite<T>(
  call: (headers: Record<string, string>) => Promise<Answer<T>>,
  options: { idempotencyKey: string; etag?: string | null },
): Promise<WriteOutcome<T>> {
  const headers: Record<string, string> = { 'Idempotency-Key': options.idempotencyKey };
  if (options.etag) headers['If-Match'] = options.etag;
  let answer: Answer<T>;
  try {
    answer = await call(headers);
  } catch {
    return { ok: false, status: 0, stale: false, message: '网络连接失败,请稍后重试', fieldErrors: [] };
  }
  const { data, error, response } = answer;
  if (response.ok && data !== undefined) {
    return { ok: true, data, etag: response.headers.get('ETag') };
  }
  const problem = (error ?? {}) as { errors?: FieldError[]; field?: string; message?: { zh?: string } };
  const stale = response.status === 412;
  // A domain refusal names its field and says it in Chinese: that is what the field shows; a
  // request's own rule (class-validator's, in English) is told in Chinese where the rule is known.
  const fieldErrors = (Array.isArray(problem.errors) ? problem.errors : []).map((e) =>
    problem.field && e.field === problem.field && problem.message?.zh
      ? { ...e, message: problem.message.zh }
      : { ...e, message: chineseRuleMessage(e) },
  );
  return {
    ok: false,
    status: response.status,
    stale,
    message: stale ? '该项目已被他人修改,请刷新后重试' : problemText(error),
    fieldErrors,
  };
}

/**
 * Shows each refused field beside its form field ('investor.creditCode' is the form's
 * ['investor', 'creditCode']; `aliases` maps a domain field to the form's name where they differ),
 * and answers the errors that no field of the form carries, to be shown as a message.
 */
export function showFieldErrors(
  form: FormInstance,
  errors: FieldError[],
  aliases: Record<string, string> = {},
): FieldError[] {
  // getFieldsValue() holds every registered field, filled in or not.
  const known = new Set(Object.keys(flatten(form.getFieldsValue() as Record<string, unknown>)));
  const byField = new Map<string, string[]>();
  const rest: FieldError[] = [];
  for (const e of errors) {
    const field = aliases[e.field] ?? e.field;
    if (known.has(field)) byField.set(field, [...(byField.get(field) ?? []), e.message]);
    else rest.push(e);
  }
  form.setFields([...byField].map(([field, messages]) => ({ name: field.split('.'), errors: messages })));
  return rest;
}

/** The dotted names of a form's values: { investor: { creditCode } } → investor.creditCode. */
function flatten(values: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    out[name] = value;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, flatten(value as Record<string, unknown>, name));
    }
  }
  return out;
}
