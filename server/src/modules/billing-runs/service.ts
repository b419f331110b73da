import type { Deps } from "../../context.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { invoiceContracts } from "../billing/invoicing.ts";
import { finalizeDueDrafts } from "../invoices/service.ts";
import {
  type BillingJobRow,
  type BillingRunRow,
  type ClaimedJob,
  claimJob,
  completeJob,
  contractIdsStartedBy,
  failJob,
  insertRun,
  listRuns,
  markRunRunning,
  noteRunErrors,
  runById,
} from "./queries.ts";

/** Contracts per job: the usage query looks these customers up by index (it scans the whole period above 200). */
export const JOB_SIZE = 200;
const LOCK_SECONDS = 600;
const MAX_ATTEMPTS = 3;

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
export async function createRun(deps: Deps, tenantId: string, body: { asOf?: string }) {
  const now = deps.clock();
  const asOf = body.asOf ? new Date(body.asOf) : now;
  if (asOf.getTime() > now.getTime()) {
    throw validationFailed([
      { path: "$.asOf", message: "must not be in the future (periods bill once they have ended)" },
    ]);
  }
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
    error: null,
    createdAt: now,
    finishedAt: null,
  };
  const jobs: BillingJobRow[] = [];
  await deps.db.transaction(async (tx) => {
    const contractIds = await contractIdsStartedBy(tx, tenantId, asOfDate);
    run.total = contractIds.length;
    if (contractIds.length === 0) {
      run.status = "done";
      run.finishedAt = now;
    }
    for (let i = 0; i < contractIds.length; i += JOB_SIZE) {
      jobs.push({
        id: deps.ids("bjob"),
        runId: id,
        tenantId,
        seq: jobs.length,
        contractIds: contractIds.slice(i, i + JOB_SIZE),
        status: "queued",
        attempts: 0,
        lockedUntil: null,
        error: null,
        createdAt: now,
        finishedAt: null,
      });
    }
    await insertRun(tx, run, jobs);
  });
  for (const worker of billingWorkers) worker.wake();
  return toRun(run);
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

async function runJob(deps: Deps, job: ClaimedJob): Promise<void> {
  try {
    await markRunRunning(deps.db, job.runId);
    const run = await runById(deps.db, job.tenantId, job.runId);
    if (!run) return;
    const { created, failures } = await invoiceContracts(
      deps,
      job.tenantId,
      job.contractIds,
      run.asOf,
      run.id,
    );
    const complete = await deps.db.transaction(async (tx) => {
      if (failures.length) {
        await noteRunErrors(
          tx,
          job.runId,
          failures.map((f) => `contract ${f.contractId}, period ${f.message}`),
        );
      }
      return completeJob(tx, job, created, deps.clock());
    });
    if (complete) await finalizeDueDrafts(deps, job.tenantId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await failJob(deps.db, job, message.slice(0, 2000), MAX_ATTEMPTS, deps.clock());
  }
}

/** Claims and runs jobs until the queue is empty; returns how many ran. Tests and the benchmark call it. */
export async function drainBillingJobs(deps: Deps): Promise<number> {
  let count = 0;
  for (;;) {
    const job = await claimJob(deps.db, LOCK_SECONDS);
    if (!job) return count;
    await runJob(deps, job);
    count += 1;
  }
}

export interface BillingWorker {
  wake(): void;
  stop(): Promise<void>;
}

const billingWorkers = new Set<BillingWorker>();

/**
 * A polling worker in this process: `concurrency` loops claim jobs; every `finalizeEveryMs` it finalizes the
 * drafts whose grace period is over. Several server processes each run one and share the queue.
 */
export function startBillingWorker(
  deps: Deps,
  options: { concurrency?: number; pollMs?: number; finalizeEveryMs?: number } = {},
): BillingWorker {
  const pollMs = options.pollMs ?? 2000;
  const finalizeEveryMs = options.finalizeEveryMs ?? 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  // The first sweep comes one interval after start (runs finalize their own tenant's due drafts when they end).
  let lastFinalize = Date.now();
  const loops: Promise<void>[] = [];
  const sleep = () =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      timer = setTimeout(resolve, pollMs);
    });
  const loop = async (first: boolean) => {
    while (!stopped) {
      try {
        await drainBillingJobs(deps);
        if (first && Date.now() - lastFinalize >= finalizeEveryMs) {
          lastFinalize = Date.now();
          await finalizeDueDrafts(deps);
        }
      } catch (error) {
        console.error("billing worker:", error);
      }
      if (!stopped) await sleep();
    }
  };
  for (let i = 0; i < (options.concurrency ?? 1); i++) loops.push(loop(i === 0));
  const worker: BillingWorker = {
    wake: () => wakeUp?.(),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      wakeUp?.();
      billingWorkers.delete(worker);
      await Promise.all(loops);
    },
  };
  billingWorkers.add(worker);
  return worker;
}
