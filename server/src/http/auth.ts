import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Caller } from "../context.ts";
import type { Db } from "../db/index.ts";
import { authenticateKey, onApiKeyRevoked } from "../modules/api-keys/service.ts";
import { unauthorized } from "./errors.ts";
import type { AuthFailureLimiter } from "./security.ts";

declare module "fastify" {
  interface FastifyRequest {
    tenantId: string;
    /** The id of the API key the request authenticated with. */
    apiKeyId: string;
    /** The tenant and the actor behind any change this request makes. */
    caller: Caller;
  }
}

const CACHE_LIMIT = 1000;
/** How long a resolved key is trusted without asking the database: how late another process sees a revocation. */
const CACHE_TTL_MS = 5000;

interface CachedKey {
  tenantId: string;
  keyId: string;
  until: number;
}

/**
 * `Authorization: Bearer <apiKey>` on every route of the scope; sets `request.tenantId` and `request.apiKeyId`.
 * Failed attempts count against the client address; past the limit it gets 429 before any key is looked at.
 */
export function registerAuth(app: FastifyInstance, db: Db, failures: AuthFailureLimiter): void {
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
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    await failures.check(request, reply);
    const header = request.headers.authorization;
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
      entry = { tenantId: found.tenantId, keyId: found.id, until: Date.now() + CACHE_TTL_MS };
      cache.set(key, entry);
    }
    request.tenantId = entry.tenantId;
    request.apiKeyId = entry.keyId;
    request.caller = { tenantId: entry.tenantId, actor: { type: "api_key", id: entry.keyId } };
  });
}
