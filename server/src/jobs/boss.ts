import PgBoss from "pg-boss";
import { randomBase62 } from "../context.ts";
import type { Db } from "../db/index.ts";
import { bossAdapter, type Client, clientOf } from "./adapters.ts";

/**
 * One pg-boss per database per process, shared by every module's queues (webhook deliveries today). Its tables
 * live in the `pgboss` schema, which pg-boss creates and migrates itself; cron scheduling is off.
 */
interface Started {
  boss: PgBoss;
  /** Queues created by this process, by their full name. */
  queues: Map<string, Promise<string>>;
}

const started = new WeakMap<object, Promise<Started>>();
/**
 * Under vitest every test database handle gets its own queue names (on PostgreSQL all test files share one
 * database and a test must drain only what it queued). The suffix belongs to the database handle, not to the
 * pg-boss instance, so an app rebuilt on the same handle (a restart) finds the jobs queued before.
 */
const testSuffixes = new WeakMap<object, string>();

function queueName(client: Client, name: string): string {
  if (!process.env.VITEST) return name;
  let suffix = testSuffixes.get(client);
  if (!suffix) {
    suffix = randomBase62(10);
    testSuffixes.set(client, suffix);
  }
  return `${name}-${suffix}`;
}

/**
 * This process's pg-boss on the database behind `db`, started once. `supervise` (maintenance: failing jobs whose
 * worker died so they are retried, archiving) is switched on by the first caller that asks for it — live workers.
 */
export function jobsFor(db: Db, options: { supervise?: boolean } = {}): Promise<PgBoss> {
  const client = clientOf(db);
  let entry = started.get(client);
  if (!entry) {
    entry = (async () => {
      const boss = new PgBoss({
        db: bossAdapter(client),
        schema: "pgboss",
        schedule: false,
        supervise: options.supervise ?? false,
      });
      boss.on("error", (error) => console.error("job queue:", error));
      await boss.start();
      return { boss, queues: new Map() };
    })();
    started.set(client, entry);
    entry.catch(() => started.delete(client));
  }
  return entry.then((s) => s.boss);
}

/** The full name of queue `name` on this database (suffixed under vitest), created once per process. */
export async function ensureQueue(
  db: Db,
  name: string,
  options: Omit<PgBoss.Queue, "name"> = {},
): Promise<{ boss: PgBoss; queue: string }> {
  const client = clientOf(db);
  const boss = await jobsFor(db);
  const state = await started.get(client);
  if (!state) throw new Error("job queue stopped while starting");
  const queue = queueName(client, name);
  let created = state.queues.get(queue);
  if (!created) {
    created = (async () => {
      if (!(await boss.getQueue(queue))) await boss.createQueue(queue, { ...options, name: queue });
      return queue;
    })();
    state.queues.set(queue, created);
    created.catch(() => state.queues.delete(queue));
  }
  return { boss, queue: await created };
}

/** Stops this process's pg-boss on that database (the app's close hook). Queued jobs stay in the database. */
export async function stopJobs(db: Db): Promise<void> {
  const client = clientOf(db);
  const entry = started.get(client);
  if (!entry) return;
  started.delete(client);
  const state = await entry.catch(() => null);
  if (!state) return;
  for (const queue of state.queues.keys()) await state.boss.offWork(queue).catch(() => {});
  await state.boss.stop({ graceful: false, wait: true, close: false });
}
