import { and, eq, lte, or } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { idempotencyKeys } from "../db/schema/index.ts";

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;

export interface ClaimInput {
  tenantId: string;
  key: string;
  requestMethod: string;
  requestPath: string;
  requestHash: string | null;
  claimId: string;
  now: Date;
  lockedUntil: Date;
  expiresAt: Date;
}

/**
 * Claims the key for one request: a new key is inserted; an expired key, or a claim whose holder stopped renewing
 * it, is taken over in the same statement. Answers the claimed row, or null when someone else holds the key.
 */
export async function claimIdempotencyKey(db: Db, input: ClaimInput): Promise<IdempotencyKeyRow | null> {
  const claim = {
    tenantId: input.tenantId,
    key: input.key,
    requestMethod: input.requestMethod,
    requestPath: input.requestPath,
    requestHash: input.requestHash,
    status: "in_progress" as const,
    claimId: input.claimId,
    lockedUntil: input.lockedUntil,
    responseStatus: null,
    responseContentType: null,
    responseBody: null,
    createdAt: input.now,
    expiresAt: input.expiresAt,
  };
  const [row] = await db
    .insert(idempotencyKeys)
    .values(claim)
    .onConflictDoUpdate({
      target: [idempotencyKeys.tenantId, idempotencyKeys.key],
      set: claim,
      setWhere: and(
        eq(idempotencyKeys.tenantId, input.tenantId),
        or(
          lte(idempotencyKeys.expiresAt, input.now),
          and(eq(idempotencyKeys.status, "in_progress"), lte(idempotencyKeys.lockedUntil, input.now)),
        ),
      ),
    })
    .returning();
  return row ?? null;
}

export async function findIdempotencyKey(
  db: Db,
  tenantId: string,
  key: string,
): Promise<IdempotencyKeyRow | null> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
  return row ?? null;
}

/** Keeps a running request's claim alive; false when the claim is no longer this request's. */
export async function renewIdempotencyClaim(
  db: Db,
  tenantId: string,
  key: string,
  claimId: string,
  lockedUntil: Date,
): Promise<boolean> {
  const rows = await db
    .update(idempotencyKeys)
    .set({ lockedUntil })
    .where(
      and(
        eq(idempotencyKeys.tenantId, tenantId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.claimId, claimId),
        eq(idempotencyKeys.status, "in_progress"),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export interface StoredResponse {
  requestHash: string;
  responseStatus: number;
  responseContentType: string | null;
  responseBody: string;
}

/** Stores the answer of the request that holds the claim; a claim taken over meanwhile is left alone. */
export async function completeIdempotencyKey(
  db: Db,
  tenantId: string,
  key: string,
  claimId: string,
  response: StoredResponse,
): Promise<boolean> {
  const rows = await db
    .update(idempotencyKeys)
    .set({ ...response, status: "done", lockedUntil: null })
    .where(
      and(
        eq(idempotencyKeys.tenantId, tenantId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.claimId, claimId),
        eq(idempotencyKeys.status, "in_progress"),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

/** Frees the key (the request failed on our side): a retry with it runs again. */
export async function releaseIdempotencyKey(
  db: Db,
  tenantId: string,
  key: string,
  claimId: string,
): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.tenantId, tenantId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.claimId, claimId),
        eq(idempotencyKeys.status, "in_progress"),
      ),
    );
}

/** Deletes the tenant's keys past their 24 hours (they are already ignored; this only reclaims the space). */
export async function purgeExpiredIdempotencyKeys(db: Db, tenantId: string, now: Date): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, tenantId), lte(idempotencyKeys.expiresAt, now)));
}
