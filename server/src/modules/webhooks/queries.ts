import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import {
  activityConsumers,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
} from "../../db/schema/index.ts";
import type { ActivityPosition } from "../activity/queries.ts";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

// Endpoints

export async function insertEndpoint(db: Db, row: EndpointRow): Promise<void> {
  await db.insert(webhookEndpoints).values(row);
}

export async function listEndpoints(db: Db, tenantId: string): Promise<EndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.tenantId, tenantId))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
}

export async function endpointById(db: Db, tenantId: string, id: string): Promise<EndpointRow | null> {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)));
  return rows[0] ?? null;
}

export async function updateEndpoint(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<Omit<EndpointRow, "id" | "tenantId" | "createdAt">>,
): Promise<EndpointRow | null> {
  const rows = await db
    .update(webhookEndpoints)
    .set(changes)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
    .returning();
  return rows[0] ?? null;
}

/** Deletes an endpoint with its deliveries and their attempts (cascade). */
export async function deleteEndpoint(db: Db, tenantId: string, id: string): Promise<EndpointRow | null> {
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
    .returning();
  return rows[0] ?? null;
}

/** The enabled endpoints of these tenants: what the activity consumer matches a batch of records against. */
export async function enabledEndpointsOf(db: Db, tenantIds: string[]): Promise<EndpointRow[]> {
  if (tenantIds.length === 0) return [];
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(inArray(webhookEndpoints.tenantId, tenantIds), eq(webhookEndpoints.enabled, true)));
}

// Deliveries and attempts

/** Inserts deliveries, skipping any (endpoint, event) already there; answers the rows inserted. */
export async function insertDeliveries(db: Db, rows: DeliveryRow[]): Promise<DeliveryRow[]> {
  if (rows.length === 0) return [];
  return db.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning();
}

export async function deliveryById(db: Db, tenantId: string, id: string): Promise<DeliveryRow | null> {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id)));
  return rows[0] ?? null;
}

/** A delivery with its endpoint (null once the endpoint is deleted): what an attempt needs, in one query. */
export async function deliveryWithEndpoint(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ delivery: DeliveryRow; endpoint: EndpointRow | null } | null> {
  const rows = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .leftJoin(
      webhookEndpoints,
      and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, webhookDeliveries.endpointId)),
    )
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id)));
  return rows[0] ?? null;
}

/** An endpoint's deliveries, newest first, `limit + 1` of them; `before` is the last (createdAt, id) seen. */
export async function listDeliveries(
  db: Db,
  tenantId: string,
  endpointId: string,
  limit: number,
  before: [string, string] | null,
): Promise<DeliveryRow[]> {
  const scope = and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, endpointId));
  const where = before
    ? and(
        scope,
        or(
          lt(webhookDeliveries.createdAt, new Date(before[0])),
          and(eq(webhookDeliveries.createdAt, new Date(before[0])), lt(webhookDeliveries.id, before[1])),
        ),
      )
    : scope;
  return db
    .select()
    .from(webhookDeliveries)
    .where(where)
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
}

/**
 * Changes a delivery only while `jobSeq` is still `seq` (a resend since then retired this chain of attempts);
 * answers the row when it changed.
 */
export async function updateDeliveryForJob(
  db: Db,
  tenantId: string,
  id: string,
  seq: number,
  changes: Partial<Omit<DeliveryRow, "id" | "tenantId">>,
): Promise<DeliveryRow | null> {
  const rows = await db
    .update(webhookDeliveries)
    .set(changes)
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.id, id),
        eq(webhookDeliveries.jobSeq, seq),
      ),
    )
    .returning();
  return rows[0] ?? null;
}

/** Queues a manual resend: the delivery is pending again under a new `jobSeq`. */
export async function restartDelivery(
  db: Db,
  tenantId: string,
  id: string,
  at: Date,
): Promise<DeliveryRow | null> {
  const rows = await db
    .update(webhookDeliveries)
    .set({ status: "pending", jobSeq: sql`${webhookDeliveries.jobSeq} + 1`, nextAttemptAt: at })
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id)))
    .returning();
  return rows[0] ?? null;
}

export async function insertAttempt(db: Db, row: AttemptRow): Promise<void> {
  await db.insert(webhookAttempts).values(row);
}

export async function attemptsOf(db: Db, tenantId: string, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.tenantId, tenantId), inArray(webhookAttempts.deliveryId, deliveryIds)))
    .orderBy(webhookAttempts.attemptedAt, webhookAttempts.id);
}

// The activity consumer's position (across tenants by design: one consumer reads the whole log)

/**
 * Locks consumer `name`'s row for this transaction (creating it at the log's start), so two processes never
 * consume the same records at once, and answers its position.
 */
export async function lockConsumer(db: Db, name: string, now: Date): Promise<ActivityPosition> {
  await db.insert(activityConsumers).values({ name, txid: 0, seq: 0, updatedAt: now }).onConflictDoNothing();
  const rows = await db
    .select({ txid: activityConsumers.txid, seq: activityConsumers.seq })
    .from(activityConsumers)
    .where(eq(activityConsumers.name, name))
    .for("update");
  return rows[0];
}

export async function saveConsumer(db: Db, name: string, position: ActivityPosition, now: Date) {
  await db
    .update(activityConsumers)
    .set({ txid: position.txid, seq: position.seq, updatedAt: now })
    .where(eq(activityConsumers.name, name));
}
