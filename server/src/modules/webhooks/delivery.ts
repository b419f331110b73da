import type PgBoss from "pg-boss";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { transactionAdapter } from "../../jobs/adapters.ts";
import { ensureQueue } from "../../jobs/boss.ts";
import { type ActivityRow, activityAfter } from "../activity/queries.ts";
import { addressPolicyFromEnv, postJson } from "./outbound.ts";
import {
  type DeliveryRow,
  deliveryWithEndpoint,
  type EndpointRow,
  enabledEndpointsOf,
  insertAttempt,
  insertDeliveries,
  lockConsumer,
  saveConsumer,
  updateDeliveryForJob,
} from "./queries.ts";
import { signatureHeader } from "./signature.ts";

export const WEBHOOK_QUEUE = "webhook-delivery";
/** A receiver that has not answered by then has failed this attempt. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** The first retry comes this long after a failed first attempt; each next one twice as long, up to the cap. */
export const FIRST_RETRY_SECONDS = 10;
export const MAX_RETRY_DELAY_SECONDS = 12 * 3600;
/** Retries go on until this long after the first attempt (the last one may land a little after). */
export const RETRY_FOR_SECONDS = 3 * 86_400;

/** The wait after `attempts` failed attempts: 10 s, 20 s, 40 s, … capped at 12 hours. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_SECONDS);
}

export interface AttemptJob {
  deliveryId: string;
  tenantId: string;
  /** The delivery's `jobSeq` when queued: a resend retires older chains. */
  seq: number;
  manual?: boolean;
}

/**
 * The delivery queue. pg-boss's own retries (2, 10 s apart) only cover a worker that died or a database error
 * mid-attempt; a receiver's failures are retried by queueing the next attempt with its backoff (`startAfter`).
 */
export function webhookQueue(db: Db) {
  return ensureQueue(db, WEBHOOK_QUEUE, { retryLimit: 2, retryDelay: 10, expireInSeconds: 60 });
}

/** The webhooks consumer's name in `activity_consumers`: one position for all processes on a database. */
const CONSUMER = "webhooks";

/**
 * Queues attempts in the caller's transaction, each `delaySeconds` after the database's now (pg-boss compares
 * `startAfter` with the database clock, so an absolute time from our injected clock would be wrong in tests).
 */
export async function queueAttempts(
  { boss, queue }: { boss: PgBoss; queue: string },
  tx: Db,
  jobs: { data: AttemptJob; delaySeconds: number }[],
): Promise<void> {
  const inserts = jobs.map(({ data, delaySeconds }) => ({
    name: queue,
    data,
    startAfter: `${delaySeconds} seconds`,
    retryLimit: 2,
    retryDelay: 10,
    expireInSeconds: 60,
  }));
  const db = transactionAdapter(tx);
  for (let i = 0; i < inserts.length; i += 500) await boss.insert(inserts.slice(i, i + 500), { db });
}

function subscribed(endpoint: EndpointRow, record: ActivityRow): boolean {
  return (
    endpoint.tenantId === record.tenantId &&
    // Records made before the endpoint existed are not its business (the consumer may be behind).
    record.createdAt.getTime() >= endpoint.createdAt.getTime() &&
    (endpoint.eventTypes.includes("*") || endpoint.eventTypes.includes(record.type))
  );
}

/** The body of a delivery: what receivers parse, and the bytes signed. */
export function eventBody(event: { id: string; type: string; created: Date; object: unknown }): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created: event.created.toISOString(),
    object: event.object,
  });
}

export function newDelivery(
  deps: Pick<Deps, "ids">,
  endpoint: EndpointRow,
  event: { id: string; type: string; created: Date; object: unknown },
  now: Date,
): DeliveryRow {
  return {
    id: deps.ids("whd"),
    tenantId: endpoint.tenantId,
    endpointId: endpoint.id,
    eventId: event.id,
    type: event.type,
    body: eventBody(event),
    status: "pending",
    attempts: 0,
    jobSeq: 0,
    nextAttemptAt: now,
    firstAttemptAt: null,
    lastAttemptAt: null,
    lastStatusCode: null,
    createdAt: now,
  };
}

/**
 * Reads the activity log after the webhooks consumer's position and creates one delivery (and its queued first
 * attempt) per record and subscribed endpoint, moving the position in the same transaction: each record is
 * turned into deliveries exactly once, whatever crashes. Answers how many deliveries it created.
 */
export async function consumeActivity(deps: Deps, batchSize = 500): Promise<number> {
  const queue = await webhookQueue(deps.db);
  let created = 0;
  for (;;) {
    const read = await deps.db.transaction(async (tx) => {
      const now = deps.clock();
      const position = await lockConsumer(tx as Db, CONSUMER, now);
      const records = await activityAfter(tx as Db, position, batchSize);
      if (records.length === 0) return 0;
      const endpoints = await enabledEndpointsOf(tx as Db, [...new Set(records.map((r) => r.tenantId))]);
      const rows: DeliveryRow[] = [];
      for (const record of records) {
        for (const endpoint of endpoints) {
          if (!subscribed(endpoint, record)) continue;
          const event = {
            id: record.id,
            type: record.type,
            created: record.createdAt,
            object: record.object,
          };
          rows.push(newDelivery(deps, endpoint, event, now));
        }
      }
      const inserted = await insertDeliveries(tx as Db, rows);
      await queueAttempts(
        queue,
        tx as Db,
        inserted.map((d) => ({ data: { deliveryId: d.id, tenantId: d.tenantId, seq: 0 }, delaySeconds: 0 })),
      );
      const last = records[records.length - 1];
      await saveConsumer(tx as Db, CONSUMER, { txid: last.txid, seq: last.seq }, now);
      created += inserted.length;
      return records.length;
    });
    if (read < batchSize) return created;
  }
}

/**
 * One attempt of a delivery (a pg-boss job): POST the body, signed now, and record what happened. On a non-2xx
 * answer or none, the next attempt is queued with its backoff, in the transaction that records this one; after
 * three days of failures the delivery is `failed`. A job of a retired chain, or of a finished delivery, does nothing.
 */
export async function attemptDelivery(deps: Deps, job: AttemptJob): Promise<void> {
  const found = await deliveryWithEndpoint(deps.db, job.tenantId, job.deliveryId);
  if (!found?.endpoint) return;
  const { delivery, endpoint } = found;
  if (delivery.jobSeq !== job.seq || delivery.status !== "pending") return;
  if (!endpoint.enabled) {
    await updateDeliveryForJob(deps.db, job.tenantId, delivery.id, job.seq, {
      status: "canceled",
      nextAttemptAt: null,
    });
    return;
  }
  const sentAt = deps.clock();
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && (endpoint.previousSecretExpiresAt?.getTime() ?? 0) > sentAt.getTime()) {
    secrets.push(endpoint.previousSecret);
  }
  const result = await postJson(
    endpoint.url,
    delivery.body,
    {
      "pricegraph-delivery": delivery.id,
      "pricegraph-event-type": delivery.type,
      "pricegraph-signature": signatureHeader(secrets, Math.floor(sentAt.getTime() / 1000), delivery.body),
    },
    { timeoutMs: ATTEMPT_TIMEOUT_MS, policy: addressPolicyFromEnv() },
  );
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const queue = ok ? null : await webhookQueue(deps.db);
  await deps.db.transaction(async (tx) => {
    await insertAttempt(tx as Db, {
      id: deps.ids("wha"),
      tenantId: job.tenantId,
      deliveryId: delivery.id,
      attemptedAt: sentAt,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error ?? (ok ? null : `answered ${result.statusCode}`),
      manual: job.manual ?? false,
    });
    const attempts = delivery.attempts + 1;
    const first = delivery.firstAttemptAt ?? sentAt;
    const common = {
      attempts,
      firstAttemptAt: first,
      lastAttemptAt: sentAt,
      lastStatusCode: result.statusCode,
    };
    if (ok) {
      await updateDeliveryForJob(tx as Db, job.tenantId, delivery.id, job.seq, {
        ...common,
        status: "succeeded",
        nextAttemptAt: null,
      });
      return;
    }
    const retry = sentAt.getTime() - first.getTime() < RETRY_FOR_SECONDS * 1000;
    const delaySeconds = retryDelaySeconds(attempts);
    const next = retry ? new Date(sentAt.getTime() + delaySeconds * 1000) : null;
    const updated = await updateDeliveryForJob(tx as Db, job.tenantId, delivery.id, job.seq, {
      ...common,
      status: next ? "pending" : "failed",
      nextAttemptAt: next,
    });
    if (updated && next && queue) {
      const data = { deliveryId: delivery.id, tenantId: job.tenantId, seq: job.seq };
      await queueAttempts(queue, tx as Db, [{ data, delaySeconds }]);
    }
  });
}

/** Jobs a worker takes at once: their attempts run side by side (receivers are slow, the database is not). */
export const JOBS_PER_FETCH = 10;

/**
 * Runs fetched jobs' attempts side by side, then completes the ones that ran and fails the ones that threw (pg-boss
 * retries those).
 */
async function runJobs(deps: Deps, queue: { boss: PgBoss; queue: string }, jobs: PgBoss.Job<AttemptJob>[]) {
  const results = await Promise.allSettled(jobs.map((job) => attemptDelivery(deps, job.data)));
  const done = jobs.filter((_, i) => results[i].status === "fulfilled").map((job) => job.id);
  if (done.length) await queue.boss.complete(queue.queue, done);
  for (const [i, result] of results.entries()) {
    if (result.status === "rejected") {
      const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
      await queue.boss.fail(queue.queue, jobs[i].id, { message: message.slice(0, 2000) });
    }
  }
}

/**
 * Consumes the activity log, then runs the delivery jobs that are due until none is left; answers how many ran.
 * Tests and the benchmark call it (the worker is off under vitest).
 */
export async function drainWebhookJobs(deps: Deps): Promise<number> {
  await consumeActivity(deps);
  const queue = await webhookQueue(deps.db);
  let count = 0;
  for (;;) {
    const jobs = await queue.boss.fetch<AttemptJob>(queue.queue, { batchSize: JOBS_PER_FETCH });
    if (jobs.length === 0) return count;
    await runJobs(deps, queue, jobs);
    count += jobs.length;
  }
}

export interface WebhookWorker {
  wake(): void;
  stop(): Promise<void>;
}

/**
 * This process's delivery worker: `concurrency` pg-boss workers sending attempts, and every `consumeEveryMs` a
 * pass of the activity consumer (one process at a time: the consumer's row is locked while it reads).
 */
export async function startWebhookWorker(
  deps: Deps,
  options: { concurrency?: number; consumeEveryMs?: number } = {},
): Promise<WebhookWorker> {
  const queueRef = await webhookQueue(deps.db);
  const { boss, queue } = queueRef;
  const workerIds: string[] = [];
  for (let i = 0; i < (options.concurrency ?? 4); i++) {
    workerIds.push(
      await boss.work<AttemptJob>(
        queue,
        { batchSize: JOBS_PER_FETCH, pollingIntervalSeconds: 1 },
        async (jobs) => {
          // Each job is completed or failed here by itself, so pg-boss's batch bookkeeping finds nothing left.
          await runJobs(deps, queueRef, jobs);
        },
      ),
    );
  }
  const wake = () => {
    for (const id of workerIds) boss.notifyWorker(id);
  };
  let consuming = false;
  const timer = setInterval(() => {
    if (consuming) return;
    consuming = true;
    consumeActivity(deps)
      .then((created) => {
        if (created > 0) wake();
      })
      .catch((error) => console.error("webhook consumer:", error))
      .finally(() => {
        consuming = false;
      });
  }, options.consumeEveryMs ?? 1000);
  timer.unref();
  return {
    wake,
    stop: async () => {
      clearInterval(timer);
      await boss.offWork(queue);
    },
  };
}
