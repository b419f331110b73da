import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestContext, createTestTenant, perUnitPlan, type TestContext } from "../../../test/helpers.ts";
import { randomIds } from "../../context.ts";
import { createBillingContext } from "../billing/context.ts";
import type { BatchData } from "./queue.ts";
import { billingQueue } from "./queue.ts";
import { drainBillingJobs, runBatch } from "./service.ts";

// pg-boss delivers a job at least once: a batch whose work committed but whose completion did not (its worker
// died in between) comes back. Running it again must change nothing. On both databases.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

it("a redelivered batch bills and counts nothing twice", async () => {
  ctx.clock.set("2025-03-01T06:00:00Z");
  const deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const document = perUnitPlan("calls", { rate: "0.25", currency: "EUR" });
  const plan = (await t.post("/v1/plans", { name: "Calls", document })).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  for (const name of ["a", "b"]) {
    const customer = (await t.post("/v1/customers", { externalId: name, name })).json();
    await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
    });
  }
  const created = (await t.post("/v1/billing-runs", { asOf: "2025-03-01T00:00:00Z" })).json();
  const { boss, queue } = await billingQueue(deps.db);
  const [job] = await boss.fetch<BatchData>(queue, { batchSize: 1, includeMetadata: true });
  expect(job.data).toMatchObject({ runId: created.id, seq: 0 });
  await runBatch(deps, job);
  // The worker "died" before completing the job: pg-boss hands it out again (here: failed, so retried at once).
  await boss.fail(queue, job.id, { message: "worker died" });
  expect(await drainBillingJobs(deps)).toBe(1);
  const run = (await t.get(`/v1/billing-runs/${created.id}`)).json();
  expect(run).toMatchObject({ status: "done", done: 2, total: 2, invoicesCreated: 4 });
  expect((await t.get("/v1/invoices?limit=10")).json().data).toHaveLength(4);
  expect(await drainBillingJobs(deps)).toBe(0);
});
