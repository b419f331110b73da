import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "../db/index.ts";
import { authenticate } from "../modules/tenants/service.ts";
import { unauthorized } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    tenantId: string;
  }
}

const CACHE_LIMIT = 1000;

/** `Authorization: Bearer <apiKey>` on every route of the scope; sets `request.tenantId`. */
export function registerAuth(app: FastifyInstance, db: Db): void {
  // Keys cannot be revoked yet, so a key once resolved keeps its tenant; the cache spares a query per request.
  const cache = new Map<string, string>();
  app.decorateRequest("tenantId", "");
  app.addHook("onRequest", async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthorized("Send the API key as `Authorization: Bearer <key>`");
    const key = match[1];
    let tenantId = cache.get(key) ?? null;
    if (!tenantId) {
      tenantId = key.length <= 200 ? await authenticate(db, key) : null;
      if (!tenantId) throw unauthorized("The API key is not valid");
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, tenantId);
    }
    request.tenantId = tenantId;
  });
}
