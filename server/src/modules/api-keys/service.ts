import type { Role } from "@pricegraph/shared";
import type { ApiKey, CreateApiKey, CreatedApiKey } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, notFound } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { insertApiKey } from "../tenants/queries.ts";
import { API_KEY_PREFIX, generateApiKey, hashApiKey } from "../tenants/service.ts";
import { type ApiKeyRow, activeApiKeyForHash, apiKeyById, listApiKeys, revokeApiKey } from "./queries.ts";

/** Listeners told when a key is revoked, so caches of authenticated keys drop it at once. */
const revocationListeners = new Set<(keyId: string) => void>();

export function onApiKeyRevoked(listener: (keyId: string) => void): () => void {
  revocationListeners.add(listener);
  return () => revocationListeners.delete(listener);
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role as Role,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listKeys(deps: Pick<Deps, "db">, tenantId: string, includeRevoked: boolean) {
  return { data: (await listApiKeys(deps.db, tenantId, includeRevoked)).map(toApiKey) };
}

/** A new key for the tenant; its secret is in this answer only (the database keeps its sha256). */
export async function createKey(
  deps: Deps,
  caller: Caller,
  callerRole: Role,
  input: CreateApiKey,
): Promise<CreatedApiKey> {
  // A key never holds more than its maker could grant: only owners make owner keys.
  if (input.role === "owner" && callerRole !== "owner") {
    throw new ApiError(403, "FORBIDDEN", "Only an owner can create an owner key", [
      { path: "$.role", message: "only an owner can create an owner key", permission: "owner" },
    ]);
  }
  const secret = generateApiKey();
  const row: ApiKeyRow = {
    id: deps.ids("key"),
    tenantId: caller.tenantId,
    keyHash: hashApiKey(secret),
    prefix: secret.slice(0, API_KEY_PREFIX.length + 4),
    name: input.name,
    role: input.role,
    createdAt: deps.clock(),
    revokedAt: null,
  };
  await deps.db.transaction(async (tx) => {
    await insertApiKey(tx as Db, row);
    await recordActivity(deps, tx as Db, caller, {
      type: "api_key.created",
      objectId: row.id,
      object: toApiKey(row),
    });
  });
  return { ...toApiKey(row), secret };
}

/**
 * Revokes a key of the tenant. The key of the request itself cannot be revoked (409), so a caller never locks
 * itself out by mistake; revoking a revoked key answers it unchanged.
 */
export async function revokeKey(
  deps: Deps,
  caller: Caller,
  id: string,
  currentKeyId: string,
): Promise<ApiKey> {
  const { tenantId } = caller;
  const existing = await apiKeyById(deps.db, tenantId, id);
  if (!existing) throw notFound("API key", [{ path: "params.id", message: `no API key ${id}` }]);
  if (existing.id === currentKeyId) {
    throw new ApiError(
      409,
      "API_KEY_IN_USE",
      "This request is authenticated with the key you are revoking; revoke it with another key",
      [{ path: "params.id", message: "is the key of this request" }],
    );
  }
  const wasRevoked = existing.revokedAt !== null;
  const row = await deps.db.transaction(async (tx) => {
    const row = await revokeApiKey(tx as Db, tenantId, id, deps.clock());
    if (!row) throw notFound("API key", [{ path: "params.id", message: `no API key ${id}` }]);
    if (!wasRevoked) {
      await recordActivity(deps, tx as Db, caller, {
        type: "api_key.revoked",
        objectId: row.id,
        object: toApiKey(row),
      });
    }
    return row;
  });
  for (const listener of revocationListeners) listener(row.id);
  return toApiKey(row);
}

/** The tenant and key id for an API key, or null when it is unknown or revoked. */
export async function authenticateKey(
  deps: Pick<Deps, "db">,
  apiKey: string,
): Promise<{ id: string; tenantId: string; role: string } | null> {
  return activeApiKeyForHash(deps.db, hashApiKey(apiKey));
}
