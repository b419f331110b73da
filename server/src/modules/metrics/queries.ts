import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { metrics } from "../../db/schema/index.ts";

export type MetricRow = typeof metrics.$inferSelect;

/** Inserts unless the key is taken; null then. */
export async function insertMetric(db: Db, row: MetricRow): Promise<MetricRow | null> {
  const rows = await db.insert(metrics).values(row).onConflictDoNothing().returning();
  return rows[0] ?? null;
}

export async function metricByKey(db: Db, tenantId: string, key: string): Promise<MetricRow | null> {
  const rows = await db
    .select()
    .from(metrics)
    .where(and(eq(metrics.tenantId, tenantId), eq(metrics.key, key)));
  return rows[0] ?? null;
}

export async function metricsByKeys(db: Db, tenantId: string, keys: string[]): Promise<MetricRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(metrics)
    .where(and(eq(metrics.tenantId, tenantId), inArray(metrics.key, keys)));
}

export async function allMetrics(db: Db, tenantId: string): Promise<MetricRow[]> {
  return db.select().from(metrics).where(eq(metrics.tenantId, tenantId)).orderBy(asc(metrics.key));
}

export async function listMetrics(
  db: Db,
  tenantId: string,
  limit: number,
  afterKey: string | null,
): Promise<MetricRow[]> {
  const where = afterKey
    ? and(eq(metrics.tenantId, tenantId), gt(metrics.key, afterKey))
    : eq(metrics.tenantId, tenantId);
  return db
    .select()
    .from(metrics)
    .where(where)
    .orderBy(asc(metrics.key))
    .limit(limit + 1);
}

export async function updateMetric(db: Db, row: MetricRow): Promise<MetricRow | null> {
  const { tenantId, key, createdAt: _createdAt, ...changes } = row;
  const rows = await db
    .update(metrics)
    .set(changes)
    .where(and(eq(metrics.tenantId, tenantId), eq(metrics.key, key)))
    .returning();
  return rows[0] ?? null;
}
