import type { ContractTerms } from "@pricegraph/shared";
import { and, asc, desc, eq, lte, ne, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import { billingRuns, contracts, customers } from "../../db/schema/index.ts";
import { DEFAULT_BILLING_SETTINGS } from "../invoices/queries.ts";

export type BillingRunRow = typeof billingRuns.$inferSelect;

/** Contracts a run at `asOf` may have periods to bill for (started by then), in id order. */
export async function contractIdsStartedBy(db: Db, tenantId: string, asOfDate: string): Promise<string[]> {
  const rows = await db
    .select({ id: contracts.id })
    .from(contracts)
    .where(and(eq(contracts.tenantId, tenantId), lte(contracts.startDate, asOfDate)))
    .orderBy(asc(contracts.id));
  return rows.map((r) => r.id);
}

/** Inserts a run; false when a scheduled run for the same day exists already (another process made it). */
export async function insertRun(db: Db, run: BillingRunRow): Promise<boolean> {
  const rows = await db
    .insert(billingRuns)
    .values(run)
    .onConflictDoNothing({
      target: [billingRuns.tenantId, billingRuns.scheduledFor],
      where: sql`scheduled_for IS NOT NULL`,
    })
    .returning({ id: billingRuns.id });
  return rows.length > 0;
}

export async function runById(db: Db, tenantId: string, id: string): Promise<BillingRunRow | null> {
  const rows = await db
    .select()
    .from(billingRuns)
    .where(and(eq(billingRuns.tenantId, tenantId), eq(billingRuns.id, id)));
  return rows[0] ?? null;
}

export async function listRuns(
  db: Db,
  tenantId: string,
  limit: number,
  after: [string, string] | null,
): Promise<BillingRunRow[]> {
  const conditions: SQL[] = [eq(billingRuns.tenantId, tenantId)];
  if (after)
    conditions.push(
      sql`(${billingRuns.createdAt}, ${billingRuns.id}) < (${after[0]}::timestamptz, ${after[1]})`,
    );
  return db
    .select()
    .from(billingRuns)
    .where(and(...conditions))
    .orderBy(desc(billingRuns.createdAt), desc(billingRuns.id))
    .limit(limit + 1);
}

export async function markRunRunning(db: Db, tenantId: string, runId: string): Promise<void> {
  await db
    .update(billingRuns)
    .set({ status: "running" })
    .where(
      and(eq(billingRuns.tenantId, tenantId), eq(billingRuns.id, runId), eq(billingRuns.status, "queued")),
    );
}

/**
 * Counts a finished batch on its run, once: a batch already in `done_batches` (pg-boss redelivered a job whose
 * work had committed) changes nothing. In the caller's transaction. Answers null for a repeat, else the run and
 * whether it is now complete (then marked done unless it failed).
 */
export async function countBatch(
  db: Db,
  tenantId: string,
  runId: string,
  seq: number,
  contractCount: number,
  created: number,
  now: Date,
): Promise<{ run: BillingRunRow; complete: boolean } | null> {
  const [run] = await db
    .update(billingRuns)
    .set({
      done: sql`${billingRuns.done} + ${contractCount}`,
      invoicesCreated: sql`${billingRuns.invoicesCreated} + ${created}`,
      doneBatches: sql`array_append(${billingRuns.doneBatches}, ${seq}::integer)`,
    })
    .where(
      and(
        eq(billingRuns.tenantId, tenantId),
        eq(billingRuns.id, runId),
        sql`NOT (${seq}::integer = ANY(${billingRuns.doneBatches}))`,
      ),
    )
    .returning();
  if (!run) return null;
  if (run.done >= run.total && run.status !== "failed") {
    const [done] = await db
      .update(billingRuns)
      .set({ status: "done", finishedAt: now })
      .where(and(eq(billingRuns.tenantId, tenantId), eq(billingRuns.id, runId)))
      .returning();
    return { run: done, complete: true };
  }
  return { run, complete: false };
}

/** A batch failed for good (its last attempt): the run fails with that error. */
export async function failRun(
  db: Db,
  tenantId: string,
  runId: string,
  error: string,
  now: Date,
): Promise<BillingRunRow | null> {
  const [run] = await db
    .update(billingRuns)
    .set({
      status: "failed",
      error: sql`left(coalesce(${billingRuns.error} || E'\n', '') || ${error}, 20000)`,
      finishedAt: now,
    })
    .where(and(eq(billingRuns.tenantId, tenantId), eq(billingRuns.id, runId)))
    .returning();
  return run ?? null;
}

/** Contracts a run could not bill (their plan failed to evaluate), appended to the run's `error`. */
export async function noteRunErrors(
  db: Db,
  tenantId: string,
  runId: string,
  messages: string[],
): Promise<void> {
  const text = messages.join("\n").slice(0, 4000);
  await db
    .update(billingRuns)
    .set({ error: sql`left(coalesce(${billingRuns.error} || E'\n', '') || ${text}, 20000)` })
    .where(and(eq(billingRuns.tenantId, tenantId), eq(billingRuns.id, runId)));
}

/**
 * Tenants whose scheduled run is due at `now` (UTC): scheduling on (the default without a settings row), the
 * hour reached, and no scheduled run for `today` yet. Looks at every tenant — like the grace-period sweep, the
 * one kind of query that does; the run itself is then started per tenant.
 */
export async function tenantsDueForScheduledRun(db: Db, now: Date, today: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT t.id FROM tenants t LEFT JOIN billing_settings s ON s.tenant_id = t.id
      WHERE coalesce(s.scheduled_runs, true)
        AND coalesce(s.scheduled_run_hour, ${DEFAULT_BILLING_SETTINGS.scheduledRunHour}) <= ${now.getUTCHours()}
        AND NOT EXISTS (SELECT 1 FROM billing_runs r WHERE r.tenant_id = t.id AND r.scheduled_for = ${today})
      ORDER BY t.id`,
  );
  return rows.map((r) => r.id);
}

/** The latest `asOf` of the tenant's runs that did not fail: periods that ended by then are covered. */
export async function lastCoveredInstant(db: Db, tenantId: string): Promise<Date | null> {
  const [row] = await db
    .select({ asOf: sql<string | null>`max(${billingRuns.asOf})::text` })
    .from(billingRuns)
    .where(and(eq(billingRuns.tenantId, tenantId), ne(billingRuns.status, "failed")));
  return row?.asOf ? new Date(row.asOf) : null;
}

/** Every contract of the tenant that had started by `asOfDate`, with what its periods need. */
export async function contractTermsStartedBy(
  db: Db,
  tenantId: string,
  asOfDate: string,
): Promise<ContractTerms[]> {
  return db
    .select({
      startDate: contracts.startDate,
      endDate: contracts.endDate,
      billingPeriod: contracts.billingPeriod,
      timezone: customers.timezone,
    })
    .from(contracts)
    .innerJoin(customers, and(eq(customers.tenantId, tenantId), eq(customers.id, contracts.customerId)))
    .where(and(eq(contracts.tenantId, tenantId), lte(contracts.startDate, asOfDate)));
}
