import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { randomIds } from "../../context.ts";
import { type BillingDeps, createBillingContext } from "../billing/context.ts";
import { startScheduledRuns } from "./schedule.ts";
import { drainBillingJobs } from "./service.ts";

// Scheduled billing: the day's run starts by itself at the tenant's hour once a period has closed, exactly once
// across processes, and never bills a period twice. Two "processes" are two sets of services on one database,
// each with its own billing context, started and drained at the same time.
let ctx: TestContext;
let processes: BillingDeps[];
beforeAll(async () => {
  ctx = await createTestContext();
  processes = [0, 1].map(() => ({
    db: ctx.database.db,
    clock: ctx.clock.fn,
    ids: randomIds,
    billing: createBillingContext(),
  }));
});
afterAll(async () => ctx?.close());

async function tenantWithContract(): Promise<TestTenant> {
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (
    await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls", { rate: "0.25" }) })
  ).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  const customer = (await t.post("/v1/customers", { externalId: "a", name: "A" })).json();
  const contract = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: plan.id,
    startDate: "2025-01-01",
    billingPeriod: "monthly",
  });
  expect(contract.statusCode).toBe(201);
  await t.post("/v1/events", {
    events: [1, 2, 3].map((i) => ({
      id: `e${i}`,
      customer: "a",
      type: "api",
      timestamp: "2025-01-10T00:00:00Z",
      properties: {},
    })),
  });
  return t;
}

/** Both processes look for due runs at once; then both drain the queue at once. */
async function tick(t: TestTenant, at: string): Promise<string[]> {
  ctx.clock.set(at);
  const started = await Promise.all(processes.map((d) => startScheduledRuns(d, { tenantIds: [t.tenantId] })));
  await Promise.all(processes.map((d) => drainBillingJobs(d)));
  return started.flat();
}

const invoices = async (t: TestTenant) =>
  (await t.get("/v1/invoices?limit=50")).json().data as { periodStartDate: string; total: string }[];

it("starts one run a day after a period closes, at the tenant's hour, and bills each period once", async () => {
  const t = await tenantWithContract();
  // January has not closed yet: nothing to run.
  expect(await tick(t, "2025-01-31T12:00:00Z")).toEqual([]);
  // It has closed, but the default hour (02:00 UTC) has not come.
  expect(await tick(t, "2025-02-01T01:00:00Z")).toEqual([]);

  const started = await tick(t, "2025-02-01T02:05:00Z");
  expect(started).toHaveLength(1);
  const run = (await t.get(`/v1/billing-runs/${started[0]}`)).json();
  expect(run).toMatchObject({ status: "done", asOf: "2025-02-01T02:05:00.000Z", invoicesCreated: 1 });
  expect((await invoices(t)).map((i) => [i.periodStartDate, i.total])).toEqual([["2025-01-01", "0.75"]]);

  // Later the same day, and the next days: the day's run exists, then no period closed since it covered.
  expect(await tick(t, "2025-02-01T09:00:00Z")).toEqual([]);
  expect(await tick(t, "2025-02-02T02:30:00Z")).toEqual([]);
  expect(await tick(t, "2025-02-15T02:30:00Z")).toEqual([]);

  // A run by hand in between covers nothing new and creates nothing.
  const manual = (await t.post("/v1/billing-runs", { asOf: "2025-02-15T00:00:00Z" })).json();
  await Promise.all(processes.map((d) => drainBillingJobs(d)));
  expect((await t.get(`/v1/billing-runs/${manual.id}`)).json()).toMatchObject({ invoicesCreated: 0 });

  expect(await tick(t, "2025-03-01T03:00:00Z")).toHaveLength(1);
  const all = await invoices(t);
  expect(all.map((i) => i.periodStartDate).sort()).toEqual(["2025-01-01", "2025-02-01"]);
  const runs = (await t.get("/v1/billing-runs?limit=10")).json().data;
  expect(runs).toHaveLength(3);
});

it("follows the tenant's setting: another hour, or off", async () => {
  const t = await tenantWithContract();
  const put = await t.put("/v1/billing/settings", { scheduledRunHour: 6 });
  expect(put.json()).toEqual({
    gracePeriodHours: 24,
    scheduledRuns: true,
    scheduledRunHour: 6,
    invoiceConsolidation: "per_contract",
  });
  expect(await tick(t, "2025-02-01T05:59:00Z")).toEqual([]);
  expect(await tick(t, "2025-02-01T06:00:00Z")).toHaveLength(1);

  await t.put("/v1/billing/settings", { scheduledRuns: false });
  expect((await t.get("/v1/billing/settings")).json()).toMatchObject({ scheduledRuns: false });
  expect(await tick(t, "2025-03-01T12:00:00Z")).toEqual([]);
  expect(await invoices(t)).toHaveLength(1);

  const bad = await t.put("/v1/billing/settings", { scheduledRunHour: 24 });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error.details[0].path).toContain("scheduledRunHour");
});
