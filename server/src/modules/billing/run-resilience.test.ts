import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { randomIds } from "../../context.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";
import { type BillingDeps, createBillingContext } from "./context.ts";

let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
});
afterAll(async () => ctx?.close());

async function tenantWithContracts(count: number): Promise<{ t: TestTenant; contractIds: string[] }> {
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (
    await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls", { rate: "2" }) })
  ).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  const contractIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = (await t.post("/v1/customers", { externalId: `c${i}`, name: `C${i}` })).json();
    const contract = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
    });
    expect(contract.statusCode, contract.body).toBe(201);
    contractIds.push(contract.json().id);
    await t.post("/v1/events", {
      events: [{ id: `e${i}`, customer: `c${i}`, type: "api", timestamp: "2025-01-10T00:00:00Z" }],
    });
  }
  return { t, contractIds };
}

it("a contract whose numbers cannot be billed is skipped and named on the run; the others are billed", async () => {
  ctx.clock.set("2025-02-01T06:00:00Z");
  const { t, contractIds } = await tenantWithContracts(3);
  const [, absurd] = contractIds;
  // Stored before the API refused such overrides: 1,100 nines.
  await ctx.database.db.execute(
    sql`UPDATE contracts SET param_overrides = ${JSON.stringify({ rate: "9".repeat(1100) })}::jsonb
      WHERE tenant_id = ${t.tenantId} AND id = ${absurd}`,
  );
  const created = (await t.post("/v1/billing-runs", { asOf: "2025-02-01T00:00:00Z" })).json();
  await drainBillingJobs(deps);
  const run = (await t.get(`/v1/billing-runs/${created.id}`)).json();
  expect(run).toMatchObject({ status: "done", done: 3, total: 3, invoicesCreated: 2 });
  expect(run.error).toContain(`contract ${absurd}: period 2025-01-01`);
  const billed = (await t.get("/v1/invoices")).json().data.map((i: { contractId: string }) => i.contractId);
  expect(billed.sort()).toEqual([contractIds[0], contractIds[2]].sort());
});

it("a run lets the API answer between contracts: /healthz over real HTTP answers while the run goes on", async () => {
  ctx.clock.set("2025-02-01T06:00:00Z");
  const { t, contractIds } = await tenantWithContracts(4);
  const address = await ctx.app.listen({ host: "127.0.0.1", port: 0 });
  // Breathe at every contract; each breath, a real request must be answered before billing goes on.
  const answers: number[] = [];
  const breathing: BillingDeps = {
    ...deps,
    billing: createBillingContext({
      breatheEveryMs: 0,
      breathe: async () => {
        const res = await fetch(`${address}/healthz`);
        answers.push(res.status);
      },
    }),
  };
  const created = (await t.post("/v1/billing-runs", { asOf: "2025-02-01T00:00:00Z" })).json();
  await drainBillingJobs(breathing);
  const run = (await t.get(`/v1/billing-runs/${created.id}`)).json();
  expect(run).toMatchObject({ status: "done", invoicesCreated: contractIds.length });
  // Once per contract while periods are found, once per contract evaluated.
  expect(answers.length).toBeGreaterThanOrEqual(2 * contractIds.length);
  expect(answers.every((status) => status === 200)).toBe(true);
});

it("refuses a contract that starts more than 5 years back, naming the field", async () => {
  ctx.clock.set("2025-02-01T06:00:00Z");
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls") })).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  const customer = (await t.post("/v1/customers", { externalId: "old", name: "Old" })).json();
  const body = { customerId: customer.id, planId: plan.id, billingPeriod: "monthly" };
  const ancient = await t.post("/v1/contracts", { ...body, startDate: "1970-01-01" });
  expect(ancient.statusCode).toBe(400);
  expect(ancient.json().error.details).toEqual([
    { path: "$.startDate", message: "must not be more than 5 years ago (on or after 2020-02-01)" },
  ]);
  expect((await t.post("/v1/contracts", { ...body, startDate: "2020-01-31" })).statusCode).toBe(400);
  expect((await t.post("/v1/contracts", { ...body, startDate: "2020-02-01" })).statusCode).toBe(201);
});
