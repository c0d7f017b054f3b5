/** The caller's bearer token, kept for this browser tab only (sessionStorage). */
const KEY = 'lifecycle.token';

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function keepToken(token: string): void {
  sessionStorage.setItem(KEY, token);
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
