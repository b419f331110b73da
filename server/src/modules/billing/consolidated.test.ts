import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { pdfText } from "../../../test/pdf-text.ts";
import { randomIds, systemCaller } from "../../context.ts";
import { queryRows } from "../../db/index.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";
import { type BillingDeps, createBillingContext } from "./context.ts";
import { invoiceContracts } from "./invoicing.ts";

let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
});
afterAll(async () => ctx?.close());

const node = (id: string, type: string, x: number, data: Record<string, unknown>) => ({
  id,
  type,
  position: { x, y: 0 },
  data,
});
const edge = (id: string, source: string, target: string, targetHandle: string) => ({
  id,
  source,
  sourceHandle: "out",
  target,
  targetHandle,
});

/** A monthly platform fee of 100, billed in arrears, not prorated. */
const platformPlan = (currency = "USD") => ({
  format: "pricegraph/v1",
  currency,
  params: [],
  nodes: [
    node("fee", "flatFee", 0, { amount: "100", prorate: false }),
    node("feeLine", "invoiceLine", 300, { description: "Platform fee", product: "platform" }),
  ],
  edges: [edge("e1", "fee", "feeLine", "amount")],
});

/** 0.50 per minute. */
const minutesPlan = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [],
  nodes: [
    node("u", "usage", 0, { metric: "minutes" }),
    node("p", "perUnit", 150, { unitPrice: "0.5" }),
    node("l", "invoiceLine", 300, { description: "Minutes", product: "minutes" }),
  ],
  edges: [edge("e1", "u", "p", "in"), edge("e2", "p", "l", "amount"), edge("e3", "u", "l", "quantity")],
};

interface Tenant {
  t: TestTenant;
  parentId: string;
  plans: { platform: string; minutes: string; platformEur: string };
}

async function published(t: TestTenant, name: string, document: unknown): Promise<string> {
  const plan = await t.post("/v1/plans", { name, document });
  expect(plan.statusCode, plan.body).toBe(201);
  expect((await t.post(`/v1/plans/${plan.json().id}/versions`)).statusCode).toBe(201);
  return plan.json().id;
}

/** A parent account "acme" with a child account "acme-eu" whose events count toward it. */
async function tenant(): Promise<Tenant> {
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", {
    key: "minutes",
    eventType: "video",
    aggregation: "sum",
    property: "minutes",
  });
  const plans = {
    platform: await published(t, "Platform", platformPlan()),
    minutes: await published(t, "Minutes", minutesPlan),
    platformEur: await published(t, "Platform EUR", platformPlan("EUR")),
  };
  const parent = (
    await t.post("/v1/customers", { externalId: "acme", name: "Acme", timezone: "UTC" })
  ).json();
  const child = await t.post("/v1/customers", {
    externalId: "acme-eu",
    name: "Acme EU",
    timezone: "UTC",
    parentId: parent.id,
  });
  expect(child.statusCode, child.body).toBe(201);
  return { t, parentId: parent.id, plans };
}

async function contract(
  t: TestTenant,
  customerId: string,
  planId: string,
  startDate: string,
  billingPeriod = "monthly",
): Promise<string> {
  const res = await t.post("/v1/contracts", { customerId, planId, startDate, billingPeriod });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
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
  await drainBillingJobs(deps);
  const run = (await t.get(`/v1/billing-runs/${res.json().id}`)).json();
  expect(run.status, run.error).toBe("done");
  return run;
}

interface InvoiceJson {
  id: string;
  contractId: string;
  contractIds: string[];
  consolidated: boolean;
  periodStartDate: string;
  periodEndDate: string;
  currency: string;
  total: string;
  lines: { id: string; contractId: string; description: string; amount: string; kind: string }[];
  contractGroups: { contractId: string; planName: string; amount: string; lineIds: string[] }[];
}

async function invoices(t: TestTenant, query = ""): Promise<InvoiceJson[]> {
  const list = (await t.get(`/v1/invoices?limit=100${query}`)).json();
  const details = await Promise.all(
    list.data.map(async (i: { id: string }) => (await t.get(`/v1/invoices/${i.id}`)).json()),
  );
  return details.sort((a, b) =>
    `${a.periodStartDate}${a.contractId}`.localeCompare(`${b.periodStartDate}${b.contractId}`),
  );
}

async function consolidate(t: TestTenant) {
  const res = await t.put("/v1/billing/settings", { invoiceConsolidation: "per_customer" });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().invoiceConsolidation).toBe("per_customer");
}

describe("consolidated invoices (per customer)", () => {
  it("bills a parent's two contracts of the same period on one invoice, lines grouped per contract", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t, parentId, plans } = await tenant();
    expect((await t.get("/v1/billing/settings")).json().invoiceConsolidation).toBe("per_contract");
    await consolidate(t);
    const activity = (await t.get("/v1/activity?type=settings.updated")).json().data;
    expect(activity[0].object).toMatchObject({ invoiceConsolidation: "per_customer" });

    const platform = await contract(t, parentId, plans.platform, "2025-01-01");
    const minutes = await contract(t, parentId, plans.minutes, "2025-01-01");
    await send(t, "acme", "2025-01-10T00:00:00Z", 100);
    await send(t, "acme-eu", "2025-01-20T00:00:00Z", 40);
    const run = await bill(t, "2025-02-01T00:00:00Z");
    expect(run.invoicesCreated).toBe(1);

    const [invoice] = await invoices(t);
    expect(await invoices(t)).toHaveLength(1);
    // By hand: platform fee 100.00 + 140 minutes × 0.50 = 70.00 → 170.00.
    expect(invoice).toMatchObject({ consolidated: true, total: "170.00", periodStartDate: "2025-01-01" });
    expect([...invoice.contractIds].sort()).toEqual([platform, minutes].sort());
    expect(invoice.contractId).toBe(invoice.contractIds[0]);
    expect(invoice.lines.map((l) => [l.contractId, l.description, l.amount])).toEqual(
      invoice.contractIds.map((id) =>
        id === platform ? [platform, "Platform fee", "100.00"] : [minutes, "Minutes", "70.00"],
      ),
    );
    expect(invoice.contractGroups.map((g) => [g.contractId, g.planName, g.amount, g.lineIds.length])).toEqual(
      invoice.contractIds.map((id) =>
        id === platform ? [platform, "Platform", "100.00", 1] : [minutes, "Minutes", "70.00", 1],
      ),
    );
    // Either contract finds it.
    for (const id of [platform, minutes]) {
      expect(
        (await t.get(`/v1/invoices?contractId=${id}`)).json().data.map((i: InvoiceJson) => i.id),
      ).toEqual([invoice.id]);
    }

    // A refresh recomputes every contract of the draft.
    await send(t, "acme-eu", "2025-01-21T00:00:00Z", 10);
    const refreshed = await t.post(`/v1/invoices/${invoice.id}/refresh`);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json()).toMatchObject({ total: "175.00", contractIds: invoice.contractIds });

    // One number, one credit note against one contract's line, one receivable.
    const finalized = await t.post(`/v1/invoices/${invoice.id}/finalize`);
    expect(finalized.json()).toMatchObject({ status: "finalized", number: "INV-000001" });
    const minutesLine = finalized.json().lines.find((l: { contractId: string }) => l.contractId === minutes);
    const note = await t.post(`/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ lineId: minutesLine.id, amount: "5.00" }],
      reason: "goodwill",
    });
    expect(note.statusCode, note.body).toBe(201);
    expect((await t.get(`/v1/invoices/${invoice.id}`)).json()).toMatchObject({ amountDue: "170.00" });

    // One PDF naming each line's contract, with a subtotal per contract.
    const pdf = await t.get(`/v1/invoices/${invoice.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain("INV-000001");
    expect(text).toContain("BY CONTRACT");
    expect(text).toContain(`Contract: ${minutes}`);
    expect(text).toContain(`Contract: ${platform}`);
  });

  it("late events of a consolidated period are adjusted on the next consolidated invoice, on their contract", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t, parentId, plans } = await tenant();
    await consolidate(t);
    await contract(t, parentId, plans.platform, "2025-01-01");
    const minutes = await contract(t, parentId, plans.minutes, "2025-01-01");
    await send(t, "acme", "2025-01-10T00:00:00Z", 100);
    await bill(t, "2025-02-01T00:00:00Z");
    const [january] = await invoices(t);
    expect((await t.post(`/v1/invoices/${january.id}/finalize`)).statusCode).toBe(200);

    ctx.clock.set("2025-02-10T00:00:00Z");
    await send(t, "acme-eu", "2025-01-25T00:00:00Z", 20);
    ctx.clock.set("2025-03-01T06:00:00Z");
    await bill(t, "2025-03-01T00:00:00Z");
    const february = (await invoices(t)).find((i) => i.periodStartDate === "2025-02-01") as InvoiceJson;
    expect(february.consolidated).toBe(true);
    const adjustment = february.lines.find((l) => l.kind === "adjustment");
    expect(adjustment).toMatchObject({ contractId: minutes, amount: "10.00" });
    // 100 platform + 0 minutes + 10 adjustment of January's minutes.
    expect(february.total).toBe("110.00");
  });

  it("contracts whose periods or currencies differ stay on their own invoices, then share once in step", async () => {
    ctx.clock.set("2025-03-01T06:00:00Z");
    const { t, parentId, plans } = await tenant();
    await consolidate(t);
    const platform = await contract(t, parentId, plans.platform, "2025-01-01");
    const minutes = await contract(t, parentId, plans.minutes, "2025-01-15"); // partial first period
    const quarterly = await contract(t, parentId, plans.platform, "2025-01-01", "quarterly");
    const euro = await contract(t, parentId, plans.platformEur, "2025-01-01");
    await send(t, "acme", "2025-01-20T00:00:00Z", 10);
    await send(t, "acme", "2025-02-10T00:00:00Z", 20);
    await bill(t, "2025-03-01T00:00:00Z");

    const list = await invoices(t);
    const shape = list.map((i) => [
      i.periodStartDate,
      i.periodEndDate,
      i.currency,
      [...i.contractIds].sort(),
    ]);
    expect(shape).toEqual(
      expect.arrayContaining([
        ["2025-01-01", "2025-02-01", "USD", [platform]],
        ["2025-01-01", "2025-02-01", "EUR", [euro]],
        ["2025-01-15", "2025-02-01", "USD", [minutes]],
        ["2025-02-01", "2025-03-01", "USD", [platform, minutes].sort()],
        ["2025-02-01", "2025-03-01", "EUR", [euro]],
      ]),
    );
    // The quarter has not ended: nothing for the quarterly contract yet.
    expect(list.some((i) => i.contractIds.includes(quarterly))).toBe(false);
    expect(list).toHaveLength(5);
    const february = list.find((i) => i.consolidated) as InvoiceJson;
    expect(february.total).toBe("110.00"); // 100 platform + 20 minutes × 0.50
  });

  it("two concurrent billing passes over different contracts of one customer make exactly one invoice", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t, parentId, plans } = await tenant();
    await consolidate(t);
    const platform = await contract(t, parentId, plans.platform, "2025-01-01");
    const minutes = await contract(t, parentId, plans.minutes, "2025-01-01");
    await send(t, "acme", "2025-01-10T00:00:00Z", 10);
    const caller = systemCaller(t.tenantId, "billing-run");
    const asOf = new Date("2025-02-01T00:00:00Z");
    // As two jobs of overlapping runs would: each names one contract; each takes in its sibling.
    const results = await Promise.all([
      invoiceContracts(deps, caller, [platform], asOf),
      invoiceContracts(deps, caller, [minutes], asOf),
      invoiceContracts(deps, caller, [minutes, platform], asOf),
    ]);
    expect(results.map((r) => r.failures)).toEqual([[], [], []]);
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(1);
    const list = await invoices(t);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ consolidated: true, total: "105.00" });

    // The database itself refuses a second invoice for a contract-period already billed on the consolidated one.
    const refused = await ctx.database.db
      .execute(
        sql`INSERT INTO invoice_contracts (tenant_id, invoice_id, contract_id, period_start, kind)
          VALUES (${t.tenantId}, ${list[0].id}, ${minutes}, '2025-01-01T00:00:00Z', 'period')`,
      )
      .then(
        () => "inserted",
        (error: { code?: string; cause?: { code?: string } }) => error.code ?? error.cause?.code,
      );
    expect(refused).toBe("23505");
  });

  it("a pass that crashes halfway leaves nothing behind; the retry makes the one consolidated invoice", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t, parentId, plans } = await tenant();
    await consolidate(t);
    const platform = await contract(t, parentId, plans.platform, "2025-01-01");
    await contract(t, parentId, plans.minutes, "2025-01-01");
    await send(t, "acme", "2025-01-10T00:00:00Z", 10);
    const caller = systemCaller(t.tenantId, "billing-run");
    const asOf = new Date("2025-02-01T00:00:00Z");
    // The process dies while the round is computing, inside its transaction.
    const crashing: BillingDeps = {
      ...deps,
      billing: createBillingContext({
        breatheEveryMs: 0,
        breathe: async () => {
          throw new Error("process killed");
        },
      }),
    };
    await expect(invoiceContracts(crashing, caller, [platform], asOf)).rejects.toThrow("process killed");
    expect(await invoices(t)).toHaveLength(0);
    const links = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`SELECT count(*)::int AS n FROM invoice_contracts WHERE tenant_id = ${t.tenantId}`,
    );
    expect(links[0].n).toBe(0);

    const retried = await invoiceContracts(deps, caller, [platform], asOf);
    expect(retried.created).toBe(1);
    expect((await invoiceContracts(deps, caller, [platform], asOf)).created).toBe(0);
    const list = await invoices(t);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ consolidated: true, total: "105.00" });
  });

  it("per contract (the default) keeps one invoice per contract; a change applies to drafts made afterwards", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const { t, parentId, plans } = await tenant();
    const platform = await contract(t, parentId, plans.platform, "2025-01-01");
    const minutes = await contract(t, parentId, plans.minutes, "2025-01-01");
    await send(t, "acme", "2025-01-10T00:00:00Z", 10);
    await bill(t, "2025-02-01T00:00:00Z");
    const january = await invoices(t);
    expect(january.map((i) => [i.contractIds, i.consolidated, i.total])).toEqual(
      expect.arrayContaining([
        [[platform], false, "100.00"],
        [[minutes], false, "5.00"],
      ]),
    );
    expect(january).toHaveLength(2);

    await consolidate(t);
    // January's drafts stay as they were made, and refresh as such.
    for (const invoice of january) {
      const refreshed = await t.post(`/v1/invoices/${invoice.id}/refresh`);
      expect(refreshed.json()).toMatchObject({ contractIds: invoice.contractIds, total: invoice.total });
    }
    ctx.clock.set("2025-03-01T06:00:00Z");
    await bill(t, "2025-03-01T00:00:00Z");
    const february = (await invoices(t)).filter((i) => i.periodStartDate === "2025-02-01");
    expect(february).toHaveLength(1);
    expect([...february[0].contractIds].sort()).toEqual([platform, minutes].sort());
  });
});
