// Test support for the accounting tests (not imported by the server): draft invoices with the lines a test
// needs, finalized, credited, voided and paid through the API as a finance team would.
import type { ActivityType } from "@pricegraph/shared";
import { expect } from "vitest";
import { perUnitPlan, type TestContext, type TestTenant } from "../../../test/helpers.ts";
import { type Caller, type Deps, randomIds, systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { contractCreditGrants, creditLedger, invoiceLines, invoices } from "../../db/schema/index.ts";
import { recordActivity } from "../activity/service.ts";

export interface Books {
  t: TestTenant;
  deps: Deps;
  caller: Caller;
  customerId: string;
  contractId: string;
  grantIds: string[];
  /** Tax rates created by `taxAt`, by percentage. */
  taxRates: Map<string, string>;
}

/** A tenant with one customer on a USD plan, with optional credit grants. */
export async function openBooks(
  ctx: TestContext,
  t: TestTenant,
  grants: { pool: string; amount: string; expiresAt?: string }[] = [],
): Promise<Books> {
  const deps: Deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds };
  await t.post("/v1/metrics", { key: "calls", eventType: "call", aggregation: "count" });
  const plan = (
    await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls", { pool: "promo" }) })
  ).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  const customer = (
    await t.post("/v1/customers", { externalId: "acme", name: "Acme", timezone: "UTC" })
  ).json();
  const contract = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: plan.id,
    startDate: "2025-01-01",
    billingPeriod: "monthly",
    creditGrants: grants,
  });
  expect(contract.statusCode, contract.body).toBe(201);
  const grantRows = await deps.db.select().from(contractCreditGrants);
  return {
    t,
    deps,
    caller: systemCaller(t.tenantId, "test"),
    customerId: customer.id,
    contractId: contract.json().id,
    grantIds: grantRows.filter((g) => g.contractId === contract.json().id).map((g) => g.id),
    taxRates: new Map(),
  };
}

export interface LineSpec {
  amount: string;
  product?: string;
  description?: string;
  timing?: "arrears" | "advance";
  /** Service period as local dates [start, end); equal dates make a one-off line. */
  start: string;
  end: string;
  /** Credit drawn by the line from the books' first grant. */
  drawn?: string;
}

let counter = 0;

/** A draft invoice with these lines, as a billing run writes it; finalize it with `finalize`. */
export async function draftInvoice(books: Books, lines: LineSpec[], currency = "USD"): Promise<string> {
  const db = books.deps.db;
  const id = `inv_t${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  const now = books.deps.clock();
  const total = lines.reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0) / 100;
  const start = lines[0]?.start ?? "2025-01-01";
  await db.insert(invoices).values({
    id,
    tenantId: books.t.tenantId,
    contractId: books.contractId,
    customerId: books.customerId,
    planId: "plan",
    planVersion: 1,
    currency,
    periodStart: new Date(`${start}T00:00:00Z`),
    periodEnd: new Date(`${start}T00:00:00Z`),
    periodStartDate: start,
    periodEndDate: start,
    periodIndex: counter,
    proration: "1",
    status: "draft",
    number: null,
    total: total.toFixed(2),
    creditedAmount: "0",
    amountDue: total.toFixed(2),
    usage: {},
    usageComputedAt: now,
    billingRunId: null,
    createdAt: now,
    updatedAt: now,
    kind: "adjustment",
  });
  const rows = lines.map((l, position) => ({
    id: `${id}_l${position}`,
    tenantId: books.t.tenantId,
    invoiceId: id,
    contractId: books.contractId,
    position,
    kind: "charge" as const,
    nodeId: "l",
    description: l.description ?? l.product ?? "Line",
    product: l.product ?? null,
    timing: l.timing ?? "arrears",
    quantity: null,
    amount: l.amount,
    unrounded: l.amount,
    servicePeriodStart: new Date(`${l.start}T00:00:00Z`),
    servicePeriodEnd: new Date(`${l.end}T00:00:00Z`),
    servicePeriodStartDate: l.start,
    servicePeriodEndDate: l.end,
    explanation: [],
  }));
  await db.insert(invoiceLines).values(rows);
  const draws = lines
    .map((l, i) => ({ l, row: rows[i] }))
    .filter(({ l }) => l.drawn)
    .map(({ l, row }) => ({
      id: randomIds("cl"),
      tenantId: books.t.tenantId,
      contractId: books.contractId,
      grantId: books.grantIds[0],
      pool: "promo",
      kind: "drawdown" as const,
      amount: `-${l.drawn}`,
      invoiceId: id,
      invoiceLineId: row.id,
      createdAt: now,
    }));
  if (draws.length) await db.insert(creditLedger).values(draws);
  return id;
}

/** Writes an activity record again (a retry upstream delivering the same change twice). */
export async function record(
  books: Books,
  type: ActivityType,
  objectId: string,
  object: Record<string, unknown>,
): Promise<void> {
  await books.deps.db.transaction(async (tx) => {
    await recordActivity(books.deps, tx as Db, books.caller, { type, objectId, object });
  });
}

/**
 * Taxes the tenant's invoices at `percentage` from now on: a tax rate and the company's default, through the
 * API, so finalizing fixes the tax as it does for every tenant.
 */
export async function taxAt(books: Books, percentage: string): Promise<void> {
  let rateId = books.taxRates.get(percentage);
  if (!rateId) {
    const rate = await books.t.post("/v1/tax-rates", { name: `VAT ${percentage}%`, percentage });
    expect(rate.statusCode, rate.body).toBe(201);
    rateId = rate.json().id as string;
    books.taxRates.set(percentage, rateId);
  }
  const profile = await books.t.put("/v1/settings/company", {
    legalName: "Books Ltd",
    defaultTaxRateId: rateId,
  });
  expect(profile.statusCode, profile.body).toBe(200);
}

/** What receivables says an invoice still owes (total with tax, less credit notes, payments and balance). */
export async function outstanding(books: Books, invoiceId: string): Promise<string> {
  const res = await books.t.get(`/v1/invoices/${invoiceId}/receivable`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().outstanding;
}

/** Finalizes through the API (which records `invoice.finalized` and `invoice.issued` with the tax). */
export async function finalize(books: Books, invoiceId: string): Promise<Record<string, unknown>> {
  const res = await books.t.post(`/v1/invoices/${invoiceId}/finalize`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function creditNote(
  books: Books,
  invoiceId: string,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await books.t.post(`/v1/invoices/${invoiceId}/credit-notes`, { reason: "goodwill", ...body });
  expect(res.statusCode, res.body).toBe(201);
  const notes = res.json().creditNotes as { id: string }[];
  return notes[notes.length - 1].id;
}

export async function voidInvoice(books: Books, invoiceId: string): Promise<void> {
  const res = await books.t.post(`/v1/invoices/${invoiceId}/void`);
  expect(res.statusCode, res.body).toBe(200);
}

/** Records a payment through the API, allocated as given (none: the balance); answers its id. */
export async function payment(
  books: Books,
  amount: string,
  allocations: { invoiceId: string; amount: string }[],
  receivedAt = books.deps.clock().toISOString(),
): Promise<string> {
  const res = await books.t.post("/v1/payments", {
    customerId: books.customerId,
    amount,
    currency: "USD",
    receivedAt,
    allocations,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** Reverses a payment through the API: answers false when receivables refuses (its balance was applied since). */
export async function reversePayment(books: Books, paymentId: string): Promise<boolean> {
  const res = await books.t.post(`/v1/payments/${paymentId}/reverse`, { reason: "bounced" });
  expect([200, 409], res.body).toContain(res.statusCode);
  return res.statusCode === 200;
}

/** The tenant's journal, oldest entry first. */
export async function journal(books: Books, query = "") {
  const res = await books.t.get(`/v1/journal-entries?limit=500${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as {
    id: string;
    date: string;
    kind: string;
    source: { type: string; id: string };
    lines: { account: string; debit: string; credit: string; product: string | null }[];
  }[];
}

/** An entry's lines as `[account, debit, credit]`, sorted, for exact comparison. */
export const shape = (entry: { lines: { account: string; debit: string; credit: string }[] }) =>
  entry.lines.map((l) => [l.account, l.debit, l.credit]).sort((a, b) => (a.join() < b.join() ? -1 : 1));
