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
