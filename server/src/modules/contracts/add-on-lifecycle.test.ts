import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";
import { phasedPlan } from "./lifecycle-fixtures.ts";

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
const edge = (id: string, source: string, target: string, targetHandle: string) => ({
  id,
  source,
  sourceHandle: "out",
  target,
  targetHandle,
});

/**
 * The add-on: a prorated support fee `support` (default 30) in advance and tickets × `price` (default 2) in arrears.
 * Its node ids are the base plan's own ("fee", "feeLine", "u", "p", "usageLine"), so any mix-up of components in
 * billing shows.
 */
const supportPlan = (currency = "USD") => ({
  format: "pricegraph/v1",
  currency,
  params: [
    { key: "price", label: "Ticket price", type: "money", default: "2" },
    { key: "support", label: "Support fee", type: "money", default: "30" },
  ],
  nodes: [
    node("fee", "flatFee", { amount: { param: "support" }, prorate: true }),
    node("feeLine", "invoiceLine", { description: "Support", timing: "advance" }),
    node("u", "usage", { metric: "tickets" }),
    node("p", "perUnit", { unitPrice: { param: "price" } }),
    node("usageLine", "invoiceLine", { description: "Tickets" }),
  ],
  edges: [
    edge("e1", "fee", "feeLine", "amount"),
    edge("e2", "u", "p", "in"),
    edge("e3", "p", "usageLine", "amount"),
  ],
});

let eventCounter = 0;
async function send(t: TestTenant, type: "video" | "ticket", timestamp: string, n: number) {
  const properties = type === "video" ? { minutes: n } : { n };
  const res = await t.post("/v1/events", {
    events: [{ id: `aol-${++eventCounter}`, customer: "acme", type, timestamp, properties }],
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

async function bill(t: TestTenant, asOf: string) {
  const res = await t.post("/v1/billing-runs", { asOf });
  expect(res.statusCode, res.body).toBe(202);
  await drainBillingJobs(ctx.deps);
}

async function invoiceFor(t: TestTenant, periodStartDate: string) {
  const list = (await t.get("/v1/invoices?limit=100")).json();
  const found = list.data.find(
    (i: { periodStartDate: string; kind: string }) =>
      i.periodStartDate === periodStartDate && i.kind === "period",
  );
  return (await t.get(`/v1/invoices/${found.id}`)).json();
}

/** Lines as [description, amount, "add-on" | "base"]. */
const tagged = (invoice: { lines: { description: string; amount: string; componentId: string | null }[] }) =>
  invoice.lines.map((l) => [l.description, l.amount, l.componentId ? "add-on" : "base"]);

async function setup(startDate: string, options: { endDate?: string } = {}) {
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", {
    key: "minutes",
    eventType: "video",
    aggregation: "sum",
    property: "minutes",
  });
  await t.post("/v1/metrics", { key: "tickets", eventType: "ticket", aggregation: "sum", property: "n" });
  const base = (await t.post("/v1/plans", { name: "Video", document: phasedPlan })).json();
  expect((await t.post(`/v1/plans/${base.id}/versions`)).statusCode).toBe(201);
  const support = (await t.post("/v1/plans", { name: "Support", document: supportPlan() })).json();
  expect((await t.post(`/v1/plans/${support.id}/versions`)).statusCode).toBe(201);
  const customer = (
    await t.post("/v1/customers", { externalId: "acme", name: "Acme", timezone: "UTC" })
  ).json();
  const created = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: base.id,
    startDate,
    endDate: options.endDate,
    billingPeriod: "monthly",
    addOns: [{ planId: support.id }],
  });
  expect(created.statusCode, created.body).toBe(201);
  const contract = created.json();
  return {
    t,
    contractId: contract.id as string,
    addOnId: contract.addOns[0].id as string,
    supportPlanId: support.id,
  };
}

describe("add-ons change like contracts", () => {
  it("an add-on changed mid-period re-prices the draft per add-on phase; a late add-on event is adjusted; ending it credits its advance fee and prorates its last period", async () => {
    ctx.clock.set("2025-04-01T01:00:00Z");
    const { t, contractId, addOnId } = await setup("2025-03-01");
    await send(t, "video", "2025-03-05T10:00:00Z", 10);
    await send(t, "ticket", "2025-03-05T10:00:00Z", 4); // first add-on phase
    await send(t, "ticket", "2025-03-20T10:00:00Z", 6); // second add-on phase
    await bill(t, "2025-04-01T00:00:00Z");
    const before = await invoiceFor(t, "2025-03-01");
    expect(before.status).toBe("draft");
    // 100 + max(5, 20) + 100 in advance; support 30 (March) + 10 × 2 + 30 (April in advance)
    expect(before.total).toBe("300.00");

    const amended = await t.post(`/v1/contracts/${contractId}/add-ons/${addOnId}/amendments`, {
      effectiveDate: "2025-03-16",
      paramOverrides: { price: "3", support: "60" },
      reason: "Premium support from mid-March",
    });
    expect(amended.statusCode, amended.body).toBe(200);
    expect(amended.json().phases).toMatchObject([
      { id: addOnId, effectiveDate: "2025-03-01", paramOverrides: {} },
      { effectiveDate: "2025-03-16", paramOverrides: { price: "3", support: "60" } },
    ]);
    // The base plan's phases are untouched.
    expect((await t.get(`/v1/contracts/${contractId}`)).json().phases).toHaveLength(1);

    // The draft was re-priced in the same transaction: the add-on per phase (15 and 16 of March's 31 days).
    const march = await invoiceFor(t, "2025-03-01");
    expect(tagged(march)).toEqual([
      ["Platform fee", "100.00", "base"], // March, first invoice
      ["Minutes", "20.00", "base"], // max(10 × 0.5, 20)
      ["Support (2025-03-01 – 2025-03-15)", "14.52", "add-on"], // 30 × 15/31 = 14.516…
      ["Tickets (2025-03-01 – 2025-03-15)", "8.00", "add-on"], // 4 × 2
      ["Support (2025-03-16 – 2025-03-31)", "30.97", "add-on"], // 60 × 16/31 = 30.967…
      ["Tickets (2025-03-16 – 2025-03-31)", "18.00", "add-on"], // 6 × 3
      ["Platform fee", "100.00", "base"], // April in advance
      ["Support", "60.00", "add-on"], // April in advance, on the add-on's new terms
    ]);
    expect(march.total).toBe("351.49");
    const activity = (await t.get(`/v1/activity?objectId=${addOnId}`)).json();
    expect(activity.data.map((a: { type: string }) => a.type)).toContain("contract_add_on.amended");
    expect((await t.post(`/v1/invoices/${march.id}/finalize`)).statusCode).toBe(200);

    // A late ticket of March (second phase: 5 × 3) reaches April's invoice as an adjustment of the add-on.
    ctx.clock.set("2025-04-05T00:00:00Z");
    await send(t, "ticket", "2025-03-25T10:00:00Z", 5);
    await send(t, "ticket", "2025-04-05T10:00:00Z", 2);

    // Refusals: into the finalized March, before the add-on's start.
    const intoMarch = await t.post(`/v1/contracts/${contractId}/add-ons/${addOnId}/end`, {
      endDate: "2025-03-20",
      reason: "Too late",
    });
    expect(intoMarch.statusCode).toBe(409);
    expect(intoMarch.json().error.code).toBe("PERIOD_FINALIZED");
    expect(intoMarch.json().error.details[0].path).toBe("$.endDate");
    expect(intoMarch.json().error.details[0].message).toContain("the first open day is 2025-04-01");
    const beforeStart = await t.post(`/v1/contracts/${contractId}/add-ons/${addOnId}/end`, {
      endDate: "2025-02-20",
      reason: "Wrong",
    });
    expect(beforeStart.statusCode).toBe(400);
    expect(beforeStart.json().error.details[0].path).toBe("$.endDate");

    // Ending the add-on on April 10: 60 − 60 × 10/30 = 40.00 of April's support fee comes back.
    const ended = await t.post(`/v1/contracts/${contractId}/add-ons/${addOnId}/end`, {
      endDate: "2025-04-10",
      reason: "Customer downgraded",
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().addOn.endDate).toBe("2025-04-10");
    expect(ended.json().creditNotes).toMatchObject([{ invoiceId: march.id, amount: "40.00" }]);

    ctx.clock.set("2025-05-01T01:00:00Z");
    await send(t, "ticket", "2025-04-20T10:00:00Z", 7); // after the add-on's end: never billed
    await bill(t, "2025-05-01T00:00:00Z");
    const april = await invoiceFor(t, "2025-04-01");
    expect(tagged(april)).toEqual([
      ["Minutes", "20.00", "base"], // max(0, 20)
      ["Tickets (2025-04-01 – 2025-04-10)", "6.00", "add-on"], // 2 × 3; the ticket of April 20 is after the end
      ["Platform fee", "100.00", "base"], // May in advance; the add-on bills none
      ["Adjustment for 2025-03-01 – 2025-03-31: Tickets", "15.00", "add-on"], // 5 × 3
    ]);
    expect(april.total).toBe("141.00");
  });

  it("refuses add-on changes like contract amendments, with codes and field paths", async () => {
    ctx.clock.set("2025-04-01T12:00:00Z");
    const { t, contractId, addOnId, supportPlanId } = await setup("2025-03-01");
    await bill(t, "2025-04-01T00:00:00Z");
    const march = await invoiceFor(t, "2025-03-01");
    const finalized = await t.post(`/v1/invoices/${march.id}/finalize`);
    expect(finalized.statusCode).toBe(200);
    const url = `/v1/contracts/${contractId}/add-ons/${addOnId}/amendments`;

    const intoMarch = await t.post(url, {
      effectiveDate: "2025-03-20",
      paramOverrides: { price: "5" },
      reason: "x",
    });
    expect(intoMarch.statusCode).toBe(409);
    expect(intoMarch.json().error.code).toBe("PERIOD_FINALIZED");
    expect(intoMarch.json().error.message).toContain(finalized.json().number);
    expect(intoMarch.json().error.details[0]).toMatchObject({ path: "$.effectiveDate" });
    expect(intoMarch.json().error.details[0].message).toContain("the first open day is 2025-04-01");

    const unknown = await t.post(url, {
      effectiveDate: "2025-04-10",
      paramOverrides: { nope: "1" },
      reason: "x",
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe("$.paramOverrides.nope");

    const unchanged = await t.post(url, { effectiveDate: "2025-04-10", reason: "x" });
    expect(unchanged.statusCode).toBe(400);

    const first = await t.post(url, {
      effectiveDate: "2025-04-10",
      paramOverrides: { price: "3" },
      reason: "x",
    });
    expect(first.statusCode, first.body).toBe(200);
    const again = await t.post(url, {
      effectiveDate: "2025-04-10",
      paramOverrides: { price: "4" },
      reason: "x",
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("PHASE_EXISTS");
    expect(again.json().error.details[0].path).toBe("$.effectiveDate");
    // The contract cannot end before an add-on's amendment takes effect.
    const contractEnd = await t.post(`/v1/contracts/${contractId}/end`, {
      endDate: "2025-04-05",
      reason: "x",
    });
    expect(contractEnd.statusCode).toBe(400);
    expect(contractEnd.json().error.details[0]).toMatchObject({ path: "$.endDate" });
    expect(contractEnd.json().error.details[0].message).toContain(`add-on ${addOnId}`);
    // The base plan may still change on that day: phases are per component.
    const baseSameDay = await t.post(`/v1/contracts/${contractId}/amendments`, {
      effectiveDate: "2025-04-10",
      paramOverrides: { rate: "1" },
      reason: "x",
    });
    expect(baseSameDay.statusCode, baseSameDay.body).toBe(200);

    // A version in another currency, then the plan archived.
    const euro = await t.put(`/v1/plans/${supportPlanId}/draft`, { document: supportPlan("EUR") });
    expect(euro.statusCode, euro.body).toBeLessThan(300);
    expect((await t.post(`/v1/plans/${supportPlanId}/versions`)).statusCode).toBe(201);
    const currency = await t.post(url, { effectiveDate: "2025-04-20", planVersion: 2, reason: "x" });
    expect(currency.statusCode).toBe(400);
    expect(currency.json().error.details[0].path).toBe("$.planVersion");
    expect((await t.post(`/v1/plans/${supportPlanId}/archive`)).statusCode).toBe(200);
    const archived = await t.post(url, { effectiveDate: "2025-04-20", planVersion: 2, reason: "x" });
    expect(archived.statusCode).toBe(409);
    expect(archived.json().error.code).toBe("PLAN_ARCHIVED");
    expect(archived.json().error.details[0].path).toBe("$.planVersion");

    const missing = await t.post(`/v1/contracts/${contractId}/add-ons/cmp_nope/amendments`, {
      effectiveDate: "2025-04-20",
      paramOverrides: { price: "5" },
      reason: "x",
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.details[0].path).toBe("params.addOnId");
    // Nothing of the refused requests was stored.
    const addOn = (await t.get(`/v1/contracts/${contractId}`)).json().addOns[0];
    expect(addOn.phases.map((p: { effectiveDate: string }) => p.effectiveDate)).toEqual([
      "2025-03-01",
      "2025-04-10",
    ]);
  });

  it("a preview is the bill: the quotes and the usage report of a contract with a changed add-on equal its invoice", async () => {
    ctx.clock.set("2025-06-10T00:00:00Z");
    const { t, contractId, addOnId } = await setup("2025-06-01", { endDate: "2025-06-30" });
    await send(t, "video", "2025-06-05T10:00:00Z", 70);
    await send(t, "ticket", "2025-06-05T10:00:00Z", 4);
    const change = { effectiveDate: "2025-06-16", paramOverrides: { price: "3", support: "60" } };
    const preview = await t.post(`/v1/contracts/${contractId}/quote`, { addOnId, amendment: change });
    expect(preview.statusCode, preview.body).toBe(200);
    const amended = await t.post(`/v1/contracts/${contractId}/add-ons/${addOnId}/amendments`, {
      ...change,
      reason: "Premium support",
    });
    expect(amended.statusCode, amended.body).toBe(200);
    const now = await t.post(`/v1/contracts/${contractId}/quote`, {});
    expect(now.json().current).toEqual(preview.json().changed);

    ctx.clock.set("2025-06-30T12:00:00Z");
    await send(t, "ticket", "2025-06-20T10:00:00Z", 6);
    const quote = (await t.post(`/v1/contracts/${contractId}/quote`, {})).json();
    const legacy = (await t.get(`/v1/contracts/${contractId}/quote`)).json();
    const report = (await t.get(`/v1/contracts/${contractId}/usage-report`)).json();
    expect(
      quote.current.lines.filter((l: { componentId: string | null }) => l.componentId === addOnId),
    ).toHaveLength(4);
    expect(legacy.addOns.map((a: { phase: string; total: string }) => [a.phase, a.total])).toEqual([
      ["2025-06-01 – 2025-06-15", "23.00"], // 30 × 15/30 + 4 × 2
      ["2025-06-16 – 2025-06-30", "48.00"], // 60 × 15/30 + 6 × 3
    ]);

    // An end of the add-on, priced beside the contract as it stands: its second phase shrinks to June 16–20.
    const endPreview = await t.post(`/v1/contracts/${contractId}/quote`, { addOnId, endDate: "2025-06-20" });
    expect(endPreview.statusCode, endPreview.body).toBe(200);
    expect(
      endPreview
        .json()
        .changed.lines.filter((l: { componentId: string | null }) => l.componentId === addOnId)
        .map((l: { description: string; phase: string; amount: string }) => [
          l.description,
          l.phase,
          l.amount,
        ]),
    ).toEqual([
      ["Support", "2025-06-01 – 2025-06-15", "15.00"],
      ["Tickets", "2025-06-01 – 2025-06-15", "8.00"],
      ["Support", "2025-06-16 – 2025-06-20", "10.00"], // 60 × 5/30
      ["Tickets", "2025-06-16 – 2025-06-20", "18.00"], // the 6 tickets of June 20
    ]);
    expect(endPreview.json().delta).toBe("-20.00"); // 60 × 10/30 of support less
    const unknownAddOn = await t.post(`/v1/contracts/${contractId}/quote`, {
      addOnId: "cmp_nope",
      endDate: "2025-06-20",
    });
    expect(unknownAddOn.statusCode).toBe(400);
    expect(unknownAddOn.json().error.details[0].path).toBe("$.addOnId");

    ctx.clock.set("2025-07-02T00:00:00Z");
    await bill(t, "2025-07-01T00:00:00Z");
    const june = await invoiceFor(t, "2025-06-01");
    // 100 + 35 (70 × 0.5) + 15 + 8 + 30 + 18; the contract ends in June: no advance lines for July.
    expect(june.total).toBe("206.00");
    expect(quote.current.total).toBe(june.total);
    expect(legacy.totalWithAddOns).toBe(june.total);
    expect(report.total).toBe(june.total);
    expect(
      report.lines.filter((l: { componentId: string | null }) => l.componentId === addOnId),
    ).toHaveLength(4);
  });

  it("an add-on starting in a later period bills that period's advance fee once, on its own first invoice", async () => {
    ctx.clock.set("2025-03-10T00:00:00Z");
    const { t, contractId } = await setup("2025-03-01");
    const plans = (await t.get("/v1/plans")).json().data as { id: string; name: string }[];
    const support = plans.find((p) => p.name === "Support")?.id;
    const later = await t.post(`/v1/contracts/${contractId}/add-ons`, {
      planId: support,
      startDate: "2025-04-01",
    });
    expect(later.statusCode, later.body).toBe(201);
    ctx.clock.set("2025-05-01T01:00:00Z");
    await bill(t, "2025-05-01T00:00:00Z");
    const march = await invoiceFor(t, "2025-03-01");
    const april = await invoiceFor(t, "2025-04-01");
    type Line = { description: string; componentId: string | null; servicePeriod: { startDate: string } };
    const supportFor = (month: string) =>
      [...march.lines, ...april.lines].filter(
        (l: Line) =>
          l.componentId === later.json().id &&
          l.description === "Support" &&
          l.servicePeriod.startDate === month,
      );
    // March's invoice bills the base plan's April fee in advance, not the add-on's: April's own invoice does.
    expect(march.lines.filter((l: Line) => l.componentId === later.json().id)).toEqual([]);
    expect(supportFor("2025-04-01")).toHaveLength(1);
    expect(supportFor("2025-05-01")).toHaveLength(1);
  });
});
