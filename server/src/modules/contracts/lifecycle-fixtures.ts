/** Test fixtures of the contract lifecycle tests. */

import { expect } from "vitest";
import { createTestTenant, type TestContext, type TestTenant } from "../../../test/helpers.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";

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
export const phasedPlan = {
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

/**
 * What the amendment and ending tests do on a tenant: one customer "acme" in `timezone` on the phased plan, its
 * video minutes, billing runs drained by the test's own services, and the invoice of a period. `context` is read
 * when a helper runs, since a test file makes its context in `beforeAll`.
 */
export function lifecycleHelpers(context: () => TestContext, eventPrefix: string) {
  let eventCounter = 0;
  return {
    async setup(timezone: string, startDate: string) {
      const t = await createTestTenant(context());
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
      return { t, plan, customerId: customer.id as string, contractId: contract.json().id as string };
    },
    async send(t: TestTenant, timestamp: string, minutes: number) {
      const id = `${eventPrefix}-${++eventCounter}`;
      const res = await t.post("/v1/events", {
        events: [{ id, customer: "acme", type: "video", timestamp, properties: { minutes } }],
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
    },
    async bill(t: TestTenant, asOf: string) {
      const res = await t.post("/v1/billing-runs", { asOf });
      expect(res.statusCode, res.body).toBe(202);
      await drainBillingJobs(context().deps);
      expect((await t.get(`/v1/billing-runs/${res.json().id}`)).json().status).toBe("done");
    },
    async invoiceFor(t: TestTenant, periodStartDate: string) {
      const list = (await t.get("/v1/invoices?limit=100")).json();
      const found = list.data.find((i: { periodStartDate: string }) => i.periodStartDate === periodStartDate);
      return (await t.get(`/v1/invoices/${found.id}`)).json();
    },
  };
}

/** An invoice's lines as [description, amount] pairs. */
export const rows = (invoice: { lines: { description: string; amount: string }[] }) =>
  invoice.lines.map((l) => [l.description, l.amount]);
