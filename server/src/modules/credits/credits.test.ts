import { Decimal } from "@pricegraph/engine";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestContext, createTestTenant, perUnitPlan, type TestContext } from "../../../test/helpers.ts";
import { randomIds } from "../../context.ts";
import { type BillingDeps, createBillingContext } from "../billing/context.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";

let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
});
afterAll(async () => ctx?.close());

it.each([
  // currency, rate, grant, what the 7 calls come to before credits, ledger draw, invoice total
  ["JPY", "0.3333333", "10", "2.3333331", "-2", "0"],
  ["KWD", "0.3333333", "10", "2.3333331", "-2.333", "0.000"],
  // 3.5 yen rounds to 4: the grant gives its 2 whole yen, the line the other 2.
  ["JPY", "0.5", "2.6", "3.5", "-2", "2"],
  ["KWD", "0.0005", "1", "0.0035", "-0.004", "0.000"],
])(
  "%s at %s per call with a grant of %s: the draw is whole minor units",
  async (currency, rate, amount, _charge, draw, total) => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
    const document = perUnitPlan("calls", { rate, currency, pool: "promo" });
    const plan = (await t.post("/v1/plans", { name: "Calls", document })).json();
    await t.post(`/v1/plans/${plan.id}/versions`);
    const customer = (await t.post("/v1/customers", { externalId: "acme", name: "Acme", currency })).json();
    const contract = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      creditGrants: [{ pool: "promo", amount }],
    });
    expect(contract.statusCode, contract.body).toBe(201);
    const events = Array.from({ length: 7 }, (_, i) => ({
      id: `e${i}`,
      customer: "acme",
      type: "api",
      timestamp: "2025-01-10T00:00:00Z",
    }));
    await t.post("/v1/events", { events });
    await t.post("/v1/billing-runs", { asOf: "2025-02-01T00:00:00Z" });
    await drainBillingJobs(deps);

    const credits = (await t.get(`/v1/contracts/${contract.json().id}/credits`)).json();
    expect(credits.ledger.map((e: { amount: string }) => e.amount)).toEqual([draw]);
    expect(credits.grants[0].balance).toBe(new Decimal(amount).plus(draw).toString());
    const [invoice] = (await t.get("/v1/invoices")).json().data;
    const detail = (await t.get(`/v1/invoices/${invoice.id}`)).json();
    expect(detail.total).toBe(total);
    // The line shows the credit drawn for it, as the ledger holds it.
    expect(detail.lines[0].creditsApplied).toBe(new Decimal(draw).negated().toString());
  },
);
