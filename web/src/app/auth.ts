const STORAGE_KEY = "pricegraph.apiKey";

/** The tenant API key the app signs in with; kept in localStorage so a reload stays signed in. */
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
