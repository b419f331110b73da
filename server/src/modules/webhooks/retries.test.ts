import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  openTestDb,
  TestClock,
  type TestContext,
} from "../../../test/helpers.ts";
import { startReceiver } from "../../../test/webhook-receiver.ts";
import { buildApp } from "../../app.ts";
import { randomIds } from "../../context.ts";
import { consumeActivity, drainWebhookJobs, retryDelaySeconds, webhookQueue } from "./delivery.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

/**
 * Lets `seconds` pass for the queue as for the injected clock: pg-boss compares a job's start time with the
 * database's clock, so the waiting jobs are moved that much earlier instead of the test sleeping.
 */
async function letTimePass(seconds: number): Promise<void> {
  ctx.clock.set(new Date(ctx.clock.now.getTime() + seconds * 1000).toISOString());
  const { queue } = await webhookQueue(ctx.database.db);
  await ctx.database.db.execute(
    sql`UPDATE pgboss.job SET start_after = start_after - make_interval(secs => ${seconds})
        WHERE name = ${queue} AND state < 'active'`,
  );
}

it("backs off 10 s, 20 s, 40 s … up to 12 hours", () => {
  expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
  expect(retryDelaySeconds(30)).toBe(12 * 3600);
  // At least three days of attempts before giving up.
  let elapsed = 0;
  let attempts = 1;
  while (elapsed < 3 * 86_400) elapsed += retryDelaySeconds(attempts++);
  expect(attempts).toBeLessThan(25);
});

it("retries a receiver that answers 500 twice: the third attempt carries the same delivery id", async () => {
  const receiver = await startReceiver([500, 500]);
  try {
    const deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds };
    const t = await createTestTenant(ctx);
    const endpoint = (
      await t.post("/v1/webhook-endpoints", { url: receiver.url, eventTypes: ["customer.created"] })
    ).json();
    await t.post("/v1/customers", { externalId: "acme", name: "Acme" });
    await drainWebhookJobs(deps);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = (await t.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json().data;
    expect(delivery).toMatchObject({
      status: "pending",
      attempts: [{ statusCode: 500, error: "answered 500" }],
    });
    expect(Date.parse(delivery.nextAttemptAt) - ctx.clock.now.getTime()).toBe(10_000);

    // Not due yet: nothing is sent before the backoff has passed. (Halfway, not a second before: real time
    // passes too while the test runs, and the queue follows the database's clock.)
    await letTimePass(5);
    await drainWebhookJobs(deps);
    expect(receiver.received).toHaveLength(1);
    await letTimePass(5);
    await drainWebhookJobs(deps);
    expect(receiver.received).toHaveLength(2);
    await letTimePass(10);
    await drainWebhookJobs(deps);
    expect(receiver.received).toHaveLength(2);
    await letTimePass(10);
    await drainWebhookJobs(deps);
    expect(receiver.received).toHaveLength(3);

    const ids = receiver.received.map((r) => r.headers["pricegraph-delivery"]);
    expect(new Set(ids)).toEqual(new Set([delivery.id]));
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    const done = (await t.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}`)).json();
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
    expect(done.nextAttemptAt).toBeNull();
    await letTimePass(3600);
    await drainWebhookJobs(deps);
    expect(receiver.received).toHaveLength(3);
  } finally {
    await receiver.close();
  }
});

it("counts a receiver that does not answer as a failed attempt", async () => {
  const deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds };
  const t = await createTestTenant(ctx);
  // Nothing listens there: the connection is refused.
  const closed = await startReceiver();
  await closed.close();
  const endpoint = (await t.post("/v1/webhook-endpoints", { url: closed.url })).json();
  await t.post(`/v1/webhook-endpoints/${endpoint.id}/test`);
  await drainWebhookJobs(deps);
  const [delivery] = (await t.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)).json().data;
  expect(delivery.status).toBe("pending");
  expect(delivery.attempts).toEqual([
    expect.objectContaining({ statusCode: null, error: expect.any(String) }),
  ]);
});

it("keeps queued deliveries across a restart: a new app on the same database sends them", async () => {
  const receiver = await startReceiver();
  const database = await openTestDb();
  const clock = new TestClock();
  const deps = { db: database.db, clock: clock.fn, ids: randomIds };
  try {
    const first = await buildApp({ db: database.db, clock: clock.fn });
    await first.ready();
    const t = await createTestTenant({ app: first, database, clock, close: async () => {} });
    const endpoint = (
      await t.post("/v1/webhook-endpoints", { url: receiver.url, eventTypes: ["customer.created"] })
    ).json();
    await t.post("/v1/customers", { externalId: "acme", name: "Acme" });
    expect(await consumeActivity(deps)).toBe(1);
    await first.close();
    expect(receiver.received).toHaveLength(0);

    const second = await buildApp({ db: database.db, clock: clock.fn });
    await second.ready();
    try {
      expect(await drainWebhookJobs(deps)).toBe(1);
      expect(receiver.received).toHaveLength(1);
      expect(JSON.parse(receiver.received[0].body).type).toBe("customer.created");
      const log = await second.inject({
        url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`,
        headers: { authorization: `Bearer ${t.apiKey}` },
      });
      expect(log.json().data[0].status).toBe("succeeded");
    } finally {
      await second.close();
    }
  } finally {
    await database.close();
    await receiver.close();
  }
});
