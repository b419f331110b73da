import PgBoss from "pg-boss";
import { randomBase62 } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { bossAdapter, clientOf, transactionAdapter } from "../../jobs/adapters.ts";

/**
 * The billing-run job queue is pg-boss 10, on both databases. pg-boss runs its SQL through a `db` adapter over
 * the client our drizzle handle already wraps (PGlite or postgres.js), so it needs no second connection pool and
 * works on embedded PGlite. Its tables live in the `pgboss` schema, which pg-boss creates and migrates itself.
 */
export const BILLING_QUEUE = "billing-run-batch";
/** Attempts per batch: the first and two retries. */
export const RETRY_LIMIT = 2;
/** A batch whose worker died is failed (and so retried) by pg-boss's supervisor after this long. */
const EXPIRE_SECONDS = 600;

/**
 * Under vitest every test database handle gets its own queue name: on PostgreSQL all test files share one
 * database, and a test must drain only the jobs it queued (with its own clock).
 */
const newQueueName = () => (process.env.VITEST ? `${BILLING_QUEUE}-${randomBase62(10)}` : BILLING_QUEUE);

export interface BatchData {
  runId: string;
  tenantId: string;
  seq: number;
  contractIds: string[];
}

export interface BillingQueue {
  boss: PgBoss;
  /** The queue's name (`billing-run-batch`; suffixed under vitest). */
  queue: string;
}

const queues = new WeakMap<object, Promise<BillingQueue>>();

/**
 * This process's pg-boss on the database behind `db`: started once (installing or migrating its schema), without
 * cron scheduling; `supervise` (maintenance: expiring batches whose worker died, archiving) only for live workers.
 */
export function billingQueue(db: Db, options: { supervise?: boolean } = {}): Promise<BillingQueue> {
  const client = clientOf(db);
  let entry = queues.get(client);
  if (!entry) {
    entry = (async () => {
      const queue = newQueueName();
      const boss = new PgBoss({
        db: bossAdapter(client),
        schema: "pgboss",
        schedule: false,
        supervise: options.supervise ?? false,
      });
      boss.on("error", (error) => console.error("billing queue:", error));
      await boss.start();
      await boss.createQueue(queue, {
        name: queue,
        retryLimit: RETRY_LIMIT,
        retryDelay: 0,
        expireInSeconds: EXPIRE_SECONDS,
      });
      return { boss, queue };
    })();
    queues.set(client, entry);
    entry.catch(() => queues.delete(client));
  }
  return entry;
}

/** Stops this process's pg-boss on that database (the app's close hook; under vitest it drops its queue too). */
export async function stopBillingQueue(db: Db): Promise<void> {
  const client = clientOf(db);
  const entry = queues.get(client);
  if (!entry) return;
  queues.delete(client);
  const started = await entry.catch(() => null);
  if (!started) return;
  const { boss, queue } = started;
  await boss.offWork(queue).catch(() => {});
  if (process.env.VITEST) {
    // pg-boss 10's deleteQueue refuses a queue that still holds jobs (foreign key), so empty it first.
    await bossAdapter(client)
      .executeSql("DELETE FROM pgboss.job WHERE name = $1", [queue])
      .then(() => boss.deleteQueue(queue))
      .catch(() => {});
  }
  await boss.stop({ graceful: false, wait: true, close: false });
}

/** Queues one job per batch in the caller's transaction (the queue must exist: call `billingQueue` first). */
export async function enqueueBatches(
  { boss, queue }: BillingQueue,
  tx: Db,
  batches: BatchData[],
): Promise<void> {
  const jobs = batches.map((data) => ({
    name: queue,
    data,
    retryLimit: RETRY_LIMIT,
    retryDelay: 0,
    expireInSeconds: EXPIRE_SECONDS,
  }));
  const db = transactionAdapter(tx);
  for (let i = 0; i < jobs.length; i += 500) await boss.insert(jobs.slice(i, i + 500), { db });
}
