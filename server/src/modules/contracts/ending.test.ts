import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const node = (id: string, type: string, data: Record<string, unknown>) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data,
});
const edge = (id: string, source: string, sourceHandle: string, target: string, targetHandle: string) => ({
  id,
  source,
  sourceHandle,
  target,
  targetHandle,
});

/** A prorated platform fee `fee` billed in advance; minutes × `rate` with a prorated minimum of 20, in arrears. */
const phasedPlan = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [
    { key: "rate", label: "Rate", type: "money", default: "0.5" },
    { key: "fee", label: "Platform fee", type: "money", default: "100" },
  ],
  nodes: [
    node("fee", "flatFee", { amount: { param: "fee" }, prorate: true }),
    node("feeLine", "invoiceLine", { description: "Platform fee", timing: "advance" }),
    node("u", "usage", { metric: "minutes" }),
    node("p", "perUnit", { unitPrice: { param: "rate" } }),
    node("m", "minimum", { amount: "20", prorate: true }),
    node("usageLine", "invoiceLine", { description: "Minutes" }),
  ],
  edges: [
    edge("e1", "fee", "out", "feeLine", "amount"),
    edge("e2", "u", "out", "p", "in"),
    edge("e3", "p", "out", "m", "in"),
    edge("e4", "m", "out", "usageLine", "amount"),
    edge("e5", "u", "out", "usageLine", "quantity"),
  ],
};

async function setup(timezone: string, startDate: string) {
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", {
    key: "minutes",
    eventType: "video",
    aggregation: "sum",
    property: "minutes",
  });
  const plan = (await t.post("/v1/plans", { name: "Video", document: phasedPlan })).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  const customer = (await t.post("/v1/customers", { externalId: "acme", name: "Acme", timezone })).json();
  const contract = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: plan.id,
    startDate,
    billingPeriod: "monthly",
  });
  expect(contract.statusCode, contract.body).toBe(201);
  return { t, plan, contractId: contract.json().id as string };
}

let eventCounter = 0;
async function send(t: TestTenant, timestamp: string, minutes: number) {
  const res = await t.post("/v1/events", {
    events: [
      { id: `end-${++eventCounter}`, customer: "acme", type: "video", timestamp, properties: { minutes } },
    ],
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

async function bill(t: TestTenant, asOf: string) {
  const res = await t.post("/v1/billing-runs", { asOf });
  expect(res.statusCode, res.body).toBe(202);
  await drainBillingJobs(ctx.deps);
  expect((await t.get(`/v1/billing-runs/${res.json().id}`)).json().status).toBe("done");
}

async function invoiceFor(t: TestTenant, periodStartDate: string) {
  const list = (await t.get("/v1/invoices?limit=100")).json();
  const found = list.data.find((i: { periodStartDate: string }) => i.periodStartDate === periodStartDate);
  return (await t.get(`/v1/invoices/${found.id}`)).json();
}

const rows = (invoice: { lines: { description: string; amount: string }[] }) =>
  invoice.lines.map((l) => [l.description, l.amount]);

describe("ending a contract", () => {
  it("prorates the last period, credits the advance fee billed for days after the end, bills late events after", async () => {
    ctx.clock.set("2025-02-01T12:00:00Z");
    const { t, contractId } = await setup("UTC", "2025-01-01");
    await bill(t, "2025-02-01T00:00:00Z");
    const jan = await invoiceFor(t, "2025-01-01");
    expect(rows(jan)).toEqual([
      ["Platform fee", "100.00"],
      ["Minutes", "20.00"],
      ["Platform fee", "100.00"], // February in advance
    ]);
    expect((await t.post(`/v1/invoices/${jan.id}/finalize`)).statusCode).toBe(200);
    ctx.clock.set("2025-02-10T12:00:00Z");
    await send(t, "2025-02-05T10:00:00Z", 30);
    const ended = await t.post(`/v1/contracts/${contractId}/end`, {
      endDate: "2025-02-14",
      reason: "Customer churned",
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().contract.endDate).toBe("2025-02-14");
    // February's fee was billed whole; 14 of its 28 days are served: 100 − 100 × 14/28 = 50.00 comes back.
    expect(ended.json().creditNotes).toEqual([
      { id: expect.any(String), number: "CN-000001", invoiceId: jan.id, amount: "50.00" },
    ]);
    const credited = (await t.get(`/v1/invoices/${jan.id}`)).json();
    expect(credited).toMatchObject({ creditedAmount: "50.00", amountDue: "170.00" });
    expect(credited.creditNotes[0].reason).toContain("Customer churned");

    ctx.clock.set("2025-02-15T12:00:00Z");
    await bill(t, "2025-02-15T00:00:00Z");
    const feb = await invoiceFor(t, "2025-02-01");
    expect(feb.periodEndDate).toBe("2025-02-15");
    expect(rows(feb)).toEqual([["Minutes", "15.00"]]); // max(30 × 0.5, 20 × 14/28); no March in advance
    expect((await t.post(`/v1/invoices/${feb.id}/finalize`)).statusCode).toBe(200);

    ctx.clock.set("2025-03-02T12:00:00Z");
    await send(t, "2025-02-20T10:00:00Z", 1000); // after the end: never billed
    await send(t, "2025-02-12T10:00:00Z", 10); // a late event of the last, finalized period
    await bill(t, "2025-03-02T00:00:00Z");
    const list = (await t.get(`/v1/invoices?contractId=${contractId}`)).json().data;
    const adjustment = list.find((i: { kind: string }) => i.kind === "adjustment");
    expect(adjustment.total).toBe("5.00"); // 40 × 0.5 = 20.00 less the 15.00 billed
    const types = (await t.get(`/v1/activity?objectId=${contractId}`))
      .json()
      .data.map((a: { type: string }) => a.type);
    expect(types).toContain("contract.ended");
  });

  it("re-prices a draft the end falls in; refuses an end inside a finalized period or before the start", async () => {
    ctx.clock.set("2025-02-01T12:00:00Z");
    const { t, contractId } = await setup("UTC", "2025-01-01");
    await bill(t, "2025-02-01T00:00:00Z");
    const end = (endDate: string) => t.post(`/v1/contracts/${contractId}/end`, { endDate, reason: "test" });
    expect((await end("2024-12-31")).json().error.details[0].path).toBe("$.endDate");
    const ended = await end("2025-01-15");
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().creditNotes).toEqual([]);
    const jan = await invoiceFor(t, "2025-01-01");
    expect(jan.status).toBe("draft");
    expect(rows(jan)).toEqual([
      ["Platform fee", "48.39"], // 100 × 15/31
      ["Minutes", "9.68"], // 20 × 15/31
    ]);
    expect((await t.post(`/v1/invoices/${jan.id}/finalize`)).statusCode).toBe(200);
    const inside = await end("2025-01-10");
    expect(inside.statusCode).toBe(409);
    expect(inside.json().error.code).toBe("PERIOD_FINALIZED");
    const later = await end("2025-03-31");
    expect(later.statusCode).toBe(409);
    expect(later.json().error.code).toBe("CONTRACT_ENDED");
    expect((await t.get(`/v1/contracts/${contractId}`)).json().endDate).toBe("2025-01-15");
  });
});
