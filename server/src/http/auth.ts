import { isRole, type Role, routeKey, routePermissions } from "@pricegraph/shared";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Caller, Deps } from "../context.ts";
import { authenticateKey, onApiKeyRevoked } from "../modules/api-keys/service.ts";
import { type NewSession, resolveSession } from "../modules/users/sessions.ts";
import { ApiError, unauthorized } from "./errors.ts";
import type { AuthFailureLimiter } from "./security.ts";

declare module "fastify" {
  interface FastifyRequest {
    tenantId: string;
    /** The id of the API key the request authenticated with; empty for a session. */
    apiKeyId: string;
    /** The tenant and the actor behind any change this request makes. */
    caller: Caller;
    /** The role of the key or of the signed-in user in the tenant; what the permission check reads. */
    role: Role;
    /** Set when the request came with a session cookie. */
    session: { id: string; userId: string; csrfToken: string } | null;
  }
}

export const SESSION_COOKIE = "pricegraph_session";
/** Readable by the page: the double-submit CSRF token it echoes in `X-CSRF-Token`. */
export const CSRF_COOKIE = "pricegraph_csrf";
export const CSRF_HEADER = "x-csrf-token";

/** `true`/`false`, or `"auto"`: Secure when the request came over https (directly or per `X-Forwarded-Proto`). */
export type CookieSecurity = boolean | "auto";

export interface AuthOptions {
  cookieSecure: CookieSecurity;
}

const CACHE_LIMIT = 1000;
/** How long a resolved key is trusted without asking the database: how late another process sees a revocation. */
const CACHE_TTL_MS = 5000;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

interface CachedKey {
  tenantId: string;
  keyId: string;
  role: Role;
  until: number;
}

function isSecure(request: FastifyRequest, setting: CookieSecurity): boolean {
  if (setting !== "auto") return setting;
  const forwarded = request.headers["x-forwarded-proto"];
  return (
    request.protocol === "https" || (typeof forwarded === "string" && forwarded.split(",")[0] === "https")
  );
}

/** Sets the session and CSRF cookies after sign-in (httpOnly session, SameSite=Lax, Secure per configuration). */
export function setSessionCookies(reply: FastifyReply, session: NewSession, options: AuthOptions): void {
  const secure = isSecure(reply.request, options.cookieSecure);
  const common = { path: "/", sameSite: "lax" as const, secure, expires: session.expiresAt };
  reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
  reply.clearCookie(CSRF_COOKIE, { path: "/" });
}

function csrfRefused(): ApiError {
  return new ApiError(403, "CSRF_TOKEN_INVALID", "Send the session's CSRF token in the X-CSRF-Token header", [
    { path: `headers.${CSRF_HEADER}`, message: "must equal the pricegraph_csrf cookie of this session" },
  ]);
}

/**
 * Who is calling, on every route of the scope: `Authorization: Bearer <apiKey>` (machines) or the session cookie
 * (people in the browser; unsafe methods also need the CSRF header). Routes the permission table marks
 * `public` pass without either. Sets `request.caller` and `request.role`. Failed attempts (no credentials, a
 * wrong key, an ended session) count against the client address; past the limit it gets 429 before any lookup.
 */
export function registerAuth(
  app: FastifyInstance,
  deps: Pick<Deps, "db" | "clock">,
  failures: AuthFailureLimiter,
): void {
  const { db } = deps;
  // The cache spares a query per request; a revocation in this process drops the key at once.
  const cache = new Map<string, CachedKey>();
  const stopListening = onApiKeyRevoked((keyId) => {
    for (const [key, entry] of cache) if (entry.keyId === keyId) cache.delete(key);
  });
  app.addHook("onClose", async () => {
    stopListening();
  });
  app.decorateRequest("tenantId", "");
  app.decorateRequest("apiKeyId", "");
  app.decorateRequest("caller", null as unknown as Caller);
  app.decorateRequest("role", "viewer");
  app.decorateRequest("session", null);

  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const pattern = request.routeOptions.url;
    if (pattern && routePermissions[routeKey(request.method, pattern)] === "public") return;
    await failures.check(request, reply);
    const header = request.headers.authorization;
    if (header !== undefined) return authenticateWithKey(request, header);
    const token = request.cookies?.[SESSION_COOKIE];
    if (token) return authenticateWithSession(request, token);
    await failures.record(request);
    throw unauthorized("Sign in, or send an API key as `Authorization: Bearer <key>`");
  });

  async function authenticateWithKey(request: FastifyRequest, header: string | string[]) {
    const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      await failures.record(request);
      throw unauthorized("Send the API key as `Authorization: Bearer <key>`");
    }
    const key = match[1];
    let entry = cache.get(key);
    if (!entry || entry.until < Date.now()) {
      const found = key.length <= 200 ? await authenticateKey({ db }, key) : null;
      if (!found) {
        cache.delete(key);
        await failures.record(request);
        throw unauthorized("The API key is not valid");
      }
      if (cache.size >= CACHE_LIMIT) cache.clear();
      const role = isRole(found.role) ? found.role : "viewer";
      entry = { tenantId: found.tenantId, keyId: found.id, role, until: Date.now() + CACHE_TTL_MS };
      cache.set(key, entry);
    }
    request.tenantId = entry.tenantId;
    request.apiKeyId = entry.keyId;
    request.role = entry.role;
    request.caller = { tenantId: entry.tenantId, actor: { type: "api_key", id: entry.keyId } };
  }

  // Sessions are looked up on every request (no cache), so a sign-out or removal in any process ends them at once.
  async function authenticateWithSession(request: FastifyRequest, token: string) {
    const session = await resolveSession(deps, token);
    if (!session) {
      await failures.record(request);
      throw unauthorized("The session has ended; sign in again");
    }
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      throw csrfRefused();
    }
    request.tenantId = session.tenantId;
    request.role = session.role;
    request.session = { id: session.sessionId, userId: session.userId, csrfToken: session.csrfToken };
    request.caller = { tenantId: session.tenantId, actor: { type: "user", id: session.userId } };
  }
}
