import type { Deps } from "../../context.ts";
import { ensureQueue } from "../../jobs/boss.ts";
import { postPendingActivity } from "./journal.ts";

/**
 * The journal's job on the process's pg-boss: every tick each process queues a `journal-posting` job (pg-boss keeps
 * one per tick slot however many processes queue it) and a worker posts what the activity log holds after the
 * journal's position. Exactly once does not rest on pg-boss: a posting transaction holds the position's row lock
 * and commits its entries with the new position, so a job that runs twice, or two at once, posts nothing twice.
 */
export const JOURNAL_QUEUE = "journal-posting";
const TICK_SECONDS = 2;

export interface JournalWorker {
  stop(): Promise<void>;
}

export async function startJournalWorker(
  deps: Deps,
  onError: (error: unknown) => void = (error) => console.error("journal posting:", error),
): Promise<JournalWorker> {
  const { boss, queue } = await ensureQueue(deps.db, JOURNAL_QUEUE, {
    retryLimit: 3,
    retryDelay: 5,
    expireInSeconds: 900,
  });
  // pg-boss's offWork does not wait for a running job: the app closes the database only after the posting ends.
  let running: Promise<unknown> = Promise.resolve();
  const workerId = await boss.work(queue, { pollingIntervalSeconds: 1 }, async () => {
    const posting = postPendingActivity(deps);
    running = posting.catch(() => {});
    try {
      await posting;
    } catch (error) {
      onError(error);
      throw error;
    }
  });
  const tick = () =>
    boss.send(queue, {}, { singletonSeconds: TICK_SECONDS }).catch((error: unknown) => onError(error));
  void tick();
  const timer = setInterval(tick, TICK_SECONDS * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await boss.offWork({ id: workerId }).catch(() => {});
      await running;
    },
  };
}
