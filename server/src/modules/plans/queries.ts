import type { ArchivedFilter } from "@pricegraph/shared/api";
import { and, count, desc, eq, exists, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { contractPhases, contracts, plans, planVersions } from "../../db/schema/index.ts";

export type PlanRow = typeof plans.$inferSelect;
export type VersionRow = typeof planVersions.$inferSelect;

export async function insertPlan(db: Db, row: PlanRow): Promise<PlanRow> {
  const [inserted] = await db.insert(plans).values(row).returning();
  return inserted;
}

export async function planById(
  db: Db,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<PlanRow | null> {
  const query = db
    .select()
    .from(plans)
    .where(and(eq(plans.tenantId, tenantId), eq(plans.id, id)));
  const rows = forUpdate ? await query.for("update") : await query;
  return rows[0] ?? null;
}

export async function updatePlan(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<PlanRow>,
): Promise<PlanRow | null> {
  const rows = await db
    .update(plans)
    .set(changes)
    .where(and(eq(plans.tenantId, tenantId), eq(plans.id, id)))
    .returning();
  return rows[0] ?? null;
}

export async function listPlans(
  db: Db,
  tenantId: string,
  limit: number,
  after: [string, string] | null,
  archived: ArchivedFilter = "active",
): Promise<PlanRow[]> {
  const conditions: SQL[] = [eq(plans.tenantId, tenantId)];
  if (archived === "active") conditions.push(isNull(plans.archivedAt));
  if (archived === "archived") conditions.push(isNotNull(plans.archivedAt));
  if (after)
    conditions.push(sql`(${plans.createdAt}, ${plans.id}) < (${after[0]}::timestamptz, ${after[1]})`);
  return db
    .select()
    .from(plans)
    .where(and(...conditions))
    .orderBy(desc(plans.createdAt), desc(plans.id))
    .limit(limit + 1);
}

export async function insertVersion(db: Db, row: VersionRow): Promise<VersionRow> {
  const [inserted] = await db.insert(planVersions).values(row).returning();
  return inserted;
}

export async function versionOf(
  db: Db,
  tenantId: string,
  planId: string,
  version: number,
): Promise<VersionRow | null> {
  const rows = await db
    .select()
    .from(planVersions)
    .where(
      and(
        eq(planVersions.tenantId, tenantId),
        eq(planVersions.planId, planId),
        eq(planVersions.version, version),
      ),
    );
  return rows[0] ?? null;
}

export async function versionsOf(db: Db, tenantId: string, planId: string): Promise<VersionRow[]> {
  return db
    .select()
    .from(planVersions)
    .where(and(eq(planVersions.tenantId, tenantId), eq(planVersions.planId, planId)))
    .orderBy(desc(planVersions.version));
}

/**
 * How many contracts use any version of the plan (as their plan, or in one of their phases), and how many of
 * them have not ended at `now`: their end date (the last day served) is not before the customer's local date.
 */
export async function contractsOnPlan(
  db: Db,
  tenantId: string,
  planId: string,
  now: Date,
): Promise<{ all: number; active: number }> {
  const today = sql`(${now.toISOString()}::timestamptz AT TIME ZONE (SELECT cu.timezone FROM customers cu
    WHERE cu.tenant_id = ${contracts.tenantId} AND cu.id = ${contracts.customerId}))::date`;
  const [row] = await db
    .select({
      all: count(),
      active: count(
        sql`case when ${or(isNull(contracts.endDate), sql`${contracts.endDate} >= ${today}`)} then 1 end`,
      ),
    })
    .from(contracts)
    .where(
      and(
        eq(contracts.tenantId, tenantId),
        or(
          eq(contracts.planId, planId),
          exists(
            db
              .select({ one: sql`1` })
              .from(contractPhases)
              .where(
                and(
                  eq(contractPhases.tenantId, tenantId),
                  eq(contractPhases.contractId, contracts.id),
                  eq(contractPhases.planId, planId),
                ),
              ),
          ),
        ),
      ),
    );
  return { all: Number(row?.all ?? 0), active: Number(row?.active ?? 0) };
}

/** Deletes the plan and its versions; the caller has made sure no contract refers to them. */
export async function deletePlanWithVersions(db: Db, tenantId: string, planId: string): Promise<void> {
  await db
    .delete(planVersions)
    .where(and(eq(planVersions.tenantId, tenantId), eq(planVersions.planId, planId)));
  await db.delete(plans).where(and(eq(plans.tenantId, tenantId), eq(plans.id, planId)));
}
