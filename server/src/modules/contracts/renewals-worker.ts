import { ensureQueue } from "../../jobs/boss.ts";
import type { BillingDeps } from "../billing/context.ts";
import { renewDueContracts } from "./renewals.ts";

/**
 * The renewal job on the process's pg-boss: a timer queues a `contract-renewals` job every tick (pg-boss keeps one
 * per slot however many processes queue it) and a worker runs it. Each contract renews in its own transaction
 * under its lock, so a job that runs twice renews nothing twice.
 */
export const RENEWAL_QUEUE = "contract-renewals";
const TICK_SECONDS = 60;

export interface RenewalWorker {
  stop(): Promise<void>;
}

export async function startRenewalWorker(deps: BillingDeps): Promise<RenewalWorker> {
  const { boss, queue } = await ensureQueue(deps.db, RENEWAL_QUEUE, {
    retryLimit: 2,
    retryDelay: 30,
    expireInSeconds: 600,
  });
  const workerId = await boss.work(queue, { pollingIntervalSeconds: 5 }, async () => {
    await renewDueContracts(deps);
  });
  const tick = () =>
    boss
      .send(queue, {}, { singletonSeconds: TICK_SECONDS })
      .catch((error: unknown) => console.error("renewal queue:", error));
  void tick();
  const timer = setInterval(tick, TICK_SECONDS * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await boss.offWork({ id: workerId }).catch(() => {});
    },
  };
}
