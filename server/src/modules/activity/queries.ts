import { and, asc, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { insertAsJson } from "../../db/bulk-insert.ts";
import type { Db } from "../../db/index.ts";
import { activity } from "../../db/schema/index.ts";

export type ActivityRow = typeof activity.$inferSelect;
export type NewActivityRow = Omit<typeof activity.$inferInsert, "seq" | "txid">;

export async function insertActivity(db: Db, rows: NewActivityRow[]): Promise<void> {
  if (rows.length === 0) return;
  // A billing run writes thousands at once: one jsonb parameter, not a bind parameter per cell.
  if (rows.length > 50) {
    await insertAsJson(db, activity, rows as unknown as Record<string, unknown>[], undefined, {
      generated: ["seq", "txid"],
    });
    return;
  }
  await db.insert(activity).values(rows);
}

export interface ActivityFilters {
  type?: string;
  objectType?: string;
  objectId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** The `seq` of the last record of the previous page (newest first). */
  beforeSeq?: number;
  limit: number;
}

/** A tenant's records, newest first, `limit + 1` of them so the caller knows whether more follow. */
export async function listActivity(
  db: Db,
  tenantId: string,
  filters: ActivityFilters,
): Promise<ActivityRow[]> {
  const where: SQL[] = [eq(activity.tenantId, tenantId)];
  if (filters.type) where.push(eq(activity.type, filters.type));
  if (filters.objectType) where.push(eq(activity.objectType, filters.objectType));
  if (filters.objectId) where.push(eq(activity.objectId, filters.objectId));
  if (filters.actorId) where.push(eq(activity.actorId, filters.actorId));
  if (filters.from) where.push(gte(activity.createdAt, filters.from));
  if (filters.to) where.push(lte(activity.createdAt, filters.to));
  if (filters.beforeSeq !== undefined) where.push(lt(activity.seq, filters.beforeSeq));
  return db
    .select()
    .from(activity)
    .where(and(...where))
    .orderBy(desc(activity.seq))
    .limit(filters.limit + 1);
}

export async function activityById(db: Db, tenantId: string, id: string): Promise<ActivityRow | null> {
  const rows = await db
    .select()
    .from(activity)
    .where(and(eq(activity.tenantId, tenantId), eq(activity.id, id)));
  return rows[0] ?? null;
}

/** Where a consumer of the log has got to: the (txid, seq) of the last record it handled. */
export interface ActivityPosition {
  txid: number;
  seq: number;
}

/**
 * The next records for a consumer of the whole log (webhooks, e-mail, journal), across tenants by design, in
 * (txid, seq) order after `after`. Only records of transactions older than every transaction still running
 * are returned: a record that commits later always sorts after them, so a consumer's cursor never skips one.
 */
export async function activityAfter(
  db: Db,
  after: ActivityPosition | null,
  limit: number,
): Promise<ActivityRow[]> {
  const where: SQL[] = [sql`${activity.txid} < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint`];
  if (after) where.push(sql`(${activity.txid}, ${activity.seq}) > (${after.txid}, ${after.seq})`);
  return db
    .select()
    .from(activity)
    .where(and(...where))
    .orderBy(asc(activity.txid), asc(activity.seq))
    .limit(limit);
}
