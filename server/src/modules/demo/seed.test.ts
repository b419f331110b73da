import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  TEST_DB,
  TestClock,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { buildApp } from "../../app.ts";
import { randomIds } from "../../context.ts";
import { type Database, openDb } from "../../db/index.ts";
import { evaluateAlerts } from "../alerts/evaluate.ts";
import { createBillingContext } from "../billing/context.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";
import { dispatchEmails } from "../email/service.ts";
import { demoCustomers } from "./customers.ts";
import { DEMO_SEED, type SeedSummary, seedDemo } from "./seed.ts";
import { customerEvents } from "./usage.ts";

const NOW = "2025-03-15T12:00:00.000Z";

let ctx: TestContext;
let tenant: TestTenant;
let summary: SeedSummary;

/**
 * The billing job queue is shared by every tenant of a database, and draining it runs whatever jobs are queued
 * with this file's clock. On PostgreSQL (one database for all test files) the seed therefore gets a database of
 * its own, so it never runs another file's billing jobs; PGlite files each have their own database anyway.
 */
async function isolatedContext(): Promise<TestContext> {
  if (TEST_DB !== "postgres") return createTestContext();
  const url = new URL(process.env.TEST_DATABASE_URL ?? "");
  const name = `${url.pathname.slice(1)}_demo_seed`;
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  url.pathname = `/${name}`;
  const database: Database = await openDb({ url: url.toString(), maxConnections: 4 });
  await database.migrate();
  const clock = new TestClock();
  const app = await buildApp({ db: database.db, clock: clock.fn });
  await app.ready();
  return {
    app,
    database,
    clock,
    deps: { db: database.db, clock: clock.fn, ids: randomIds, billing: createBillingContext() },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

beforeAll(async () => {
  ctx = await isolatedContext();
  ctx.clock.set(NOW);
  tenant = await createTestTenant(ctx, "Demo");
  const deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
  summary = await seedDemo({
    app: ctx.app,
    apiKey: tenant.apiKey,
    now: new Date(NOW),
    drainBillingJobs: () => drainBillingJobs(deps),
    evaluateAlerts: () => evaluateAlerts(deps),
  });
}, 180_000);
afterAll(async () => ctx?.close());

type Row = Record<string, unknown>;
const list = async (url: string) => (await tenant.get(url)).json().data as Row[];

describe("demo seed", () => {
  it("publishes three plans, one of them the engine's video-infrastructure template, an add-on plan and a live channel", async () => {
    const plans = await list("/v1/plans?limit=100");
    expect(plans.map((p) => p.name).sort()).toEqual([
      "Growth",
      "Live channel",
      "Premium support",
      "Starter",
      "Video infrastructure",
    ]);
    for (const plan of plans) expect(plan.latestVersion).toBe(1);
    const metrics = await list("/v1/metrics");
    expect(metrics.map((m) => m.key).sort()).toEqual([
      "api_calls",
      "delivery_minutes",
      "storage_gb",
      "video_minutes",
    ]);
  });

  it("creates twenty-one customers in many time zones, each with a contract; some with overrides and startup credits", async () => {
    const customers = await list("/v1/customers?limit=100");
    expect(customers).toHaveLength(23);
    expect(new Set(customers.map((c) => c.timezone)).size).toBeGreaterThanOrEqual(15);
    const contracts = await list("/v1/contracts?limit=100");
    expect(contracts).toHaveLength(22);
    // Every customer but the two child accounts (billed through their parent) has a contract.
    const topLevel = customers.filter((c) => c.parentId === null);
    expect(new Set(contracts.map((c) => c.customerId))).toEqual(new Set(topLevel.map((c) => c.id)));
    const withOverrides = contracts.filter((c) => Object.keys(c.paramOverrides as object).length > 0);
    expect(withOverrides.length).toBe(demoCustomers.filter((c) => c.paramOverrides).length);
    const withCredits = contracts.filter((c) => (c.creditGrants as Row[]).some((g) => g.pool === "startup"));
    expect(withCredits.length).toBe(demoCustomers.filter((c) => c.startupCredit).length);
    expect(summary).toMatchObject({ plans: 5, products: 7, customers: 23, contracts: 22, creditNotes: 1 });
  });

  it("has a product catalog naming every product the plans bill, and an add-on", async () => {
    const products = await list("/v1/products?limit=100");
    const codes = products.map((p) => p.code);
    expect(codes).toEqual(
      expect.arrayContaining(["platform", "encoding", "delivery", "commitment", "credits"]),
    );
    expect(products.filter((p) => p.kind === "add_on").map((p) => p.code)).toEqual(["premium-support"]);
    const video = products.find((p) => p.code === "video");
    expect(products.find((p) => p.code === "encoding")?.parentId).toBe(video?.id);
  });

  it("bills a media group for its two channels' usage, split by channel on each usage line", async () => {
    const group = (await list("/v1/customers?externalId=northwind-media"))[0];
    const channels = await list(`/v1/customers?parentId=${group.id}`);
    expect(channels.map((c) => c.externalId).sort()).toEqual(["northwind-kids", "northwind-news"]);
    const drafts = await list(`/v1/invoices?customerId=${group.id}&status=draft`);
    expect(drafts).toHaveLength(1);
    const invoice = (await tenant.get(`/v1/invoices/${drafts[0].id}`)).json();
    const encoding = invoice.lines.find((l: Row) => l.product === "encoding");
    const accounts = encoding.accounts as { externalId: string; amount: string }[];
    expect(accounts.map((a) => a.externalId)).toEqual([
      "northwind-kids",
      "northwind-media",
      "northwind-news",
    ]);
    const cents = accounts.reduce((sum, a) => sum + Math.round(Number(a.amount) * 100), 0);
    expect(cents).toBe(Math.round(Number(encoding.amount) * 100));
    expect(invoice.productGroups.map((g: Row) => g.product)).toEqual(
      expect.arrayContaining(["platform", "encoding", "delivery", "premium-support"]),
    );
    // The premium-support add-on bills on the same invoice, named as the add-on's line.
    const contract = (await tenant.get(`/v1/contracts/${invoice.contractId}`)).json();
    expect(contract.planId).toBe(invoice.contractGroups[0].planId);
    expect(contract.addOns).toHaveLength(1);
    const support = invoice.lines.find((l: Row) => l.product === "premium-support");
    expect(support).toMatchObject({ componentId: contract.addOns[0].id, amount: "150.00" });
    // The add-on was changed from the 8th of this month: this period prices it per phase (March has 31 days).
    expect(contract.addOns[0].phases[1]).toMatchObject({
      effectiveDate: "2025-03-08",
      paramOverrides: { support_fee: "250" },
    });
    const report = (await tenant.get(`/v1/contracts/${contract.id}/usage-report`)).json();
    const addOnLines = report.lines.filter((l: Row) => l.componentId === contract.addOns[0].id);
    expect(addOnLines.map((l: Row) => [l.phase, l.amount])).toEqual([
      ["2025-03-01 – 2025-03-07", "33.87"], // 150 × 7/31
      ["2025-03-08 – 2025-03-31", "193.55"], // 250 × 24/31
    ]);
  });

  it("consolidates the media group's two contracts on one invoice a month, lines grouped per contract", async () => {
    expect((await tenant.get("/v1/billing/settings")).json().invoiceConsolidation).toBe("per_customer");
    const group = (await list("/v1/customers?externalId=northwind-media"))[0];
    const contracts = await list(`/v1/contracts?customerId=${group.id}`);
    expect(contracts).toHaveLength(2);
    const invoices = await list(`/v1/invoices?customerId=${group.id}&limit=50`);
    // One invoice per period (December's partial one, January, February), each billing both contracts.
    expect(invoices.map((i) => i.periodStartDate).sort()).toEqual(
      [...new Set(invoices.map((i) => i.periodStartDate))].sort(),
    );
    for (const summary of invoices) {
      expect(summary.consolidated).toBe(true);
      const invoice = (await tenant.get(`/v1/invoices/${summary.id}`)).json();
      const groups = invoice.contractGroups as { planName: string; amount: string; lineIds: string[] }[];
      expect(groups.map((g) => g.planName)).toEqual(["Growth", "Live channel"]);
      const cents = groups.reduce((sum, g) => sum + Math.round(Number(g.amount) * 100), 0);
      expect(cents).toBe(Math.round(Number(invoice.total) * 100));
      expect(groups.flatMap((g) => g.lineIds)).toEqual(invoice.lines.map((l: Row) => l.id));
    }
  });

  it("amends one contract mid-month: its month is invoiced per phase, lines labelled by phase", async () => {
    const acme = (await list("/v1/customers?externalId=acme-sports"))[0];
    const [contract] = await list(`/v1/contracts?customerId=${acme.id}`);
    const phases = contract.phases as { effectiveDate: string; paramOverrides: Row; reason: string }[];
    expect(phases).toHaveLength(2);
    expect(phases[1]).toMatchObject({
      effectiveDate: "2025-02-15",
      paramOverrides: { hd_rate: "0.006", commitment: "1800" },
    });
    const [february] = await list(`/v1/invoices?contractId=${contract.id}&periodStart=2025-02-01T05:00:00Z`);
    const lines = (await tenant.get(`/v1/invoices/${february.id}`)).json().lines as { description: string }[];
    expect(lines.some((l) => l.description.endsWith("(2025-02-01 – 2025-02-14)"))).toBe(true);
    expect(lines.some((l) => l.description.endsWith("(2025-02-15 – 2025-02-28)"))).toBe(true);
  });

  it("sends three months of usage ending now, within the event budget", async () => {
    expect(summary.events).toBeGreaterThan(5000);
    expect(summary.events).toBeLessThanOrEqual(30_000);
    const acme = (await list("/v1/customers?externalId=acme-sports"))[0];
    const usage = (
      await tenant.get(`/v1/customers/${acme.id}/usage?from=2024-12-01T00:00:00Z&to=${NOW}`)
    ).json();
    const video = usage.metrics.find((m: Row) => m.key === "video_minutes");
    expect(Number(video.value)).toBeGreaterThan(200_000);
    const before = (
      await tenant.get(`/v1/customers/${acme.id}/usage?from=2024-01-01T00:00:00Z&to=2024-12-14T00:00:00Z`)
    ).json();
    expect(before.metrics.every((m: Row) => m.value === "0")).toBe(true);
  });

  it("bills with a finished run and leaves invoices in every state", async () => {
    // Drafts of the latest month wait for a person: 45 days before they would finalize themselves.
    expect((await tenant.get("/v1/billing/settings")).json()).toMatchObject({ gracePeriodHours: 1080 });
    const runs = await list("/v1/billing-runs");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "done", asOf: NOW, total: 22 });
    const invoices = await list("/v1/invoices?limit=500");
    const byStatus = (s: string) => invoices.filter((i) => i.status === s);
    // Every contract bills February (its latest closed period) as a draft; older periods are finalized.
    expect(byStatus("draft")).toHaveLength(21);
    for (const draft of byStatus("draft")) expect(draft.periodStartDate).toBe("2025-02-01");
    expect(byStatus("void")).toHaveLength(1);
    expect(byStatus("finalized").length).toBeGreaterThanOrEqual(21);
    expect(summary.invoices).toEqual({
      draft: 21,
      finalized: byStatus("finalized").length,
      void: 1,
    });
    const numbers = byStatus("finalized").map((i) => i.number);
    expect(numbers.every((n) => typeof n === "string")).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);

    const credited = [];
    for (const invoice of byStatus("finalized")) {
      if (invoice.creditedAmount !== "0.00") credited.push(invoice);
    }
    expect(credited).toHaveLength(1);
    const detail = (await tenant.get(`/v1/invoices/${credited[0].id}`)).json();
    expect(detail.creditNotes).toHaveLength(1);
    expect(detail.creditNotes[0]).toMatchObject({
      amount: "25.00",
      reason: "Goodwill credit for a delivery incident",
    });
  });

  it("puts every finalized invoice, the void and the credit note in the journal, which balances", async () => {
    const invoices = await list("/v1/invoices?limit=500");
    const entries = async (kind: string) => list(`/v1/journal-entries?limit=500&kind=${kind}`);
    const kinds = async (kind: string) => (await entries(kind)).filter((e) => e.kind === kind);
    expect(await kinds("invoice")).toHaveLength(invoices.filter((i) => i.status !== "draft").length);
    expect(await kinds("invoice_void")).toHaveLength(1);
    expect(await kinds("credit_note")).toHaveLength(1);
    const payments = await list("/v1/payments?limit=500");
    expect(await kinds("payment")).toHaveLength(payments.length);
    const tb = (await tenant.get("/v1/reports/trial-balance")).json();
    for (const c of tb.currencies) expect(c.totalDebit).toBe(c.totalCredit);
    // The demo's tax, fixed when its invoices were finalized, is owed in the journal's tax payable.
    const taxPayable = tb.currencies[0].accounts.find((a: { account: string }) => a.account === "2200");
    expect(Number(taxPayable.credit)).toBeGreaterThan(0);
  });

  it("has paid, partly paid and overdue invoices with tax, an aging report, and e-mails for the outbox", async () => {
    expect(summary.payments.paid).toBeGreaterThan(0);
    expect(summary.payments.partlyPaid).toBeGreaterThan(0);
    expect(summary.payments.overdue).toBeGreaterThan(0);
    const byStatus = async (status: string) => list(`/v1/receivables/invoices?paymentStatus=${status}`);
    expect(await byStatus("paid")).toHaveLength(summary.payments.paid);
    const taxed = (await byStatus("overdue"))[0];
    expect(Number(taxed.tax)).toBeGreaterThan(0);
    const aging = (await tenant.get(`/v1/receivables/aging?asOf=${NOW.slice(0, 10)}`)).json();
    expect(aging.currencies[0].currency).toBe("USD");
    expect(Number(aging.currencies[0].totals.total)).toBeGreaterThan(0);
    await dispatchEmails(
      { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() },
      null,
    );
    const outbox = await list("/v1/email-messages?status=outbox&limit=500");
    const kinds = new Set(outbox.map((m) => m.kind));
    // The usage-report e-mail depends on the day the suite runs (its own test covers it).
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(["invoice_issued", "payment_received", "payment_reminder"]),
    );
  });

  it("bills stored video as a weighted sum on Growth invoices, and shows stray events as unmatched usage", async () => {
    const growth = demoCustomers.find((c) => c.plan === "growth")!;
    const customer = (await list(`/v1/customers?externalId=${growth.externalId}`))[0];
    const invoices = await list(`/v1/invoices?customerId=${customer.id}&limit=50`);
    const lines = (
      await Promise.all(
        invoices.map(async (i) => (await tenant.get(`/v1/invoices/${i.id}`)).json().lines as Row[]),
      )
    ).flat();
    const storage = lines.filter((line) => String(line.description).startsWith("Video storage"));
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.some((line) => Number(line.quantity) > 0 && Number(line.amount) > 0)).toBe(true);

    const unmatched = (await tenant.get("/v1/usage/unmatched")).json();
    expect(
      Object.fromEntries(
        unmatched.reasons.map((r: { reason: string; events: number }) => [r.reason, r.events]),
      ),
    ).toEqual({ noMetric: 3, unknownCustomer: 2, nonNumericValue: 1 });
  });

  it("leaves a price rise in Growth's draft, which the backtest prices against its customers", async () => {
    const growth = (await list("/v1/plans")).find((p) => p.name === "Growth") as {
      id: string;
      draft: { params: Row[] };
    };
    expect(growth.draft.params.find((p) => p.key === "subscription")?.default).toBe("279");
    const result = (
      await tenant.post(`/v1/plans/${growth.id}/backtest`, { document: growth.draft, periods: 2 })
    ).json();
    expect(result.contracts.length).toBeGreaterThan(0);
    expect(Number(result.totals.delta)).toBeGreaterThan(0);
  });

  it("has alerts on spend, usage and credits left, some fired on this period's usage and some still ahead", async () => {
    const alerts = await list("/v1/alerts");
    expect(alerts.map((a) => a.kind).sort()).toEqual(["credit_balance", "spend", "usage"]);
    expect(summary.alerts).toBe(3);
    const firings = await list("/v1/alert-firings?limit=100");
    const customers = await list("/v1/customers?limit=100");
    const externalId = (id: unknown) => customers.find((c) => c.id === id)?.externalId;
    const fired = firings.map((f) => [f.alertName, externalId(f.customerId), f.threshold]).sort();
    // One threshold of each alert fires on March's usage so far; the higher (lower for credits) is still ahead.
    expect(fired).toEqual([
      ["Acme Sports: spend this month", "acme-sports", "1000"],
      ["Brightwave: delivered minutes this month", "brightwave", "50000"],
      ["Saffron Yoga: credits running low", "saffron-yoga", "250"],
    ]);
    for (const firing of firings) expect(firing.periodStart).toMatch(/^2025-0[23]-/);
    const credits = firings.find((f) => f.kind === "credit_balance");
    expect(Number(credits?.value)).toBeGreaterThan(50);
    expect(Number(credits?.value)).toBeLessThanOrEqual(250);
  });

  it("generates the same usage for the same clock", () => {
    const from = new Date("2024-12-14T12:00:00.000Z");
    const a = customerEvents(demoCustomers[0], 0, from, new Date(NOW), DEMO_SEED);
    const b = customerEvents(demoCustomers[0], 0, from, new Date(NOW), DEMO_SEED);
    expect(a).toEqual(b);
    expect(a.every((e) => e.timestamp >= from.toISOString() && e.timestamp < NOW)).toBe(true);
    expect(new Set(a.map((e) => e.id)).size).toBe(a.length);
  });
});
