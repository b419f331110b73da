import type PgBoss from "pg-boss";
import { type Caller, type Deps, systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { type ActivityChange, recordActivity } from "../activity/service.ts";
import type { BillingDeps } from "../billing/context.ts";
import { finalizeDueDrafts } from "../billing/drafts.ts";
import { invoiceContracts } from "../billing/invoicing.ts";
import {
  type BillingRunRow,
  contractIdsStartedBy,
  countBatch,
  failRun,
  insertRun,
  listRuns,
  markRunRunning,
  noteRunErrors,
  runById,
} from "./queries.ts";
import { type BatchData, billingQueue, enqueueBatches } from "./queue.ts";

/** Contracts per job: the usage query looks these customers up by index (it scans the whole period above 200). */
export const JOB_SIZE = 200;

export function toRun(row: BillingRunRow) {
  return {
    id: row.id,
    asOf: row.asOf.toISOString(),
    status: row.status,
    done: row.done,
    total: row.total,
    invoicesCreated: row.invoicesCreated,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Queues a run: one job per batch of contracts that had started by `asOf`. Work happens in the workers. */
export async function createRun(deps: BillingDeps, caller: Caller, body: { asOf?: string }) {
  const now = deps.clock();
  const asOf = body.asOf ? new Date(body.asOf) : now;
  if (asOf.getTime() > now.getTime()) {
    throw validationFailed([
      { path: "$.asOf", message: "must not be in the future (periods bill once they have ended)" },
    ]);
  }
  const run = await queueRun(deps, caller, asOf, null);
  if (!run) throw new Error("a run started by hand is never a duplicate");
  return toRun(run);
}

/**
 * Inserts the run and queues its jobs in one transaction. A scheduled run (`scheduledFor`, a UTC date) is
 * created once per tenant and day: when another process created it first, nothing is queued and null returned.
 */
export async function queueRun(
  deps: BillingDeps,
  caller: Caller,
  asOf: Date,
  scheduledFor: string | null,
): Promise<BillingRunRow | null> {
  const { tenantId } = caller;
  const now = deps.clock();
  // A day of slack covers zones ahead of UTC; the jobs compute the exact periods.
  const asOfDate = new Date(asOf.getTime() + 86_400_000).toISOString().slice(0, 10);
  const id = deps.ids("brun");
  const run: BillingRunRow = {
    id,
    tenantId,
    asOf,
    status: "queued",
    total: 0,
    done: 0,
    invoicesCreated: 0,
    doneBatches: [],
    error: null,
    createdAt: now,
    finishedAt: null,
    scheduledFor,
  };
  // pg-boss is started (its schema installed, the queue created) before the transaction that queues the jobs.
  const queue = await billingQueue(deps.db);
  const created = await deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    const contractIds = await contractIdsStartedBy(tx, tenantId, asOfDate);
    run.total = contractIds.length;
    if (contractIds.length === 0) {
      run.status = "done";
      run.finishedAt = now;
    }
    const batches: BatchData[] = [];
    for (let i = 0; i < contractIds.length; i += JOB_SIZE) {
      batches.push({
        runId: id,
        tenantId,
        seq: batches.length,
        contractIds: contractIds.slice(i, i + JOB_SIZE),
      });
    }
    if (!(await insertRun(tx, run))) return false;
    const changes: ActivityChange[] = [{ type: "billing_run.created", objectId: id, object: toRun(run) }];
    if (run.status === "done")
      changes.push({ type: "billing_run.completed", objectId: id, object: toRun(run) });
    await recordActivity(deps, tx, caller, changes);
    // The run and its jobs commit together: a run is never left without its jobs.
    await enqueueBatches(queue, tx, batches);
    return true;
  });
  if (!created) return null;
  for (const worker of billingWorkers) worker.wake();
  return run;
}

export async function getRun(deps: Deps, tenantId: string, id: string) {
  const row = await runById(deps.db, tenantId, id);
  if (!row) throw notFound("Billing run", [{ path: "params.id", message: "no billing run with this id" }]);
  return toRun(row);
}

export async function pageOfRuns(deps: Deps, tenantId: string, query: { limit: number; cursor?: string }) {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listRuns(deps.db, tenantId, query.limit, after);
  return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toRun);
}

/**
 * Bills one batch (a pg-boss job). Idempotent: invoices are unique per (tenant, contract, period) and the batch
 * counts on its run once, so a job pg-boss delivers again (its worker died after committing) changes nothing.
 * Throws to have pg-boss retry it; on the last attempt the run fails with the error first.
 */
export async function runBatch(deps: BillingDeps, job: PgBoss.JobWithMetadata<BatchData>): Promise<void> {
  const batch = job.data;
  const caller = systemCaller(batch.tenantId, "billing-run");
  try {
    await markRunRunning(deps.db, batch.tenantId, batch.runId);
    const run = await runById(deps.db, batch.tenantId, batch.runId);
    if (!run) return;
    const { created, failures } = await invoiceContracts(deps, caller, batch.contractIds, run.asOf, run.id);
    const complete = await deps.db.transaction(async (txn) => {
      const tx = txn as Db;
      const counted = await countBatch(
        tx,
        batch.tenantId,
        batch.runId,
        batch.seq,
        batch.contractIds.length,
        created,
        deps.clock(),
      );
      // Contracts that could not be billed are named on the run (once, with the batch's count).
      if (counted && failures.length) {
        await noteRunErrors(
          tx,
          batch.tenantId,
          batch.runId,
          failures.map((f) => `contract ${f.contractId}: ${f.message}`),
        );
      }
      if (counted?.complete) {
        await recordActivity(deps, tx, caller, {
          type: "billing_run.completed",
          objectId: batch.runId,
          object: toRun(counted.run),
        });
      }
      return counted?.complete === true;
    });
    if (complete) await finalizeDueDrafts(deps, batch.tenantId);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    if (job.retryCount >= job.retryLimit) {
      await deps.db.transaction(async (txn) => {
        const failed = await failRun(txn as Db, batch.tenantId, batch.runId, message, deps.clock());
        if (failed) {
          await recordActivity(deps, txn as Db, caller, {
            type: "billing_run.failed",
            objectId: failed.id,
            object: toRun(failed),
          });
        }
      });
    }
    throw error;
  }
}

/**
 * Fetches and runs jobs until the queue is empty (`boss.fetch`, then `complete` or `fail`); returns how many ran.
 * Tests and the benchmark call it; several calls at once share the queue like several workers.
 */
export async function drainBillingJobs(deps: BillingDeps): Promise<number> {
  const { boss, queue } = await billingQueue(deps.db);
  let count = 0;
  for (;;) {
    const [job] = await boss.fetch<BatchData>(queue, { batchSize: 1, includeMetadata: true });
    if (!job) return count;
    try {
      await runBatch(deps, job);
      await boss.complete(queue, job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await boss.fail(queue, job.id, { message: message.slice(0, 2000) });
    }
    count += 1;
  }
}

export interface BillingWorker {
  wake(): void;
  stop(): Promise<void>;
}

const billingWorkers = new Set<BillingWorker>();

/**
 * This process's worker: `concurrency` pg-boss workers (`boss.work`, one job at a time each) and, every
 * `finalizeEveryMs`, the drafts whose grace period is over. Several server processes each run one and share the
 * queue; pg-boss's supervisor (on here) retries the jobs of a process that died once they expire.
 */
export async function startBillingWorker(
  deps: BillingDeps,
  options: {
    concurrency?: number;
    pollingIntervalSeconds?: number;
    finalizeEveryMs?: number;
    /** More work for each tick: starting the tenants' scheduled runs. */
    onTick?: () => Promise<unknown>;
  } = {},
): Promise<BillingWorker> {
  const { onTick } = options;
  const { boss, queue } = await billingQueue(deps.db, { supervise: true });
  const ids: string[] = [];
  // Work in flight, awaited when the worker stops so nothing touches a database that is closing.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  };
  for (let i = 0; i < (options.concurrency ?? 1); i++) {
    ids.push(
      await boss.work<BatchData>(
        queue,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
        async ([job]) => track(runBatch(deps, job)),
      ),
    );
  }
  // The first sweep comes one interval after start (runs finalize their own tenant's due drafts when they end).
  // The same tick starts the runs scheduled for the day (docs/billing.md, "Scheduled runs").
  const timer = setInterval(() => {
    track(finalizeDueDrafts(deps)).catch((error) => console.error("billing worker:", error));
    if (onTick) track(onTick()).catch((error) => console.error("scheduled billing:", error));
  }, options.finalizeEveryMs ?? 60_000);
  timer.unref();
  const worker: BillingWorker = {
    wake: () => {
      for (const id of ids) boss.notifyWorker(id);
    },
    stop: async () => {
      clearInterval(timer);
      billingWorkers.delete(worker);
      await boss.offWork(queue);
      await Promise.allSettled([...inFlight]);
    },
  };
  billingWorkers.add(worker);
  return worker;
}
