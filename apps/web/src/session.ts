/** The caller's bearer token, kept for this browser tab only (sessionStorage). */
const KEY = 'lifecycle.token';

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function keepToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/**
 * A token the deployment's single sign-on hands back in the address's fragment
 * (`#access_token=…`, as an OIDC implicit or front-channel return does; `id_token` when that is all
 * it gives): kept for the tab and taken out of the address, so that it is neither bookmarked nor
 * sent on as a referrer. Answers whether there was one.
 */
export function adoptTokenFromFragment(): boolean {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const token = fragment.get('access_token') ?? fragment.get('id_token');
  if (!token) return false;
  keepToken(token);
  window.history.replaceState(
    window.history.state,
    '',
    `${window.location.pathname}${window.location.search}`,
  );
  return true;
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The sign-in page, with the page the user was on so that signing in returns there. */
export function signInPath(from: string): string {
  return from && from !== '/' && !from.startsWith('/sign-in')
    ? `/sign-in?from=${encodeURIComponent(from)}`
    : '/sign-in';
}

/**
 * A write the API refused with 401 (the token expired while the user filled a form in), kept for
 * the page it was sent from so that its form can be filled in again after signing in.
 */
export interface Draft {
  method: string;
  /** The API path the write went to, e.g. /api/people/officer-7. */
  path: string;
  body: unknown;
  ifMatch: string | null;
  idempotencyKey: string | null;
}

const DRAFT_KEY = (page: string) => `lifecycle.draft:${page}`;

export function keepDraft(page: string, draft: Draft): void {
  sessionStorage.setItem(DRAFT_KEY(page), JSON.stringify(draft));
}

/** The write kept for this page (its pathname), if any; it stays until the form drops it. */
export function readDraft(page: string): Draft | null {
  const text = sessionStorage.getItem(DRAFT_KEY(page));
  if (!text) return null;
  try {
    return JSON.parse(text) as Draft;
  } catch {
    return null;
  }
}

/** The form was sent or given up: its draft is not offered again. */
export function dropDraft(page: string): void {
  sessionStorage.removeItem(DRAFT_KEY(page));
}
