import { and, asc, desc, eq, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { billingRuns, contracts } from "../../db/schema/index.ts";

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

export async function insertRun(db: Db, run: BillingRunRow): Promise<void> {
  await db.insert(billingRuns).values(run);
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
