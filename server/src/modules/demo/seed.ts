import { templates } from "@pricegraph/engine/templates";
import type { PlanDocumentInput } from "@pricegraph/shared";
import type { FastifyInstance } from "fastify";
import { demoChildren, demoParent, seedAccountGroup, seedCatalog } from "./accounts.ts";
import { seedAlerts } from "./alerts.ts";
import { demoProducts } from "./catalog.ts";
import { type DemoCustomer, type DemoPlanKey, demoCustomers } from "./customers.ts";
import { apiCallsMetric, storageEvents, storageMetric, strayEvents } from "./metrics.ts";
import { growthPlan, starterPlan } from "./plans.ts";
import { seedCompany, seedPayments } from "./receivables.ts";
import { customerEvents, DELIVERED_EVENT, type DemoEvent, ENCODED_EVENT } from "./usage.ts";

/**
 * The demo tenant's data, created through the public HTTP API (`app.inject` with the tenant's key), so it goes
 * through the same validation and services as any client and stays valid as internals change: metrics, a
 * product catalog, three published plans, an add-on plan and a live-channel plan, twenty customers with contracts
 * and a media group (with the add-on and a second contract, consolidated on one invoice a month) whose two
 * channels are child accounts, three months of usage ending `now`, a billing run, invoices in every state, and payments
 * (paid, partly paid and overdue invoices), and alerts that fire on that usage.
 */

export interface SeedOptions {
  app: Pick<FastifyInstance, "inject">;
  apiKey: string;
  /** The seed's "now": the end of the generated usage and the billing run's `asOf`. */
  now: Date;
  /** Runs queued billing jobs when no worker does (tests); otherwise the seed waits for the workers. */
  drainBillingJobs?: () => Promise<unknown>;
  /**
   * Evaluates alerts once the usage is in, when no evaluator runs (tests); otherwise the server's evaluator fires
   * them within a pass of the usage arriving.
   */
  evaluateAlerts?: () => Promise<unknown>;
  log?: (message: string) => void;
}

export interface SeedSummary {
  plans: number;
  products: number;
  customers: number;
  contracts: number;
  events: number;
  invoices: { draft: number; finalized: number; void: number };
  creditNotes: number;
  alerts: number;
  /** Invoices paid in full, half paid, and overdue after the demo's payments. */
  payments: { paid: number; partlyPaid: number; overdue: number };
}

/** The PRNG seed: the same clock gives the same demo. */
export const DEMO_SEED = 20_261_122;
const DAY_MS = 86_400_000;
const USAGE_DAYS = 91;
const EVENT_BATCH = 5000;
/**
 * The tenant's grace period once seeded: the latest period's drafts (at most a month old) wait for a person;
 * drafts older than this finalize themselves. While seeding it is the longest allowed, so the billing workers
 * finalize nothing behind the seed's back and the seed decides which invoices are finalized.
 */
const GRACE_PERIOD_HOURS = 45 * 24;
const SEEDING_GRACE_PERIOD_HOURS = 90 * 24;

export class SeedError extends Error {}

type Json = Record<string, unknown>;

function client(options: SeedOptions) {
  const headers = { authorization: `Bearer ${options.apiKey}` };
  return async function call<T = Json>(
    method: "GET" | "POST" | "PUT",
    url: string,
    body?: unknown,
  ): Promise<T> {
    const response = await options.app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { payload: body as Json }),
    });
    if (response.statusCode >= 300) {
      throw new SeedError(
        `demo seed: ${method} ${url} answered ${response.statusCode}: ${response.body.slice(0, 2000)}`,
      );
    }
    return response.json() as T;
  };
}

const dateOnly = (at: Date) => at.toISOString().slice(0, 10);

function planDocuments(): Record<
  DemoPlanKey,
  { name: string; description: string; document: PlanDocumentInput }
> {
  const video = templates.find((t) => t.id === "video-infrastructure");
  if (!video) throw new SeedError("demo seed: the engine has no video-infrastructure template");
  return {
    starter: {
      name: "Starter",
      description: "Pay as you go: every encoded and delivered minute at one price.",
      document: starterPlan,
    },
    growth: {
      name: "Growth",
      description:
        "A subscription with volume-priced encoding, included delivery minutes and startup credits.",
      document: growthPlan,
    },
    video: { name: video.name, description: video.description, document: video.document },
  };
}

/**
 * A price rise the pricing team is weighing, left unpublished in Growth's draft: the editor's Backtest shows what
 * it would have made of the customers' last invoiced months.
 */
export function growthPriceRise(): PlanDocumentInput {
  return {
    ...growthPlan,
    params: (growthPlan.params ?? []).map((p) => (p.key === "subscription" ? { ...p, default: "279" } : p)),
  };
}

export async function seedDemo(options: SeedOptions): Promise<SeedSummary> {
  const call = client(options);
  const log = options.log ?? (() => {});
  const now = options.now;
  const windowStart = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - USAGE_DAYS * DAY_MS,
  );

  // One invoice per customer and period: the media group's two contracts share theirs (docs/catalog.md).
  await call("PUT", "/v1/billing/settings", {
    gracePeriodHours: SEEDING_GRACE_PERIOD_HOURS,
    invoiceConsolidation: "per_customer",
  });
  await call("POST", "/v1/metrics", {
    key: "video_minutes",
    name: "Encoded minutes",
    description: "Minutes of video encoded, by output quality (sd, hd, 4k)",
    eventType: ENCODED_EVENT,
    aggregation: "sum",
    property: "minutes",
    groupBy: ["quality"],
  });
  await call("POST", "/v1/metrics", {
    key: "delivery_minutes",
    name: "Delivered minutes",
    description: "Minutes of video streamed to viewers",
    eventType: DELIVERED_EVENT,
    aggregation: "sum",
    property: "minutes",
  });
  await call("POST", "/v1/metrics", storageMetric);
  await call("POST", "/v1/metrics", apiCallsMetric);

  const versions = {} as Record<DemoPlanKey, { planId: string; version: number }>;
  for (const [key, plan] of Object.entries(planDocuments()) as [
    DemoPlanKey,
    ReturnType<typeof planDocuments>[DemoPlanKey],
  ][]) {
    const created = await call<{ id: string }>("POST", "/v1/plans", plan);
    const published = await call<{ version: number }>("POST", `/v1/plans/${created.id}/versions`, {});
    versions[key] = { planId: created.id, version: published.version };
  }
  const products = await seedCatalog(call, demoProducts);
  log(`demo seed: metrics, ${products} products and 3 published plans`);

  let firstCustomerId: string | undefined;
  const contractStart = (customer: DemoCustomer) =>
    new Date(windowStart.getTime() + customer.startDay * DAY_MS);
  for (const customer of demoCustomers) {
    const created = await call<{ id: string }>("POST", "/v1/customers", {
      externalId: customer.externalId,
      name: customer.name,
      email: customer.email,
      timezone: customer.timezone,
      currency: "USD",
    });
    firstCustomerId ??= created.id;
    const start = contractStart(customer);
    const grant = customer.startupCredit;
    const contract = await call<{ id: string }>("POST", "/v1/contracts", {
      customerId: created.id,
      planId: versions[customer.plan].planId,
      planVersion: versions[customer.plan].version,
      startDate: dateOnly(start),
      billingPeriod: "monthly",
      paramOverrides: customer.paramOverrides ?? {},
      creditGrants: grant
        ? [
            {
              pool: "startup",
              amount: grant.amount,
              expiresAt: grant.expiresInDays
                ? new Date(start.getTime() + grant.expiresInDays * DAY_MS).toISOString()
                : null,
            },
          ]
        : [],
    });
    if (customer.amendment) {
      const effective = fifteenthOfLastMonth(now, customer.timezone);
      await call("POST", `/v1/contracts/${contract.id}/amendments`, {
        effectiveDate: dateOnly(effective),
        ...customer.amendment,
      });
    }
  }
  await seedAccountGroup(
    call,
    versions.growth,
    dateOnly(contractStart(demoParent)),
    dateOnly(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 8))),
  );
  log(
    `demo seed: ${demoCustomers.length + 1} customers with contracts (one amended mid-month, one with an add-on ` +
      "changed this month and a second contract), " +
      `${demoChildren.length} child accounts`,
  );
  await seedCompany(call, firstCustomerId);
  const alerts = await seedAlerts(call);

  // Events start half a day after the contract's first UTC day: local midnight has passed in every zone by then.
  const events: DemoEvent[] = [...demoCustomers, demoParent, ...demoChildren].flatMap((customer, index) => {
    const from = new Date(contractStart(customer).getTime() + DAY_MS / 2);
    return [
      ...customerEvents(customer, index, from, now, DEMO_SEED),
      ...storageEvents(customer, index, from, now, DEMO_SEED),
    ];
  });
  events.push(...strayEvents(now, demoCustomers[1].externalId));
  for (let i = 0; i < events.length; i += EVENT_BATCH) {
    await call("POST", "/v1/events", { events: events.slice(i, i + EVENT_BATCH) });
  }
  log(`demo seed: ${events.length} usage events, ${alerts} alerts watching them`);
  if (options.evaluateAlerts) await options.evaluateAlerts();

  const run = await call<{ id: string; status: string }>("POST", "/v1/billing-runs", {
    asOf: now.toISOString(),
  });
  await waitForRun(options, call, run.id);
  const invoices = await settleInvoices(call);
  await call("PUT", "/v1/billing/settings", { gracePeriodHours: GRACE_PERIOD_HOURS });
  await call("PUT", `/v1/plans/${versions.growth.planId}/draft`, { document: growthPriceRise() });
  // The books: the journal posts what the log recorded, and any document it did not.
  await call("POST", "/v1/journal-entries/backfill");
  log(
    `demo seed: billing run done — ${invoices.draft} draft, ${invoices.finalized} finalized, ${invoices.void} void invoices`,
  );
  const payments = await seedPayments(call, now);
  log(
    `demo seed: payments — ${payments.paid} invoices paid, ${payments.partlyPaid} partly paid, ${payments.overdue} overdue`,
  );
  return {
    plans: 5,
    products,
    customers: demoCustomers.length + 1 + demoChildren.length,
    contracts: demoCustomers.length + 2,
    events: events.length,
    invoices,
    creditNotes: 1,
    alerts,
    payments,
  };
}

async function waitForRun(
  options: SeedOptions,
  call: ReturnType<typeof client>,
  runId: string,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (options.drainBillingJobs) await options.drainBillingJobs();
    const run = await call<{ status: string; error: string | null }>("GET", `/v1/billing-runs/${runId}`);
    if (run.status === "done") return;
    if (run.status === "failed") throw new SeedError(`demo seed: the billing run failed: ${run.error}`);
    if (Date.now() > deadline)
      throw new SeedError("demo seed: the billing run did not finish within 2 minutes");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The 15th of the month before `now`'s month on the customer's calendar: a month the seed's billing run has
 * closed for that customer, even in the first hours of a UTC month, when it has not yet begun in their zone.
 */
function fifteenthOfLastMonth(now: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
  }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return new Date(Date.UTC(part("year"), part("month") - 2, 15));
}

interface InvoiceSummary {
  id: string;
  status: "draft" | "finalized" | "void";
  customerId: string;
  contractId: string;
  periodStart: string;
  total: string;
  amountDue: string;
}

async function allInvoices(call: ReturnType<typeof client>): Promise<InvoiceSummary[]> {
  const out: InvoiceSummary[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page: { data: InvoiceSummary[]; nextCursor: string | null } = await call(
      "GET",
      `/v1/invoices?limit=500${query}`,
    );
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * Invoices in every state, as a finance team a few weeks into the month would have them: each contract's older
 * periods finalized (in period order, so numbers follow time), its latest period still draft; one finalized
 * invoice voided and one with a credit note. Invoices of the same period go in the order of their customers'
 * external ids, not of their random ids, so every start numbers, voids, credits and pays the same ones (the
 * README prints them).
 */
async function settleInvoices(call: ReturnType<typeof client>): Promise<SeedSummary["invoices"]> {
  const invoices = await allInvoices(call);
  const customers = await call<{ data: { id: string; externalId: string }[] }>(
    "GET",
    "/v1/customers?limit=500",
  );
  const externalId = new Map(customers.data.map((customer) => [customer.id, customer.externalId]));
  const customerOrder = (invoice: InvoiceSummary) => externalId.get(invoice.customerId) ?? invoice.customerId;
  const latest = new Map<string, string>();
  for (const invoice of invoices) {
    const seen = latest.get(invoice.contractId);
    if (!seen || invoice.periodStart > seen) latest.set(invoice.contractId, invoice.periodStart);
  }
  const older = invoices
    .filter((invoice) => invoice.periodStart < (latest.get(invoice.contractId) ?? ""))
    .sort((a, b) =>
      a.periodStart === b.periodStart
        ? customerOrder(a).localeCompare(customerOrder(b))
        : a.periodStart < b.periodStart
          ? -1
          : 1,
    );
  for (const invoice of older) {
    if (invoice.status !== "draft") continue;
    // A billing worker may finalize a draft whose grace period is over at the same moment: that is fine too.
    await call("POST", `/v1/invoices/${invoice.id}/finalize`).catch(async (error: unknown) => {
      const current = await call<InvoiceSummary>("GET", `/v1/invoices/${invoice.id}`);
      if (current.status !== "finalized") throw error;
    });
  }
  const payable = older.filter((invoice) => Number(invoice.total) > 0);
  if (payable.length < 2)
    throw new SeedError("demo seed: too few finalized invoices to void one and credit another");
  // The earliest gets voided (issued in error), the latest among the older ones gets a goodwill credit note.
  await call("POST", `/v1/invoices/${payable[0].id}/void`);
  const credited = payable[payable.length - 1];
  const amount = Math.min(25, Number(credited.total)).toFixed(2);
  await call("POST", `/v1/invoices/${credited.id}/credit-notes`, {
    amount,
    reason: "Goodwill credit for a delivery incident",
  });
  const after = await allInvoices(call);
  const count = (status: InvoiceSummary["status"]) =>
    after.filter((invoice) => invoice.status === status).length;
  return { draft: count("draft"), finalized: count("finalized"), void: count("void") };
}
