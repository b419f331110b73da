import type { ErrorBodyDetail } from "@pricegraph/shared/api";
import { readApiKey, readCsrfToken } from "../app/auth.ts";

/** A detail of the API's error body; plan problems also name the node. */
export type ApiErrorDetail = ErrorBodyDetail & { nodeId?: string };

/** An error the API answered with (`{ error: { code, message, details } }`), or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  /** Overrides the stored key (sign-in verifies a key before storing it). */
  apiKey?: string;
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`: a retried POST answers the first response and changes nothing twice. */
  idempotencyKey?: string;
}

/** Calls the Pricegraph API under `/v1` with the tenant's bearer key; throws ApiError on anything but 2xx. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const key = options.apiKey ?? readApiKey();
  const headers: Record<string, string> = { accept: "application/json" };
  const method = options.method ?? "GET";
  if (key) headers.authorization = `Bearer ${key}`;
  else if (method !== "GET") {
    // Signed in with the session cookie: unsafe requests echo the CSRF token.
    const csrf = readCsrfToken();
    if (csrf) headers["x-csrf-token"] = csrf;
  }
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(`/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "The server could not be reached");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let payload: unknown = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } })
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? (response.statusText || "Request failed"),
      error?.details ?? [],
    );
  }
  return payload as T;
}
