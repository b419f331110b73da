import { and, asc, desc, eq, lte, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import { billingJobs, billingRuns, contracts } from "../../db/schema/index.ts";

export type BillingRunRow = typeof billingRuns.$inferSelect;
export type BillingJobRow = typeof billingJobs.$inferSelect;

/** Contracts a run at `asOf` may have periods to bill for (started by then), in id order. */
export async function contractIdsStartedBy(db: Db, tenantId: string, asOfDate: string): Promise<string[]> {
  const rows = await db
    .select({ id: contracts.id })
    .from(contracts)
    .where(and(eq(contracts.tenantId, tenantId), lte(contracts.startDate, asOfDate)))
    .orderBy(asc(contracts.id));
  return rows.map((r) => r.id);
}

export async function insertRun(db: Db, run: BillingRunRow, jobs: BillingJobRow[]): Promise<void> {
  await db.insert(billingRuns).values(run);
  for (let i = 0; i < jobs.length; i += 500) await db.insert(billingJobs).values(jobs.slice(i, i + 500));
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

export interface ClaimedJob {
  id: string;
  runId: string;
  tenantId: string;
  contractIds: string[];
}

/**
 * Claims the oldest queued job, or one whose worker stopped without finishing (lock expired), with
 * FOR UPDATE SKIP LOCKED: any number of workers in any number of processes share the queue.
 */
export async function claimJob(db: Db, lockSeconds: number): Promise<ClaimedJob | null> {
  const rows = await queryRows<{
    id: string;
    run_id: string;
    tenant_id: string;
    contract_ids: string[] | string;
  }>(
    db,
    sql`UPDATE billing_jobs SET status = 'running', attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${lockSeconds})
      WHERE id = (SELECT id FROM billing_jobs
        WHERE status = 'queued' OR (status = 'running' AND locked_until < now())
        ORDER BY created_at, seq FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING id, run_id, tenant_id, contract_ids`,
  );
  const row = rows[0];
  if (!row) return null;
  const contractIds =
    typeof row.contract_ids === "string" ? (JSON.parse(row.contract_ids) as string[]) : row.contract_ids;
  return { id: row.id, runId: row.run_id, tenantId: row.tenant_id, contractIds };
}

export async function markRunRunning(db: Db, runId: string): Promise<void> {
  await db
    .update(billingRuns)
    .set({ status: "running" })
    .where(and(eq(billingRuns.id, runId), eq(billingRuns.status, "queued")));
}

/** Marks a job done and counts it on its run, once, in the caller's transaction; true when the run is complete. */
export async function completeJob(db: Db, job: ClaimedJob, created: number, now: Date): Promise<boolean> {
  const done = await db
    .update(billingJobs)
    .set({ status: "done", finishedAt: now, lockedUntil: null, error: null })
    .where(and(eq(billingJobs.id, job.id), eq(billingJobs.status, "running")))
    .returning({ id: billingJobs.id });
  if (done.length === 0) return false;
  const [run] = await db
    .update(billingRuns)
    .set({
      done: sql`${billingRuns.done} + ${job.contractIds.length}`,
      invoicesCreated: sql`${billingRuns.invoicesCreated} + ${created}`,
    })
    .where(eq(billingRuns.id, job.runId))
    .returning();
  const pending = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(billingJobs)
    .where(and(eq(billingJobs.runId, job.runId), sql`${billingJobs.status} <> 'done'`));
  if (Number(pending[0].n) === 0 && run.status !== "failed") {
    await db
      .update(billingRuns)
      .set({ status: "done", finishedAt: now })
      .where(eq(billingRuns.id, job.runId));
    return true;
  }
  return false;
}

/** A failed attempt: back to the queue, or failed for good (and the run with it) after `maxAttempts`. */
export async function failJob(
  db: Db,
  job: ClaimedJob,
  error: string,
  maxAttempts: number,
  now: Date,
): Promise<void> {
  const [row] = await db
    .update(billingJobs)
    .set({
      status: sql`CASE WHEN ${billingJobs.attempts} >= ${maxAttempts} THEN 'failed' ELSE 'queued' END`,
      error,
      lockedUntil: null,
    })
    .where(eq(billingJobs.id, job.id))
    .returning({ status: billingJobs.status });
  if (row?.status === "failed") {
    await db
      .update(billingRuns)
      .set({ status: "failed", error, finishedAt: now })
      .where(eq(billingRuns.id, job.runId));
  }
}

/** Contracts a run could not bill (their plan failed to evaluate), appended to the run's `error`. */
export async function noteRunErrors(db: Db, runId: string, messages: string[]): Promise<void> {
  const text = messages.join("\n").slice(0, 4000);
  await db
    .update(billingRuns)
    .set({ error: sql`left(coalesce(${billingRuns.error} || E'\n', '') || ${text}, 20000)` })
    .where(eq(billingRuns.id, runId));
}
