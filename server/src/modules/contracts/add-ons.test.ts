import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

async function published(t: TestTenant, name: string, document: unknown): Promise<string> {
  const plan = await t.post("/v1/plans", { name, document });
  expect(plan.statusCode, plan.body).toBe(201);
  expect((await t.post(`/v1/plans/${plan.json().id}/versions`)).statusCode).toBe(201);
  return plan.json().id;
}

const supportPlan = (currency = "USD") => ({
  format: "pricegraph/v1",
  currency,
  params: [],
  nodes: [
    { id: "f", type: "flatFee", position: { x: 0, y: 0 }, data: { amount: "100", prorate: true } },
    {
      id: "l",
      type: "invoiceLine",
      position: { x: 200, y: 0 },
      data: { description: "Premium support", product: "premium-support" },
    },
  ],
  edges: [{ id: "e1", source: "f", sourceHandle: "out", target: "l", targetHandle: "amount" }],
});

async function setUp(t: TestTenant) {
  await t.post("/v1/metrics", { key: "calls", eventType: "api_call", aggregation: "sum", property: "n" });
  await t.post("/v1/metrics", { key: "storage", eventType: "stored", aggregation: "sum", property: "gb" });
  const base = await published(t, "API", perUnitPlan("calls", { rate: "0.5" }));
  const support = await published(t, "Premium support", supportPlan());
  const storage = await published(
    t,
    "Storage",
    perUnitPlan("storage", { rate: "0.25", pool: "storage_credits" }),
  );
  const customer = (await t.post("/v1/customers", { externalId: "globex", name: "Globex" })).json();
  return { base, support, storage, customer };
}

describe("contract add-ons", () => {
  it("bills a base plan and two add-ons on one invoice: own versions, overrides, credit grants and dates", async () => {
    ctx.clock.set("2025-02-03T00:00:00Z");
    const t = await createTestTenant(ctx);
    const { base, support, storage, customer } = await setUp(t);
    const created = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: base,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      addOns: [
        { planId: support },
        {
          planId: storage,
          startDate: "2025-01-16",
          paramOverrides: { rate: "0.2" },
          creditGrants: [{ pool: "storage_credits", amount: "5" }],
        },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const contract = created.json();
    expect(contract.creditGrants).toEqual([]);
    expect(contract.addOns).toMatchObject([
      { planId: support, planVersion: 1, startDate: "2025-01-01", endDate: null, creditGrants: [] },
      {
        planId: storage,
        startDate: "2025-01-16",
        paramOverrides: { rate: "0.2" },
        creditGrants: [{ pool: "storage_credits", amount: "5" }],
      },
    ]);
    const [supportAddOn, storageAddOn] = contract.addOns;
    await t.post("/v1/events", {
      events: [
        {
          id: "c1",
          customer: "globex",
          type: "api_call",
          timestamp: "2025-01-05T00:00:00Z",
          properties: { n: 100 },
        },
        // Before the storage add-on starts: not billed by it.
        {
          id: "s1",
          customer: "globex",
          type: "stored",
          timestamp: "2025-01-10T00:00:00Z",
          properties: { gb: 40 },
        },
        {
          id: "s2",
          customer: "globex",
          type: "stored",
          timestamp: "2025-01-20T00:00:00Z",
          properties: { gb: 100 },
        },
      ],
    });

    expect((await t.post("/v1/billing-runs", { asOf: "2025-02-03T00:00:00Z" })).statusCode).toBe(202);
    await drainBillingJobs(ctx.deps);
    const invoices = (await t.get(`/v1/invoices?contractId=${contract.id}`)).json().data;
    expect(invoices).toHaveLength(1);
    const invoice = (await t.get(`/v1/invoices/${invoices[0].id}`)).json();
    const lines = invoice.lines.map((l: Record<string, unknown>) => ({
      componentId: l.componentId,
      description: l.description,
      amount: l.amount,
    }));
    expect(lines).toEqual([
      { componentId: null, description: "calls usage", amount: "50.00" },
      { componentId: supportAddOn.id, description: "Premium support", amount: "100.00" },
      // 100 GB at the overridden 0.2, less the add-on's own 5 of credits, for the days it served.
      {
        componentId: storageAddOn.id,
        description: "storage usage (2025-01-16 – 2025-01-31)",
        amount: "15.00",
      },
    ]);
    expect(invoice.total).toBe("165.00");
    const credits = (await t.get(`/v1/contracts/${contract.id}/credits`)).json();
    expect(credits.pools).toEqual([{ pool: "storage_credits", balance: "0" }]);
  });

  it("refuses add-ons that do not fit the contract, naming the field, and one starting in a final period", async () => {
    ctx.clock.set("2025-02-03T00:00:00Z");
    const t = await createTestTenant(ctx);
    const { base, support, storage, customer } = await setUp(t);
    const euro = await published(t, "Support EUR", supportPlan("EUR"));
    const refused = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: base,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      addOns: [
        { planId: euro },
        { planId: storage, startDate: "2024-12-01", creditGrants: [{ pool: "nope", amount: "1" }] },
      ],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      "$.addOns[0].planId",
      "$.addOns[1].startDate",
      "$.addOns[1].creditGrants[0].pool",
    ]);
    expect((await t.get(`/v1/contracts?customerId=${customer.id}`)).json().data).toEqual([]);

    const contract = (
      await t.post("/v1/contracts", {
        customerId: customer.id,
        planId: base,
        startDate: "2025-01-01",
        billingPeriod: "monthly",
      })
    ).json();
    await t.post("/v1/billing-runs", { asOf: "2025-02-03T00:00:00Z" });
    await drainBillingJobs(ctx.deps);
    const january = (await t.get(`/v1/invoices?contractId=${contract.id}`)).json().data[0];
    // Past the default grace period, the run finalized January itself.
    if (january.status === "draft")
      expect((await t.post(`/v1/invoices/${january.id}/finalize`)).statusCode).toBe(200);
    const late = await t.post(`/v1/contracts/${contract.id}/add-ons`, {
      planId: support,
      startDate: "2025-01-20",
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: "PERIOD_FINALIZED", details: [{ path: "$.startDate" }] });
    const added = await t.post(`/v1/contracts/${contract.id}/add-ons`, {
      planId: support,
      startDate: "2025-02-01",
    });
    expect(added.statusCode, added.body).toBe(201);
    expect((await t.get(`/v1/contracts/${contract.id}`)).json().addOns).toHaveLength(1);
  });
});
