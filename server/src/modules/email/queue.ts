import { randomBase62 } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { billingQueue } from "../billing-runs/queue.ts";

/**
 * The e-mail job queue. It lives on the process's one pg-boss (started by the billing queue, which owns its
 * lifecycle) until the generic jobs module takes both: a `email-dispatch` job reads the activity log and delivers
 * what is due; a timer queues one per tick (pg-boss throttles them to one per slot).
 */
export const EMAIL_QUEUE = "email-dispatch";
const TICK_SECONDS = 5;

const names = new WeakMap<object, Promise<string>>();

/** This database's e-mail queue, created once (suffixed under vitest so parallel test files never share it). */
export function emailQueue(db: Db): Promise<string> {
  let entry = names.get(db);
  if (!entry) {
    entry = (async () => {
      const { boss } = await billingQueue(db);
      const name = process.env.VITEST ? `${EMAIL_QUEUE}-${randomBase62(10)}` : EMAIL_QUEUE;
      await boss.createQueue(name, { name, retryLimit: 3, retryDelay: 5, expireInSeconds: 600 });
      return name;
    })();
    names.set(db, entry);
    entry.catch(() => names.delete(db));
  }
  return entry;
}

export interface EmailWorker {
  stop(): Promise<void>;
}

/** Runs `dispatch` as pg-boss jobs, one queued every few seconds. */
export async function startEmailWorker(db: Db, dispatch: () => Promise<unknown>): Promise<EmailWorker> {
  const { boss } = await billingQueue(db, { supervise: true });
  const queue = await emailQueue(db);
  const workerId = await boss.work(queue, { pollingIntervalSeconds: 2 }, async () => {
    await dispatch();
  });
  const tick = () =>
    boss
      .send(queue, {}, { singletonSeconds: TICK_SECONDS })
      .catch((error: unknown) => console.error("email queue:", error));
  void tick();
  const timer = setInterval(tick, TICK_SECONDS * 1000);
  return {
    async stop() {
      clearInterval(timer);
      await boss.offWork({ id: workerId }).catch(() => {});
    },
  };
}
