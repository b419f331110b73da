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

async function customer(t: TestTenant, externalId: string, parentId?: string) {
  const response = await t.post("/v1/customers", { externalId, name: externalId, parentId });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; parentId: string | null };
}

const event = (id: string, customerId: string, timestamp: string, n: number) => ({
  id,
  customer: customerId,
  type: "api_call",
  timestamp,
  properties: { n },
});

describe("account hierarchy", () => {
  it("sets, moves and detaches parents; refuses cycles, itself and unknown parents at $.parentId", async () => {
    ctx.clock.set("2025-01-01T00:00:00Z");
    const t = await createTestTenant(ctx);
    const top = await customer(t, "top");
    const middle = await customer(t, "middle", top.id);
    const leaf = await customer(t, "leaf", middle.id);
    expect(leaf.parentId).toBe(middle.id);
    const children = (await t.get(`/v1/customers?parentId=${top.id}`)).json();
    expect(children.data.map((c: { externalId: string }) => c.externalId)).toEqual(["middle"]);

    const cycle = await t.patch(`/v1/customers/${top.id}`, { parentId: leaf.id });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.details[0]).toMatchObject({
      path: "$.parentId",
      message: expect.stringMatching(/cycle/),
    });
    const self = await t.patch(`/v1/customers/${top.id}`, { parentId: top.id });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.details[0].path).toBe("$.parentId");
    const unknown = await t.post("/v1/customers", { externalId: "x", name: "x", parentId: "cus_nope" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe("$.parentId");
    // Nothing changed: the refused customer does not exist, the top has no parent.
    expect((await t.get("/v1/customers?externalId=x")).json().data).toEqual([]);
    expect((await t.get(`/v1/customers/${top.id}`)).json().parentId).toBeNull();

    const moved = await t.patch(`/v1/customers/${leaf.id}`, { parentId: top.id });
    expect(moved.json().parentId).toBe(top.id);
    const detached = await t.patch(`/v1/customers/${leaf.id}`, { parentId: null });
    expect(detached.json().parentId).toBeNull();
  });

  it("bills children's events on the parent, split by account to the cent, and re-routes only later usage after a move", async () => {
    ctx.clock.set("2025-02-10T12:00:00Z");
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "calls", eventType: "api_call", aggregation: "sum", property: "n" });
    const document = perUnitPlan("calls", { rate: "0.333" });
    document.nodes[2].data = { description: "API calls", product: "api" };
    document.edges.push({
      id: "eq",
      source: "u",
      sourceHandle: "out",
      target: "l",
      targetHandle: "quantity",
    });
    const plan = (await t.post("/v1/plans", { name: "API", document })).json();
    expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
    const parent = await customer(t, "acme");
    const eu = await customer(t, "acme-eu", parent.id);
    const us = await customer(t, "acme-us", parent.id);
    const contract = await t.post("/v1/contracts", {
      customerId: parent.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      creditGrants: [],
    });
    expect(contract.statusCode, contract.body).toBe(201);
    const ingest = await t.post("/v1/events", {
      events: [
        event("p1", "acme", "2025-01-05T00:00:00Z", 2),
        event("e1", "acme-eu", "2025-01-06T00:00:00Z", 3),
        event("u1", "acme-us", "2025-01-07T00:00:00Z", 5),
        event("u2", "acme-us", "2025-02-05T00:00:00Z", 10),
      ],
    });
    expect(ingest.statusCode, ingest.body).toBeLessThan(300);
    // acme-us leaves the group on Feb 10: its later events are its own.
    expect((await t.patch(`/v1/customers/${us.id}`, { parentId: null })).statusCode).toBe(200);
    ctx.clock.set("2025-03-03T00:00:00Z");
    await t.post("/v1/events", { events: [event("u3", "acme-us", "2025-02-15T00:00:00Z", 100)] });

    expect((await t.post("/v1/billing-runs", { asOf: "2025-03-03T00:00:00Z" })).statusCode).toBe(202);
    await drainBillingJobs(ctx.deps);
    const invoices = (await t.get(`/v1/invoices?contractId=${contract.json().id}`)).json().data;
    const byMonth = (month: string) =>
      invoices.find((i: { periodStartDate: string }) => i.periodStartDate === `${month}-01`);
    const january = (await t.get(`/v1/invoices/${byMonth("2025-01").id}`)).json();
    // 10 calls × 0.333 = 3.33, shared 2 : 3 : 5 in whole cents (66.6, 99.9, 166.5 → 67, 100, 166).
    expect(january.lines[0]).toMatchObject({ quantity: "10", amount: "3.33" });
    expect(january.lines[0].accounts).toEqual([
      { customerId: parent.id, externalId: "acme", quantity: "2", amount: "0.67" },
      { customerId: eu.id, externalId: "acme-eu", quantity: "3", amount: "1.00" },
      { customerId: us.id, externalId: "acme-us", quantity: "5", amount: "1.66" },
    ]);
    const sum = january.lines[0].accounts.reduce(
      (s: number, a: { amount: string }) => s + Number(a.amount),
      0,
    );
    expect(sum.toFixed(2)).toBe(january.lines[0].amount);

    // February: only acme-us's event from before the move counts on the parent.
    const february = (await t.get(`/v1/invoices/${byMonth("2025-02").id}`)).json();
    expect(february.lines[0]).toMatchObject({ quantity: "10", amount: "3.33" });
    expect(february.lines[0].accounts).toEqual([
      { customerId: us.id, externalId: "acme-us", quantity: "10", amount: "3.33" },
    ]);
    const report = (
      await t.get(`/v1/contracts/${contract.json().id}/usage-report?periodStart=2025-02-01`)
    ).json();
    expect(report.metrics[0]).toMatchObject({
      key: "calls",
      value: "10",
      accounts: [{ customerId: us.id, externalId: "acme-us", value: "10" }],
    });
    const ownUsage = (
      await t.get(`/v1/customers/${us.id}/usage?from=2025-02-01T00:00:00Z&to=2025-03-01T00:00:00Z`)
    ).json();
    expect(ownUsage.metrics[0]).toMatchObject({ key: "calls", value: "100" });
    const parentUsage = (
      await t.get(`/v1/customers/${parent.id}/usage?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z`)
    ).json();
    expect(parentUsage.metrics[0]).toMatchObject({ key: "calls", value: "20" });
  });
});
