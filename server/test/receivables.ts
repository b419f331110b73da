import { expect } from "vitest";
import { randomIds } from "../src/context.ts";
import { createBillingContext } from "../src/modules/billing/context.ts";
import { drainBillingJobs } from "../src/modules/billing-runs/service.ts";
import { perUnitPlan, type TestContext, type TestTenant } from "./helpers.ts";

/** Test setup for receivables: a customer on a per-unit plan (1 unit = `rate`) whose monthly invoices we finalize. */
export interface BilledCustomer {
  customerId: string;
  externalId: string;
  contractId: string;
}

let counter = 0;

export async function billedCustomer(
  t: TestTenant,
  options: { currency?: string; rate?: string; timezone?: string; startDate?: string } = {},
): Promise<BilledCustomer> {
  const n = ++counter;
  const metric = `units${n}`;
  expect(
    (await t.post("/v1/metrics", { key: metric, eventType: metric, aggregation: "sum", property: "units" }))
      .statusCode,
  ).toBe(201);
  // The per-unit plan, with the line showing its quantity and product as invoices print them.
  const document = perUnitPlan(metric, { rate: options.rate ?? "1", currency: options.currency ?? "USD" });
  document.nodes[2].data = { description: "API calls", product: "api-calls" };
  document.edges.push({ id: "eq", source: "u", sourceHandle: "out", target: "l", targetHandle: "quantity" });
  const plan = await t.post("/v1/plans", { name: `Plan ${n}`, document });
  expect(plan.statusCode, plan.body).toBe(201);
  expect((await t.post(`/v1/plans/${plan.json().id}/versions`)).statusCode).toBe(201);
  const externalId = `cust-${n}`;
  const customer = await t.post("/v1/customers", {
    externalId,
    name: `Customer ${n}`,
    timezone: options.timezone ?? "UTC",
  });
  expect(customer.statusCode).toBe(201);
  // Drafts stay drafts until the test finalizes them (the longest grace period there is).
  expect((await t.put("/v1/billing/settings", { gracePeriodHours: 24 * 90 })).statusCode).toBe(200);
  const contract = await t.post("/v1/contracts", {
    customerId: customer.json().id,
    planId: plan.json().id,
    startDate: options.startDate ?? "2025-01-01",
    billingPeriod: "monthly",
    creditGrants: [],
  });
  expect(contract.statusCode, contract.body).toBe(201);
  return { customerId: customer.json().id, externalId, contractId: contract.json().id };
}

/** Bills `units` in the month starting `month` (YYYY-MM); returns that month's draft (`units × rate`). */
export async function draftInvoice(
  ctx: TestContext,
  t: TestTenant,
  customer: BilledCustomer,
  month: string,
  units: number | string,
): Promise<{ id: string }> {
  const start = new Date(`${month}-01T00:00:00Z`);
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + 1);
  const type = `units${customer.externalId.slice("cust-".length)}`;
  const events = await t.post("/v1/events", {
    events: [
      {
        id: `${customer.externalId}-${month}`,
        customer: customer.externalId,
        type,
        timestamp: new Date(start.getTime() + 86_400_000).toISOString(),
        properties: { units: String(units) },
      },
    ],
  });
  expect(events.statusCode, events.body).toBeLessThan(300);
  // Two days after the month's end: the period has ended in every zone.
  const runAt = new Date(end.getTime() + 2 * 86_400_000).toISOString();
  ctx.clock.set(runAt);
  const run = await t.post("/v1/billing-runs", { asOf: runAt });
  expect(run.statusCode, run.body).toBe(202);
  const deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
  await drainBillingJobs(deps);
  const list = await t.get(`/v1/invoices?contractId=${customer.contractId}&limit=500`);
  const invoice = list
    .json()
    .data.find((i: { periodStartDate: string }) => i.periodStartDate === `${month}-01`);
  expect(invoice, list.body).toBeDefined();
  // Another customer's run may have created this draft before the event arrived: bill what is known now.
  expect((await t.post(`/v1/invoices/${invoice.id}/refresh`)).statusCode).toBe(200);
  return invoice;
}

/**
 * Bills `units` in the month starting `month` (YYYY-MM) and finalizes that invoice at `finalizeAt`. Returns the
 * finalized invoice (its `total` is `units × rate` before tax).
 */
export async function finalizedInvoice(
  ctx: TestContext,
  t: TestTenant,
  customer: BilledCustomer,
  month: string,
  units: number | string,
  finalizeAt: string,
) {
  const invoice = await draftInvoice(ctx, t, customer, month, units);
  ctx.clock.set(finalizeAt);
  const finalized = await t.post(`/v1/invoices/${invoice.id}/finalize`);
  expect(finalized.statusCode, finalized.body).toBe(200);
  return finalized.json() as { id: string; number: string; total: string; currency: string };
}

/** The fields of a listed e-mail message that tests look at. */
interface EmailMessage {
  kind: string;
  invoiceId: string;
  customerId: string;
  subject: string;
  to: string[];
  text: string;
}

/** The tenant's e-mail messages of one kind (invoice_issued, payment_reminder, usage_report, …). */
export async function emailsOfKind(t: TestTenant, kind: string): Promise<EmailMessage[]> {
  const data = (await t.get("/v1/email-messages?limit=500")).json().data as EmailMessage[];
  return data.filter((m) => m.kind === kind);
}
