import { Decimal } from "@pricegraph/engine";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { randomIds } from "../../context.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";
import { periodsWithLateEvents } from "../invoices/queries.ts";
import { type BillingDeps, createBillingContext } from "./context.ts";
import { finalizeDueDrafts } from "./drafts.ts";

let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
});
afterAll(async () => ctx?.close());

type Doc = Record<string, unknown>;
const node = (id: string, type: string, x: number, y: number, data: Record<string, unknown>) => ({
  id,
  type,
  position: { x, y },
  data,
});
const edge = (id: string, source: string, sourceHandle: string, target: string, targetHandle: string) => ({
  id,
  source,
  sourceHandle,
  target,
  targetHandle,
});

/** minutes × rate, with a prorated minimum (arrears), and a prorated platform fee billed in advance. */
const minimumPlan: Doc = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [],
  nodes: [
    node("fee", "flatFee", 0, 0, { amount: "100", prorate: true }),
    node("feeLine", "invoiceLine", 400, 0, { description: "Platform fee", timing: "advance" }),
    node("u", "usage", 0, 100, { metric: "minutes" }),
    node("p", "perUnit", 150, 100, { unitPrice: "0.5" }),
    node("m", "minimum", 300, 100, { amount: "20", prorate: true }),
    node("usageLine", "invoiceLine", 400, 100, { description: "Minutes" }),
  ],
  edges: [
    edge("e1", "fee", "out", "feeLine", "amount"),
    edge("e2", "u", "out", "p", "in"),
    edge("e3", "p", "out", "m", "in"),
    edge("e4", "m", "out", "usageLine", "amount"),
    edge("e5", "u", "out", "usageLine", "quantity"),
  ],
};

function perUnit(rate: string, currency = "USD", pool?: string): Doc {
  const nodes = [
    node("u", "usage", 0, 0, { metric: "minutes" }),
    node("p", "perUnit", 150, 0, { unitPrice: rate }),
  ];
  const edges = [edge("e1", "u", "out", "p", "in")];
  if (pool) {
    nodes.push(node("c", "credits", 300, 0, { grant: pool }));
    edges.push(edge("e2", "p", "out", "c", "in"), edge("e3", "c", "out", "l", "amount"));
  } else {
    edges.push(edge("e2", "p", "out", "l", "amount"));
  }
  nodes.push(node("l", "invoiceLine", 450, 0, { description: "Minutes" }));
  edges.push(edge("eq", "u", "out", "l", "quantity"));
  return { format: "pricegraph/v1", currency, params: [], nodes, edges };
}

interface Setup {
  t: TestTenant;
  contractIds: string[];
  customers: string[];
}

async function setup(
  document: Doc,
  options: {
    startDate?: string;
    timezone?: string;
    contracts?: number;
    creditGrants?: unknown[];
    endDate?: string;
    /** How the `minutes` metric aggregates (sum unless said otherwise). */
    aggregation?: string;
  } = {},
): Promise<Setup> {
  const t = await createTestTenant(ctx);
  expect(
    (
      await t.post("/v1/metrics", {
        key: "minutes",
        eventType: "video",
        aggregation: options.aggregation ?? "sum",
        property: "minutes",
      })
    ).statusCode,
  ).toBe(201);
  const plan = await t.post("/v1/plans", { name: "Plan", document });
  expect(plan.statusCode).toBe(201);
  const version = await t.post(`/v1/plans/${plan.json().id}/versions`);
  expect(version.statusCode).toBe(201);
  const contractIds: string[] = [];
  const customers: string[] = [];
  for (let i = 0; i < (options.contracts ?? 1); i++) {
    const customer = await t.post("/v1/customers", {
      externalId: `cust-${i}`,
      name: `Customer ${i}`,
      timezone: options.timezone ?? "UTC",
    });
    expect(customer.statusCode).toBe(201);
    const contract = await t.post("/v1/contracts", {
      customerId: customer.json().id,
      planId: plan.json().id,
      startDate: options.startDate ?? "2025-01-15",
      endDate: options.endDate,
      billingPeriod: "monthly",
      creditGrants: options.creditGrants ?? [],
    });
    expect(contract.statusCode, contract.body).toBe(201);
    contractIds.push(contract.json().id);
    customers.push(`cust-${i}`);
  }
  return { t, contractIds, customers };
}

let eventCounter = 0;
async function send(t: TestTenant, customer: string, timestamp: string, minutes: number) {
  const res = await t.post("/v1/events", {
    events: [{ id: `ev-${++eventCounter}`, customer, type: "video", timestamp, properties: { minutes } }],
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

async function bill(t: TestTenant, asOf: string) {
  const res = await t.post("/v1/billing-runs", { asOf });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json()).toMatchObject({
    asOf: new Date(asOf).toISOString(),
    status: expect.any(String),
    total: expect.any(Number),
  });
  await drainBillingJobs(deps);
  const run = (await t.get(`/v1/billing-runs/${res.json().id}`)).json();
  expect(run.status).toBe("done");
  expect(run.done).toBe(run.total);
  return run;
}

async function invoicesOf(t: TestTenant, query = "") {
  const list = (await t.get(`/v1/invoices?limit=500${query}`)).json();
  return Promise.all(
    list.data.map(async (i: { id: string }) => (await t.get(`/v1/invoices/${i.id}`)).json()),
  );
}

const sum = (values: string[]) => values.reduce((a, v) => a.plus(v), new Decimal(0));

describe("invoices from billing runs", () => {
  it("prorates the first period's flat fee and minimum, bills advance lines at the next period's start", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t, contractIds } = await setup(minimumPlan);
    await send(t, "cust-0", "2025-01-20T10:00:00Z", 10);
    await send(t, "cust-0", "2025-01-10T10:00:00Z", 1000); // before the contract starts: not billed
    const run = await bill(t, "2025-02-01T00:00:00Z");
    expect(run).toMatchObject({ total: 1, done: 1, invoicesCreated: 1 });
    const [jan] = await invoicesOf(t);
    expect(jan).toMatchObject({
      contractId: contractIds[0],
      status: "draft",
      number: null,
      periodStartDate: "2025-01-15",
      periodEndDate: "2025-02-01",
      periodStart: "2025-01-15T00:00:00.000Z",
      currency: "USD",
    });
    expect(
      jan.lines.map((l: Record<string, unknown>) => [
        l.description,
        l.timing,
        l.amount,
        (l.servicePeriod as { startDate: string }).startDate,
      ]),
    ).toEqual([
      ["Platform fee", "advance", "54.84", "2025-01-15"], // 100 × 17/31, the first invoice bills its own period's advance lines
      ["Minutes", "arrears", "10.97", "2025-01-15"], // max(10 × 0.5, 20 × 17/31)
      ["Platform fee", "advance", "100.00", "2025-02-01"], // February in advance
    ]);
    expect(jan.lines[1].unrounded).toMatch(/^10\.96774193548387/);
    expect(jan.lines[1].quantity).toBe("10");
    expect(jan.lines[1].explanation.length).toBeGreaterThan(0);
    expect(jan.total).toBe("165.81");
    expect(jan.amountDue).toBe("165.81");

    // Running again bills nothing new; the next month bills February's arrears and March in advance.
    await bill(t, "2025-02-01T00:00:00Z");
    ctx.clock.set("2025-03-01T06:00:00Z");
    await bill(t, "2025-03-01T00:00:00Z");
    const invoices = await invoicesOf(t, `&contractId=${contractIds[0]}`);
    expect(invoices).toHaveLength(2);
    const feb = invoices.find((i: { periodStartDate: string }) => i.periodStartDate === "2025-02-01");
    expect(feb.lines.map((l: { description: string; amount: string }) => [l.description, l.amount])).toEqual([
      ["Minutes", "20.00"],
      ["Platform fee", "100.00"],
    ]);
    expect(feb.total).toBe("120.00");
    const filtered = (await t.get("/v1/invoices?periodStart=2025-02-01T00:00:00Z")).json();
    expect(filtered.data.map((i: { id: string }) => i.id)).toEqual([feb.id]);
  });

  it("prorates the last period through the end date and stops there", async () => {
    ctx.clock.set("2025-04-01T06:00:00Z");
    const { t } = await setup(minimumPlan, { startDate: "2025-01-01", endDate: "2025-02-14" });
    await bill(t, "2025-04-01T00:00:00Z");
    const invoices = await invoicesOf(t);
    expect(
      invoices
        .map((i: { periodStartDate: string; periodEndDate: string }) => [i.periodStartDate, i.periodEndDate])
        .sort(),
    ).toEqual([
      ["2025-01-01", "2025-02-01"],
      ["2025-02-01", "2025-02-15"],
    ]);
    const feb = invoices.find((i: { periodStartDate: string }) => i.periodStartDate === "2025-02-01");
    // 14 of 28 days: the minimum is halved; no advance line follows the last period.
    expect(feb.lines.map((l: { description: string; amount: string }) => [l.description, l.amount])).toEqual([
      ["Minutes", "10.00"],
    ]);
    const jan = invoices.find((i: { periodStartDate: string }) => i.periodStartDate === "2025-01-01");
    expect(jan.lines.map((l: { description: string; amount: string }) => [l.description, l.amount])).toEqual([
      ["Platform fee", "100.00"],
      ["Minutes", "20.00"],
      ["Platform fee", "50.00"],
    ]);
  });

  it("bills customers in their own zone: events at the edges fall in the local period", async () => {
    ctx.clock.set("2025-03-01T06:00:00Z");
    const { t } = await setup(perUnit("1"), { startDate: "2025-01-01", timezone: "Pacific/Kiritimati" });
    // Kiritimati is UTC+14: Feb 1 local starts at 2025-01-31T10:00Z.
    await send(t, "cust-0", "2025-01-31T09:59:59Z", 1); // January
    await send(t, "cust-0", "2025-01-31T10:00:00Z", 2); // February
    await bill(t, "2025-02-28T10:00:00Z");
    const invoices = await invoicesOf(t);
    const byStart = Object.fromEntries(
      invoices.map((i: { periodStartDate: string; total: string }) => [i.periodStartDate, i.total]),
    );
    expect(byStart).toEqual({ "2025-01-01": "1.00", "2025-02-01": "2.00" });
  });
});

describe("rounding", () => {
  it("JPY has no decimals, KWD three; the total is the sum of the rounded lines", async () => {
    for (const [currency, decimals, expected] of [
      ["JPY", 0, ["334", "112"]],
      ["KWD", 3, ["0.334", "0.112"]],
    ] as const) {
      ctx.clock.set("2025-02-01T06:00:00Z");
      const rate = currency === "JPY" ? ["0.3335", "0.1115"] : ["0.0003335", "0.0001115"];
      const doc: Doc = {
        format: "pricegraph/v1",
        currency,
        params: [],
        nodes: [
          node("u", "usage", 0, 0, { metric: "minutes" }),
          node("a", "perUnit", 100, 0, { unitPrice: rate[0] }),
          node("b", "perUnit", 100, 100, { unitPrice: rate[1] }),
          node("la", "invoiceLine", 300, 0, { description: "A" }),
          node("lb", "invoiceLine", 300, 100, { description: "B" }),
        ],
        edges: [
          edge("e1", "u", "out", "a", "in"),
          edge("e2", "u", "out", "b", "in"),
          edge("e3", "a", "out", "la", "amount"),
          edge("e4", "b", "out", "lb", "amount"),
        ],
      };
      const { t } = await setup(doc, { startDate: "2025-01-01" });
      await send(t, "cust-0", "2025-01-05T00:00:00Z", 1000);
      await bill(t, "2025-02-01T00:00:00Z");
      const [invoice] = await invoicesOf(t);
      const amounts = invoice.lines.map((l: { amount: string }) => l.amount);
      expect(amounts).toEqual(expected);
      expect(invoice.currency).toBe(currency);
      expect(invoice.total).toBe(sum(amounts).toFixed(decimals));
      expect(invoice.total.split(".")[1]?.length ?? 0).toBe(decimals);
    }
  });
});

describe("exactly once under concurrency", () => {
  it("overlapping runs bill each contract-period once; concurrent finalizing numbers invoices without gaps", async () => {
    ctx.clock.set("2025-03-01T06:00:00Z");
    const { t } = await setup(perUnit("1"), { startDate: "2025-01-01", contracts: 6 });
    for (let i = 0; i < 6; i++) await send(t, `cust-${i}`, "2025-01-10T00:00:00Z", i + 1);
    await t.put("/v1/billing/settings", { gracePeriodHours: 24 * 90 }); // keep January's drafts open
    const runs = await Promise.all([
      t.post("/v1/billing-runs", { asOf: "2025-03-01T00:00:00Z" }),
      t.post("/v1/billing-runs", { asOf: "2025-03-01T00:00:00Z" }),
      t.post("/v1/billing-runs", { asOf: "2025-02-01T00:00:00Z" }),
    ]);
    expect(runs.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    await Promise.all([drainBillingJobs(deps), drainBillingJobs(deps), drainBillingJobs(deps)]);
    const states = await Promise.all(
      runs.map(async (r) => (await t.get(`/v1/billing-runs/${r.json().id}`)).json()),
    );
    expect(states.map((s) => [s.status, s.done, s.total])).toEqual([
      ["done", 6, 6],
      ["done", 6, 6],
      ["done", 6, 6],
    ]);
    expect(states.reduce((n, s) => n + s.invoicesCreated, 0)).toBe(12);
    const list = (await t.get("/v1/billing-runs")).json();
    expect(list.data).toHaveLength(3);

    const invoices = (await t.get("/v1/invoices?limit=100")).json().data;
    expect(invoices).toHaveLength(12);
    const keys = new Set(
      invoices.map((i: { contractId: string; periodStart: string }) => `${i.contractId}|${i.periodStart}`),
    );
    expect(keys.size).toBe(12);

    const finalized = await Promise.all(
      invoices.map((i: { id: string }) => t.post(`/v1/invoices/${i.id}/finalize`)),
    );
    expect(
      finalized.map((r) => r.statusCode),
      finalized.map((r) => r.body).join("\n"),
    ).toEqual(Array(12).fill(200));
    const numbers = finalized.map((r) => r.json().number).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => `INV-${String(i + 1).padStart(6, "0")}`));
  });
});

describe("finalized invoices are immutable", () => {
  it("refuses changes through the API (409) and through SQL (trigger)", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t } = await setup(perUnit("2"), { startDate: "2025-01-01" });
    await send(t, "cust-0", "2025-01-05T00:00:00Z", 5);
    await bill(t, "2025-02-01T00:00:00Z");
    const [draft] = await invoicesOf(t);
    const finalized = await t.post(`/v1/invoices/${draft.id}/finalize`);
    expect(finalized.json()).toMatchObject({ status: "finalized", number: "INV-000001", total: "10.00" });
    for (const action of ["finalize", "refresh"]) {
      const res = await t.post(`/v1/invoices/${draft.id}/${action}`);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe("CONFLICT");
    }
    const db = ctx.database.db;
    await expect(db.execute(sql`UPDATE invoices SET total = '0' WHERE id = ${draft.id}`)).rejects.toThrow();
    await expect(db.execute(sql`UPDATE invoices SET number = 'X' WHERE id = ${draft.id}`)).rejects.toThrow();
    await expect(
      db.execute(sql`UPDATE invoice_lines SET amount = '0' WHERE invoice_id = ${draft.id}`),
    ).rejects.toThrow();
    await expect(db.execute(sql`DELETE FROM invoice_lines WHERE invoice_id = ${draft.id}`)).rejects.toThrow();
    await expect(db.execute(sql`DELETE FROM invoices WHERE id = ${draft.id}`)).rejects.toThrow();
    await expect(
      db.execute(sql`INSERT INTO invoice_lines SELECT * FROM jsonb_populate_recordset(NULL::invoice_lines,
        (SELECT jsonb_agg(to_jsonb(l) || jsonb_build_object('id', l.id || '-copy')) FROM invoice_lines l WHERE l.invoice_id = ${draft.id}))`),
    ).rejects.toThrow();
    const after = (await t.get(`/v1/invoices/${draft.id}`)).json();
    expect(after.total).toBe("10.00");
    expect(after.lines[0].amount).toBe("10.00");

    // The permitted transitions: a credit note lowers what is due; void freezes it for good.
    const note = await t.post(`/v1/invoices/${draft.id}/credit-notes`, { amount: "3", reason: "goodwill" });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ creditedAmount: "3.00", amountDue: "7.00", total: "10.00" });
    expect((await t.post(`/v1/invoices/${draft.id}/void`)).statusCode).toBe(409); // credited: not voidable
    const other = await setup(perUnit("2"), { startDate: "2025-01-01" });
    await bill(other.t, "2025-02-01T00:00:00Z");
    const [second] = await invoicesOf(other.t);
    expect((await other.t.post(`/v1/invoices/${second.id}/void`)).statusCode).toBe(409); // drafts are not voided
    await other.t.post(`/v1/invoices/${second.id}/finalize`);
    const voided = await other.t.post(`/v1/invoices/${second.id}/void`);
    expect(voided.json()).toMatchObject({ status: "void" });
    await expect(
      db.execute(sql`UPDATE invoices SET status = 'finalized' WHERE id = ${second.id}`),
    ).rejects.toThrow();
  });
});

describe("late events and drafts", () => {
  it("refresh picks up late events on a draft; after finalizing they become an adjustment on the next invoice", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t } = await setup(perUnit("1.5"), { startDate: "2025-01-15" });
    await send(t, "cust-0", "2025-01-20T00:00:00Z", 10);
    await bill(t, "2025-02-01T00:00:00Z");
    const [jan] = await invoicesOf(t);
    expect(jan.total).toBe("15.00");
    await send(t, "cust-0", "2025-01-31T23:00:00Z", 2);
    const refreshed = await t.post(`/v1/invoices/${jan.id}/refresh`);
    expect(refreshed.json()).toMatchObject({ status: "draft", total: "18.00" });
    await t.post(`/v1/invoices/${jan.id}/finalize`);

    ctx.clock.set("2025-02-10T00:00:00Z");
    await send(t, "cust-0", "2025-01-25T00:00:00Z", 4); // late: January is finalized
    await send(t, "cust-0", "2025-02-05T00:00:00Z", 1);
    ctx.clock.set("2025-03-01T06:00:00Z");
    await bill(t, "2025-03-01T00:00:00Z");
    const feb = (await invoicesOf(t, "&status=draft"))[0];
    expect(feb.periodStartDate).toBe("2025-02-01");
    expect(
      feb.lines.map((l: Record<string, unknown>) => [l.kind, l.description, l.quantity, l.amount]),
    ).toEqual([
      ["charge", "Minutes", "1", "1.50"],
      ["adjustment", "Adjustment for 2025-01-15 – 2025-01-31: Minutes", "4", "6.00"],
    ]);
    expect(feb.lines[1].servicePeriod.startDate).toBe("2025-01-15");
    expect(feb.total).toBe("7.50");
    // The adjustment is billed once: refreshing the draft recomputes the same difference.
    const again = await t.post(`/v1/invoices/${feb.id}/refresh`);
    expect(again.json().total).toBe("7.50");
    const finalizedJan = (await t.get(`/v1/invoices/${jan.id}`)).json();
    expect(finalizedJan.total).toBe("18.00");

    // January's late event is adjusted for, so later invoices and runs do not recompute January: not until a
    // newer late event comes, or the invoice carrying the adjustment is voided.
    const lateFor = async () =>
      (await periodsWithLateEvents(deps.db, t.tenantId, [jan.contractId])).map((l) => l.invoiceId);
    expect(await lateFor()).toEqual([]);
    await send(t, "cust-0", "2025-01-26T00:00:00Z", 2);
    expect(await lateFor()).toEqual([jan.id]);
    ctx.clock.set("2025-03-01T07:00:00Z");
    expect((await t.post(`/v1/invoices/${feb.id}/refresh`)).json().total).toBe("10.50");
    expect(await lateFor()).toEqual([]);
    await t.post(`/v1/invoices/${feb.id}/finalize`);
    await t.post(`/v1/invoices/${feb.id}/void`);
    expect(await lateFor()).toEqual([jan.id]);
  });

  it("a contract that has ended gets an adjustment invoice for late events of its finalized periods", async () => {
    ctx.clock.set("2025-03-01T06:00:00Z");
    const { t } = await setup(perUnit("2"), { startDate: "2025-01-01", endDate: "2025-02-14" });
    await send(t, "cust-0", "2025-02-10T00:00:00Z", 5);
    await bill(t, "2025-03-01T00:00:00Z");
    for (const invoice of await invoicesOf(t)) await t.post(`/v1/invoices/${invoice.id}/finalize`);
    // Nothing late yet: a run makes no invoice.
    await bill(t, "2025-03-01T06:00:00Z");
    expect(await invoicesOf(t)).toHaveLength(2);

    ctx.clock.set("2025-03-05T00:00:00Z");
    await send(t, "cust-0", "2025-02-12T00:00:00Z", 3); // late for the last period, which is finalized
    await send(t, "cust-0", "2025-01-20T00:00:00Z", 1); // late for the first
    await send(t, "cust-0", "2025-02-20T00:00:00Z", 50); // after the end date: never billed
    await bill(t, "2025-03-05T00:00:00Z");
    const [closing] = await invoicesOf(t, "&status=draft");
    expect(closing).toMatchObject({
      kind: "adjustment",
      periodStart: "2025-02-15T00:00:00.000Z",
      periodEnd: "2025-02-15T00:00:00.000Z",
      total: "8.00",
    });
    expect(
      closing.lines.map((l: Record<string, unknown>) => [l.kind, l.description, l.quantity, l.amount]),
    ).toEqual([
      ["adjustment", "Adjustment for 2025-01-01 – 2025-01-31: Minutes", "1", "2.00"],
      ["adjustment", "Adjustment for 2025-02-01 – 2025-02-14: Minutes", "3", "6.00"],
    ]);
    // Runs and refreshes bill each late event once: another run adds nothing while the draft is open.
    ctx.clock.set("2025-03-05T12:00:00Z"); // within the draft's 24-hour grace period
    await bill(t, "2025-03-05T12:00:00Z");
    expect(await invoicesOf(t)).toHaveLength(3);
    await send(t, "cust-0", "2025-02-13T00:00:00Z", 1);
    const refreshed = await t.post(`/v1/invoices/${closing.id}/refresh`);
    expect(refreshed.json()).toMatchObject({ kind: "adjustment", total: "10.00" });
    expect((await t.post(`/v1/invoices/${closing.id}/finalize`)).json()).toMatchObject({
      status: "finalized",
      number: "INV-000003",
    });
    ctx.clock.set("2025-03-07T00:00:00Z");
    await bill(t, "2025-03-07T00:00:00Z");
    expect(await invoicesOf(t)).toHaveLength(3);

    // Late again after that invoice is finalized: a second adjustment invoice, for what is new only.
    ctx.clock.set("2025-03-10T00:00:00Z");
    await send(t, "cust-0", "2025-02-01T00:00:00Z", 4);
    await bill(t, "2025-03-10T00:00:00Z");
    const [second] = await invoicesOf(t, "&status=draft");
    expect(second).toMatchObject({ kind: "adjustment", total: "8.00" });
    expect(second.lines.map((l: { quantity: string }) => l.quantity)).toEqual(["4"]);
    // Its grace period runs from its creation, not from its (long past) period.
    expect(await finalizeDueDrafts(deps, t.tenantId)).toBe(0);
    ctx.clock.set("2025-03-11T00:00:00Z");
    expect(await finalizeDueDrafts(deps, t.tenantId)).toBe(1);
    expect((await t.get(`/v1/invoices/${second.id}`)).json()).toMatchObject({
      status: "finalized",
      total: "8.00",
    });
  });

  it("drafts finalize themselves once the tenant's grace period is over", async () => {
    ctx.clock.set("2025-02-01T00:30:00Z");
    const { t } = await setup(perUnit("1"), { startDate: "2025-01-01" });
    expect((await t.get("/v1/billing/settings")).json()).toEqual({
      gracePeriodHours: 24,
      scheduledRuns: true,
      scheduledRunHour: 2,
      invoiceConsolidation: "per_contract",
    });
    expect((await t.put("/v1/billing/settings", { gracePeriodHours: 2 })).statusCode).toBe(200);
    await send(t, "cust-0", "2025-01-05T00:00:00Z", 3);
    await bill(t, "2025-02-01T00:00:00Z");
    await send(t, "cust-0", "2025-01-06T00:00:00Z", 4); // within grace: picked up when it finalizes
    await finalizeDueDrafts(deps, t.tenantId);
    expect((await invoicesOf(t))[0].status).toBe("draft");
    ctx.clock.set("2025-02-01T02:00:00Z");
    expect(await finalizeDueDrafts(deps, t.tenantId)).toBe(1);
    const [invoice] = await invoicesOf(t);
    expect(invoice).toMatchObject({ status: "finalized", number: "INV-000001", total: "7.00" });
  });
});

describe("credit ledger", () => {
  it("draws the earliest-expiring grant first across three periods; expired balances stop counting", async () => {
    ctx.clock.set("2025-01-01T06:00:00Z");
    const { t, contractIds } = await setup(perUnit("1", "USD", "promo"), {
      startDate: "2025-01-01",
      creditGrants: [{ pool: "promo", amount: "100", expiresAt: "2025-03-15T00:00:00Z" }],
    });
    const contractId = contractIds[0];
    const granted = await t.post(`/v1/contracts/${contractId}/credit-grants`, {
      pool: "promo",
      amount: "50",
    });
    expect(granted.statusCode).toBe(201);
    ctx.clock.set("2025-04-01T06:00:00Z");
    for (const day of ["2025-01-10", "2025-02-10", "2025-03-10"])
      await send(t, "cust-0", `${day}T00:00:00Z`, 40);

    for (const asOf of ["2025-02-01", "2025-03-01", "2025-04-01"]) {
      ctx.clock.set(`${asOf}T06:00:00Z`);
      await bill(t, `${asOf}T00:00:00Z`);
    }
    const invoices = (await invoicesOf(t)).sort((a, b) => (a.periodStartDate < b.periodStartDate ? -1 : 1));
    expect(invoices.map((i) => [i.periodStartDate, i.total, i.lines[0].creditsApplied])).toEqual([
      ["2025-01-01", "0.00", "40"], // 40 from the expiring grant
      ["2025-02-01", "0.00", "40"], // 40 more from it (20 left)
      ["2025-03-01", "0.00", "40"], // billed Apr 1: the first grant has expired, the second pays
    ]);
    const credits = (await t.get(`/v1/contracts/${contractId}/credits`)).json();
    expect(credits.pools).toEqual([{ pool: "promo", balance: "10" }]);
    expect(credits.grants.map((g: Record<string, unknown>) => [g.amount, g.balance, g.expired])).toEqual([
      ["100", "20", true],
      ["50", "10", false],
    ]);
    expect(
      credits.ledger
        .filter((e: { kind: string }) => e.kind === "drawdown")
        .map((e: { amount: string }) => e.amount),
    ).toEqual(["-40", "-40", "-40"]);
    expect(credits.ledger.every((e: { invoiceLineId: string | null }) => e.invoiceLineId)).toBe(true);

    // A fourth period with no grant left to cover it is billed; voiding it gives its credit back.
    ctx.clock.set("2025-05-01T06:00:00Z");
    await send(t, "cust-0", "2025-04-10T00:00:00Z", 25);
    await bill(t, "2025-05-01T00:00:00Z");
    const april = (await invoicesOf(t, "&status=draft"))[0];
    expect(april.total).toBe("15.00");
    await t.post(`/v1/invoices/${april.id}/finalize`);
    await t.post(`/v1/invoices/${april.id}/void`);
    expect((await t.get(`/v1/contracts/${contractId}/credits`)).json().pools).toEqual([
      { pool: "promo", balance: "10" },
    ]);
  });
});

describe("credit returned", () => {
  it("a late event that lowers a period's cost gives its surplus credit back, to the last grant drawn first", async () => {
    ctx.clock.set("2025-01-01T06:00:00Z");
    // `latest`: the event with the latest timestamp sets the month's minutes, so a late event can lower them.
    const { t, contractIds } = await setup(perUnit("1", "USD", "promo"), {
      startDate: "2025-01-01",
      aggregation: "latest",
      creditGrants: [
        { pool: "promo", amount: "60", expiresAt: "2025-06-01T00:00:00Z" },
        { pool: "promo", amount: "100" },
      ],
    });
    const credits = async () => (await t.get(`/v1/contracts/${contractIds[0]}/credits`)).json();
    ctx.clock.set("2025-02-01T06:00:00Z");
    await send(t, "cust-0", "2025-01-10T00:00:00Z", 90);
    await bill(t, "2025-02-01T00:00:00Z");
    const [jan] = await invoicesOf(t);
    expect(jan.total).toBe("0.00"); // 90 of credit: 60 from the expiring grant, 30 from the other
    await t.post(`/v1/invoices/${jan.id}/finalize`);

    ctx.clock.set("2025-02-05T00:00:00Z");
    await send(t, "cust-0", "2025-01-20T00:00:00Z", 20); // late, and now January's latest value
    ctx.clock.set("2025-03-01T06:00:00Z");
    await send(t, "cust-0", "2025-02-10T00:00:00Z", 10);
    await bill(t, "2025-03-01T00:00:00Z");
    const [feb] = await invoicesOf(t, "&status=draft");
    expect(
      feb.lines.map((l: Record<string, unknown>) => [l.kind, l.quantity, l.amount, l.creditsApplied]),
    ).toEqual([
      ["charge", "10", "0.00", "10"],
      ["adjustment", "-70", "0.00", "-70"],
    ]);
    const after = await credits();
    // 70 of January's 90 came back: the 30 last drawn from the second grant, then 40 to the first, which
    // February drew from again (it expires first).
    expect(after.grants.map((g: Record<string, unknown>) => [g.amount, g.balance])).toEqual([
      ["60", "30"],
      ["100", "100"],
    ]);
    expect(after.pools).toEqual([{ pool: "promo", balance: "130" }]);
    expect(after.ledger.map((e: { kind: string; amount: string }) => `${e.kind} ${e.amount}`).sort()).toEqual(
      ["drawdown -10", "drawdown -30", "drawdown -60", "reversal 30", "reversal 40"],
    );
    // Refreshing the draft recomputes the same return, once.
    await t.post(`/v1/invoices/${feb.id}/refresh`);
    expect((await credits()).pools).toEqual([{ pool: "promo", balance: "130" }]);
  });
});

describe("credit notes", () => {
  it("credit by line or amount, never more than remains, with their own gap-free numbers", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t } = await setup(minimumPlan, { startDate: "2025-01-01" });
    await send(t, "cust-0", "2025-01-05T00:00:00Z", 100);
    await bill(t, "2025-02-01T00:00:00Z");
    const [draft] = await invoicesOf(t);
    expect(
      (await t.post(`/v1/invoices/${draft.id}/credit-notes`, { amount: "1", reason: "x" })).statusCode,
    ).toBe(409);
    const invoice = (await t.post(`/v1/invoices/${draft.id}/finalize`)).json();
    expect(invoice.total).toBe("250.00"); // 100 + 50 + 100
    const usageLine = invoice.lines.find((l: { description: string }) => l.description === "Minutes");

    const tooMuch = await t.post(`/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ lineId: usageLine.id, amount: "50.01" }],
      reason: "x",
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error.details[0].path).toBe("$.lines[0].amount");
    const byLine = await t.post(`/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ lineId: usageLine.id, amount: "20" }],
      reason: "outage",
    });
    expect(byLine.statusCode).toBe(201);
    expect(byLine.json()).toMatchObject({ creditedAmount: "20.00", amountDue: "230.00" });
    const byAmount = await t.post(`/v1/invoices/${invoice.id}/credit-notes`, {
      amount: "230",
      reason: "cancel",
    });
    expect(byAmount.json()).toMatchObject({ amountDue: "0.00" });
    const over = await t.post(`/v1/invoices/${invoice.id}/credit-notes`, { amount: "0.01", reason: "more" });
    expect(over.statusCode).toBe(400);
    const badScale = await t.post(`/v1/invoices/${invoice.id}/credit-notes`, {
      amount: "0.001",
      reason: "scale",
    });
    expect(badScale.statusCode).toBe(400);
    const detail = (await t.get(`/v1/invoices/${invoice.id}`)).json();
    expect(detail.creditNotes.map((n: { number: string; amount: string }) => [n.number, n.amount])).toEqual([
      ["CN-000001", "20.00"],
      ["CN-000002", "230.00"],
    ]);
    expect(detail.lines.find((l: { id: string }) => l.id === usageLine.id).credited).toBe("20.00");
  });
});

describe("usage report and tenancy", () => {
  it("reports usage, free units used and remaining, and line totals; other tenants get 404", async () => {
    ctx.clock.set("2025-01-20T00:00:00Z");
    const doc: Doc = {
      format: "pricegraph/v1",
      currency: "USD",
      params: [],
      nodes: [
        node("u", "usage", 0, 0, { metric: "minutes" }),
        node("f", "freeUnits", 100, 0, { allowance: "100" }),
        node("p", "perUnit", 200, 0, { unitPrice: "0.1" }),
        node("l", "invoiceLine", 300, 0, { description: "Minutes" }),
      ],
      edges: [
        edge("e1", "u", "out", "f", "in"),
        edge("e2", "f", "billable", "p", "in"),
        edge("e3", "p", "out", "l", "amount"),
      ],
    };
    const { t, contractIds } = await setup(doc, { startDate: "2025-01-01" });
    await send(t, "cust-0", "2025-01-05T00:00:00Z", 60);
    const report = await t.get(`/v1/contracts/${contractIds[0]}/usage-report`);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({
      period: { startDate: "2025-01-01", endDate: "2025-02-01", complete: false },
      metrics: [{ key: "minutes", value: "60" }],
      freeUnits: [
        { nodeId: "f", metric: "minutes", used: "60", free: "60", allowance: "100", remaining: "40" },
      ],
      lines: [{ description: "Minutes", amount: "0.00" }],
      total: "0.00",
    });
    await send(t, "cust-0", "2025-01-06T00:00:00Z", 70);
    const later = (await t.get(`/v1/contracts/${contractIds[0]}/usage-report?periodStart=2025-01-01`)).json();
    expect(later.freeUnits[0]).toMatchObject({ used: "130", free: "100", remaining: "0", billable: "30" });
    expect(later.total).toBe("3.00");

    ctx.clock.set("2025-02-01T06:00:00Z");
    await bill(t, "2025-02-01T00:00:00Z");
    const [invoice] = await invoicesOf(t);
    const stranger = await createTestTenant(ctx);
    for (const url of [
      `/v1/invoices/${invoice.id}`,
      `/v1/contracts/${contractIds[0]}/credits`,
      `/v1/contracts/${contractIds[0]}/usage-report`,
    ]) {
      expect((await stranger.get(url)).statusCode).toBe(404);
    }
    for (const url of [`/v1/invoices/${invoice.id}/finalize`, `/v1/invoices/${invoice.id}/refresh`]) {
      expect((await stranger.post(url)).statusCode).toBe(404);
    }
    expect((await stranger.get("/v1/invoices")).json().data).toEqual([]);
    expect((await t.post("/v1/billing-runs", { asOf: "2030-01-01T00:00:00Z" })).statusCode).toBe(400);
  });
});

describe("a plan that fails to evaluate", () => {
  it("leaves that contract unbilled and reported on the run; the rest of the batch is billed", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t } = await setup(perUnit("1"), { startDate: "2025-01-01" });
    await t.post("/v1/metrics", {
      key: "calls",
      eventType: "api",
      aggregation: "count",
      groupBy: ["region"],
    });
    const matrix: Doc = {
      format: "pricegraph/v1",
      currency: "USD",
      params: [],
      nodes: [
        node("u", "usage", 0, 0, { metric: "calls", groupBy: ["region"] }),
        node("m", "matrix", 100, 0, {
          dimensions: ["region"],
          rows: [{ match: { region: "eu" }, tiers: [{ upTo: null, unitPrice: "1" }] }],
        }),
        node("l", "invoiceLine", 200, 0, { description: "Calls" }),
      ],
      edges: [edge("e1", "u", "out", "m", "in"), edge("e2", "m", "out", "l", "amount")],
    };
    const plan = (await t.post("/v1/plans", { name: "Matrix", document: matrix })).json();
    expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
    const customer = (await t.post("/v1/customers", { externalId: "us-customer", name: "US" })).json();
    const bad = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
    });
    expect(bad.statusCode).toBe(201);
    await t.post("/v1/events", {
      events: [
        {
          id: "us-1",
          customer: "us-customer",
          type: "api",
          timestamp: "2025-01-03T00:00:00Z",
          properties: { region: "us" },
        },
      ],
    });
    await send(t, "cust-0", "2025-01-05T00:00:00Z", 2);
    const run = await bill(t, "2025-02-01T00:00:00Z");
    expect(run).toMatchObject({ status: "done", done: 2, total: 2, invoicesCreated: 1 });
    expect(run.error).toContain(bad.json().id);
    const invoices = (await t.get("/v1/invoices")).json().data;
    expect(invoices.map((i: { contractId: string }) => i.contractId)).not.toContain(bad.json().id);
    expect(invoices).toHaveLength(1);
  });
});
