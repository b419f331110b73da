import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { apiKeys } from "../../db/schema/index.ts";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function listApiKeys(db: Db, tenantId: string, includeRevoked: boolean): Promise<ApiKeyRow[]> {
  const scope = eq(apiKeys.tenantId, tenantId);
  return db
    .select()
    .from(apiKeys)
    .where(includeRevoked ? scope : and(scope, isNull(apiKeys.revokedAt)))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

export async function apiKeyById(db: Db, tenantId: string, id: string): Promise<ApiKeyRow | null> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)));
  return rows[0] ?? null;
}

/** Sets `revokedAt` once; a key already revoked keeps its first revocation time. */
export async function revokeApiKey(
  db: Db,
  tenantId: string,
  id: string,
  now: Date,
): Promise<ApiKeyRow | null> {
  await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  return apiKeyById(db, tenantId, id);
}

/** The key with this hash when it is not revoked: what authentication accepts. */
export async function activeApiKeyForHash(
  db: Db,
  keyHash: string,
): Promise<{ id: string; tenantId: string; role: string } | null> {
  const rows = await db
    .select({ id: apiKeys.id, tenantId: apiKeys.tenantId, role: apiKeys.role })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return rows[0] ?? null;
}
