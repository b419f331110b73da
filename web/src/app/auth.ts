const STORAGE_KEY = "pricegraph.apiKey";
const CSRF_COOKIE = "pricegraph_csrf";

/**
 * How the app is signed in: people sign in with e-mail and password (an httpOnly session cookie the page never
 * sees, plus a readable CSRF cookie); machines and developers may paste an API key instead, kept in
 * localStorage so a reload stays signed in.
 */
export function readApiKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeApiKey(key: string | null) {
  if (key) localStorage.setItem(STORAGE_KEY, key);
  else localStorage.removeItem(STORAGE_KEY);
}

/** The session's CSRF token (double-submit: echoed in `X-CSRF-Token` on unsafe requests); null without a session. */
export function readCsrfToken(): string | null {
  const match = document.cookie.split("; ").find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : null;
}
