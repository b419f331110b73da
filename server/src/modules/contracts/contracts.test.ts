import { compile, evaluate } from "@pricegraph/engine";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

/** A customer, a sum metric and a published per-unit plan with a `rate` param and a `promo` credit pool. */
async function setup(t: TestTenant, timezone = "UTC") {
  const customer = (await t.post("/v1/customers", { externalId: "acme", name: "Acme", timezone })).json();
  await t.post("/v1/metrics", { key: "tokens", eventType: "llm", aggregation: "sum", property: "n" });
  const document = perUnitPlan("tokens", { rate: "0.01", pool: "promo" });
  const plan = (await t.post("/v1/plans", { name: "LLM", document })).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  return { customer, plan, document };
}

describe("contracts", () => {
  it("creates a contract with overrides and credit grants, reads and lists it", async () => {
    const t = await createTestTenant(ctx);
    const { customer, plan } = await setup(t);
    const res = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      planVersion: 1,
      startDate: "2025-03-01",
      billingPeriod: "monthly",
      paramOverrides: { rate: 0.02 },
      creditGrants: [{ pool: "promo", amount: "5", expiresAt: "2025-12-31T00:00:00Z" }],
    });
    expect(res.statusCode).toBe(201);
    const contract = res.json();
    expect(contract).toMatchObject({
      customerId: customer.id,
      planId: plan.id,
      planVersion: 1,
      startDate: "2025-03-01",
      endDate: null,
      billingPeriod: "monthly",
      paramOverrides: { rate: "0.02" },
      creditGrants: [{ pool: "promo", amount: "5", expiresAt: "2025-12-31T00:00:00.000Z" }],
    });
    expect((await t.get(`/v1/contracts/${contract.id}`)).json()).toEqual(contract);
    expect((await t.get(`/v1/contracts?customerId=${customer.id}`)).json()).toEqual({
      data: [contract],
      nextCursor: null,
    });
    expect((await t.get("/v1/contracts?customerId=cus_other")).json().data).toEqual([]);
    // Without planVersion: the latest published version.
    const latest = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-04-01",
      billingPeriod: "yearly",
    });
    expect(latest.json()).toMatchObject({ planVersion: 1, paramOverrides: {}, creditGrants: [] });
  });

  it("refuses overrides the plan does not declare, bad decimals, unknown pools and bad dates, naming the field", async () => {
    const t = await createTestTenant(ctx);
    const { customer, plan } = await setup(t);
    const base = {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-03-01",
      billingPeriod: "monthly",
    };
    const unknown = await t.post("/v1/contracts", { ...base, paramOverrides: { rate: "1", discount: "5" } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([
      {
        path: "$.paramOverrides.discount",
        message: 'the plan declares no parameter "discount" (declared: rate)',
      },
    ]);
    const badDecimal = await t.post("/v1/contracts", { ...base, paramOverrides: { rate: "1e3" } });
    expect(badDecimal.statusCode).toBe(400);
    expect(badDecimal.json().error.details[0].path).toBe("$.paramOverrides.rate");
    const pool = await t.post("/v1/contracts", { ...base, creditGrants: [{ pool: "nope", amount: "1" }] });
    expect(pool.statusCode).toBe(400);
    expect(pool.json().error.details[0].path).toBe("$.creditGrants[0].pool");
    const negative = await t.post("/v1/contracts", {
      ...base,
      creditGrants: [{ pool: "promo", amount: "-1" }],
    });
    expect(negative.json().error.details[0].path).toBe("$.creditGrants[0].amount");
    const dates = await t.post("/v1/contracts", { ...base, startDate: "2025-02-30", endDate: "2025-01-01" });
    expect(dates.statusCode).toBe(400);
    expect(dates.json().error.details.map((d: { path: string }) => d.path)).toContain("$.startDate");
    const order = await t.post("/v1/contracts", { ...base, endDate: "2025-02-28" });
    expect(order.json().error.details[0].path).toBe("$.endDate");
    const version = await t.post("/v1/contracts", { ...base, planVersion: 7 });
    expect(version.statusCode).toBe(404);
    expect(version.json().error.details[0].path).toBe("$.planVersion");
    const unpublished = (await t.post("/v1/plans", { name: "Draft only" })).json();
    const none = await t.post("/v1/contracts", { ...base, planId: unpublished.id });
    expect(none.statusCode).toBe(400);
    expect((await t.get("/v1/contracts")).json().data).toEqual([]);
  });

  it("quotes the current period's usage exactly as the engine evaluates it", async () => {
    const t = await createTestTenant(ctx);
    const { customer, plan, document } = await setup(t, "Europe/Paris");
    const contract = (
      await t.post("/v1/contracts", {
        customerId: customer.id,
        planId: plan.id,
        startDate: "2025-01-10",
        billingPeriod: "monthly",
        paramOverrides: { rate: "0.02" },
        creditGrants: [
          { pool: "promo", amount: "1.5" },
          { pool: "promo", amount: "100", expiresAt: "2025-03-01T00:00:00Z" },
        ],
      })
    ).json();
    await t.post("/v1/events", {
      events: [
        {
          id: "before",
          customer: "acme",
          type: "llm",
          timestamp: "2025-02-28T22:59:59Z",
          properties: { n: 1000 },
        },
        {
          id: "first",
          customer: "acme",
          type: "llm",
          timestamp: "2025-02-28T23:00:00Z",
          properties: { n: 250 },
        },
        {
          id: "second",
          customer: "acme",
          type: "llm",
          timestamp: "2025-03-15T11:00:00Z",
          properties: { n: "125.5" },
        },
      ],
    });
    const res = await t.get(`/v1/contracts/${contract.id}/quote`);
    expect(res.statusCode).toBe(200);
    const quote = res.json();
    // Billing's calendar month in Paris: Mar 1 00:00 (UTC+1) to Apr 1 00:00 (UTC+2, after the DST change).
    expect(quote.periodStart).toBe("2025-02-28T23:00:00.000Z");
    expect(quote.periodEnd).toBe("2025-03-31T22:00:00.000Z");
    expect(quote.input).toEqual({
      usage: { tokens: "375.5" },
      params: { rate: "0.02" },
      credits: { promo: "1.5" },
      proration: "1",
    });
    const compiled = compile(document);
    if (!compiled.ok) throw new Error("test plan must compile");
    const expected = evaluate(compiled.plan, quote.input, { explain: true, values: false });
    if (!expected.ok) throw new Error("test plan must evaluate");
    const { periodStart: _s, periodEnd: _e, input: _i, addOns: _a, totalWithAddOns: _t, ...output } = quote;
    expect(output).toEqual(expected.output);
    expect(quote.total).toBe("6.01"); // 375.5 × 0.02 = 7.51 − 1.50 credits
  });

  it("quotes a partial first period with its proration, and the first period before the start", async () => {
    const t = await createTestTenant(ctx);
    const { customer, plan } = await setup(t);
    const base = { customerId: customer.id, planId: plan.id, billingPeriod: "monthly" };
    const midMonth = (await t.post("/v1/contracts", { ...base, startDate: "2025-03-15" })).json();
    const partial = (await t.get(`/v1/contracts/${midMonth.id}/quote`)).json();
    expect(partial).toMatchObject({
      periodStart: "2025-03-15T00:00:00.000Z",
      periodEnd: "2025-04-01T00:00:00.000Z",
    });
    // 17 of March's 31 days are served.
    expect(new Decimal(partial.input.proration).mul(31).toDecimalPlaces(10).toString()).toBe("17");
    const future = (
      await t.post("/v1/contracts", { ...base, startDate: "2025-06-01", endDate: "2025-06-30" })
    ).json();
    const first = (await t.get(`/v1/contracts/${future.id}/quote`)).json();
    expect(first).toMatchObject({
      periodStart: "2025-06-01T00:00:00.000Z",
      periodEnd: "2025-07-01T00:00:00.000Z",
    });
    expect(first.input.usage).toEqual({ tokens: "0" });
  });

  it("quotes a plan version with overrides through POST /v1/quotes", async () => {
    const t = await createTestTenant(ctx);
    const { plan } = await setup(t);
    const res = await t.post("/v1/quotes", {
      planId: plan.id,
      paramOverrides: { rate: "0.1" },
      usage: { tokens: "50" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe("5.00");
    const unknown = await t.post("/v1/quotes", { planId: plan.id, paramOverrides: { nope: "1" } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe("$.paramOverrides.nope");
  });

  it("hides other tenants' contracts and refuses their customers and plans (404)", async () => {
    const a = await createTestTenant(ctx);
    const b = await createTestTenant(ctx);
    const { customer, plan } = await setup(a);
    const contract = (
      await a.post("/v1/contracts", {
        customerId: customer.id,
        planId: plan.id,
        startDate: "2025-03-01",
        billingPeriod: "monthly",
      })
    ).json();
    expect((await b.get(`/v1/contracts/${contract.id}`)).statusCode).toBe(404);
    expect((await b.get(`/v1/contracts/${contract.id}/quote`)).statusCode).toBe(404);
    expect((await b.get("/v1/contracts")).json().data).toEqual([]);
    expect((await b.post("/v1/quotes", { planId: plan.id })).statusCode).toBe(404);
    const own = (await b.post("/v1/customers", { externalId: "b", name: "B" })).json();
    const foreignCustomer = await b.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-03-01",
      billingPeriod: "monthly",
    });
    expect(foreignCustomer.statusCode).toBe(404);
    expect(foreignCustomer.json().error.details[0].path).toBe("$.customerId");
    const foreignPlan = await b.post("/v1/contracts", {
      customerId: own.id,
      planId: plan.id,
      startDate: "2025-03-01",
      billingPeriod: "monthly",
    });
    expect(foreignPlan.statusCode).toBe(404);
    expect(foreignPlan.json().error.details[0].path).toBe("$.planId");
  });
});
