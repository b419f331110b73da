import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  TEST_DB,
  type TestContext,
} from "../../../test/helpers.ts";

// The app's own worker (as `pnpm start` runs it): a run posted over HTTP completes without anyone draining.
// PGlite only: on Postgres every test file shares one database, and a live worker here would also claim the
// jobs other files queue (with this file's clock). SKIP LOCKED claiming itself is exercised on both databases
// by the concurrent drains in billing.test.ts.
let ctx: TestContext;
beforeAll(async () => {
  if (TEST_DB !== "postgres") process.env.BILLING_WORKER = "on";
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
  delete process.env.BILLING_WORKER;
});

it.skipIf(TEST_DB === "postgres")(
  "the background worker picks up a run and reports progress until done",
  async () => {
    ctx.clock.set("2025-03-01T06:00:00Z");
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
    const document = perUnitPlan("calls", { rate: "0.25", currency: "EUR" });
    const plan = (await t.post("/v1/plans", { name: "Calls", document })).json();
    await t.post(`/v1/plans/${plan.id}/versions`);
    for (const name of ["a", "b", "c"]) {
      const customer = (await t.post("/v1/customers", { externalId: name, name })).json();
      const contract = await t.post("/v1/contracts", {
        customerId: customer.id,
        planId: plan.id,
        startDate: "2025-01-01",
        billingPeriod: "monthly",
      });
      expect(contract.statusCode).toBe(201);
    }
    await t.post("/v1/events", {
      events: [1, 2, 3, 4].map((i) => ({
        id: `e${i}`,
        customer: "a",
        type: "api",
        timestamp: "2025-01-10T00:00:00Z",
        properties: {},
      })),
    });
    const created = await t.post("/v1/billing-runs", { asOf: "2025-03-01T00:00:00Z" });
    expect(created.statusCode).toBe(202);
    expect(created.json()).toMatchObject({ status: "queued", done: 0, total: 3 });
    let run = created.json();
    for (let i = 0; i < 200 && run.status !== "done"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (await t.get(`/v1/billing-runs/${run.id}`)).json();
    }
    expect(run).toMatchObject({ status: "done", done: 3, total: 3, invoicesCreated: 6 });
    const invoices = (await t.get("/v1/invoices?limit=10")).json().data;
    expect(invoices).toHaveLength(6);
    const january = invoices.filter(
      (i: { periodStartDate: string; total: string }) => i.periodStartDate === "2025-01-01",
    );
    expect(january.map((i: { total: string }) => i.total).sort()).toEqual(["0.00", "0.00", "1.00"]);
  },
);
