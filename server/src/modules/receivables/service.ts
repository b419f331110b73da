import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { taxRateById } from "../company/queries.ts";
import { requireCustomer } from "../customers/service.ts";
import { allocationsOfInvoice } from "../payments/queries.ts";
import {
  balancesOf,
  type CustomerBillingRow,
  customerBillingOf,
  listReceivables,
  type ReceivableFilters,
  type ReceivableRow,
  taxLinesOf,
  upsertCustomerBilling,
} from "./queries.ts";
import type { Aging, CustomerBilling, PutCustomerBilling, Receivable } from "./schemas.ts";

const money = (value: string, currency: string) => fixed(new Decimal(value), minorUnits(currency));

function toCustomerBilling(
  customerId: string,
  row: CustomerBillingRow | null,
  balances: { currency: string; amount: string }[],
): CustomerBilling {
  return {
    customerId,
    address: row?.address ?? "",
    emails: row?.emails ?? [],
    paymentTermsDays: row?.paymentTermsDays ?? null,
    taxTreatment: row?.taxTreatment ?? "default",
    taxRateId: row?.taxRateId ?? null,
    usageReports: row?.usageReports ?? "off",
    balances: balances
      .filter((b) => !new Decimal(b.amount).isZero())
      .map((b) => ({ currency: b.currency, amount: money(b.amount, b.currency) })),
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

export async function getCustomerBilling(db: Db, tenantId: string, customerId: string) {
  await requireCustomer(db, tenantId, customerId);
  const [row, balances] = await Promise.all([
    customerBillingOf(db, tenantId, customerId),
    balancesOf(db, tenantId, customerId),
  ]);
  return toCustomerBilling(customerId, row, balances);
}

export async function putCustomerBilling(
  deps: Deps,
  caller: Caller,
  customerId: string,
  input: PutCustomerBilling,
): Promise<CustomerBilling> {
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    await requireCustomer(db, caller.tenantId, customerId);
    if (input.taxTreatment === "rate") {
      if (!input.taxRateId)
        throw validationFailed([{ path: "$.taxRateId", message: "is required for `rate`" }]);
      if (!(await taxRateById(db, caller.tenantId, input.taxRateId)))
        throw validationFailed([{ path: "$.taxRateId", message: "is not a tax rate of this tenant" }]);
    }
    const row = await upsertCustomerBilling(db, {
      customerId,
      tenantId: caller.tenantId,
      address: input.address,
      emails: input.emails,
      paymentTermsDays: input.paymentTermsDays ?? null,
      taxTreatment: input.taxTreatment,
      taxRateId: input.taxTreatment === "rate" ? (input.taxRateId ?? null) : null,
      usageReports: input.usageReports,
      updatedAt: deps.clock(),
    });
    const billing = toCustomerBilling(customerId, row, await balancesOf(db, caller.tenantId, customerId));
    await recordActivity(deps, db, caller, {
      type: "customer_billing.updated",
      objectId: customerId,
      object: billing,
    });
    return billing;
  });
}

export function toReceivable(row: ReceivableRow): Receivable {
  const m = (v: string) => money(v, row.currency);
  return {
    invoiceId: row.invoice_id,
    number: row.number,
    customerId: row.customer_id,
    customerName: row.customer_name,
    currency: row.currency,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    subtotal: m(row.subtotal),
    tax: m(row.tax),
    total: m(row.total),
    credited: m(row.credited),
    balanceApplied: m(row.balance_applied),
    paid: m(row.paid),
    outstanding: m(row.outstanding),
    daysOverdue: row.days_overdue,
    paymentStatus: row.payment_status,
  };
}

export async function receivablesPage(deps: Deps, tenantId: string, filters: ReceivableFilters) {
  const rows = await listReceivables(deps.db, tenantId, deps.clock(), filters);
  return { data: rows.map(toReceivable) };
}

/** An invoice's tax lines, dates, what was paid by which payment and what is still outstanding. */
export async function receivableOfInvoice(deps: Deps, tenantId: string, invoiceId: string) {
  const [row] = await listReceivables(deps.db, tenantId, deps.clock(), { invoiceIds: [invoiceId] });
  if (!row) {
    throw notFound("Receivable", [
      {
        path: "params.id",
        message: "no finalized invoice with this id (drafts and void invoices have none)",
      },
    ]);
  }
  const [taxLines, allocations] = await Promise.all([
    taxLinesOf(deps.db, tenantId, invoiceId),
    allocationsOfInvoice(deps.db, tenantId, invoiceId),
  ]);
  const m = (v: string) => money(v, row.currency);
  return {
    ...toReceivable(row),
    paymentTermsDays: row.payment_terms_days,
    taxLines: taxLines.map((l) => ({
      taxRateId: l.taxRateId,
      name: l.name,
      percentage: new Decimal(l.percentage).toString(),
      taxableAmount: m(l.taxableAmount),
      amount: m(l.amount),
    })),
    payments: allocations.map((a) => ({
      paymentId: a.paymentId,
      amount: m(a.amount),
      receivedAt: a.receivedAt.toISOString(),
      method: a.method,
      reference: a.reference,
      reversed: a.reversed,
    })),
  };
}

const BUCKETS = ["current", "days1to30", "days31to60", "days61to90", "over90"] as const;
type Bucket = (typeof BUCKETS)[number];

/** The aging bucket of an open invoice `days` past its due date (0 or less: current). */
export function agingBucket(days: number): Bucket {
  if (days <= 0) return "current";
  if (days <= 30) return "days1to30";
  if (days <= 60) return "days31to60";
  if (days <= 90) return "days61to90";
  return "over90";
}

/**
 * Outstanding amounts on `asOf` by days past due — current, 1–30, 31–60, 61–90, 90+ — per customer and in total,
 * one block per currency (amounts in different currencies are never added). Invoices paid in full are left out.
 */
export async function receivablesAging(deps: Deps, tenantId: string, asOf?: string): Promise<Aging> {
  const date = asOf ?? deps.clock().toISOString().slice(0, 10);
  const rows = await listReceivables(deps.db, tenantId, date, { openOnly: true });
  type Sums = Record<Bucket | "total", Decimal>;
  const empty = (): Sums => ({
    current: new Decimal(0),
    days1to30: new Decimal(0),
    days31to60: new Decimal(0),
    days61to90: new Decimal(0),
    over90: new Decimal(0),
    total: new Decimal(0),
  });
  const byCurrency = new Map<
    string,
    { totals: Sums; customers: Map<string, { name: string; sums: Sums }> }
  >();
  for (const row of rows) {
    const block = byCurrency.get(row.currency) ?? { totals: empty(), customers: new Map() };
    byCurrency.set(row.currency, block);
    const customer = block.customers.get(row.customer_id) ?? { name: row.customer_name, sums: empty() };
    block.customers.set(row.customer_id, customer);
    const bucket = agingBucket(row.days_overdue);
    for (const sums of [block.totals, customer.sums]) {
      sums[bucket] = sums[bucket].plus(row.outstanding);
      sums.total = sums.total.plus(row.outstanding);
    }
  }
  const out = (sums: Sums, currency: string) => ({
    current: money(sums.current.toString(), currency),
    days1to30: money(sums.days1to30.toString(), currency),
    days31to60: money(sums.days31to60.toString(), currency),
    days61to90: money(sums.days61to90.toString(), currency),
    over90: money(sums.over90.toString(), currency),
    total: money(sums.total.toString(), currency),
  });
  return {
    asOf: date,
    currencies: [...byCurrency.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, block]) => ({
        currency,
        totals: out(block.totals, currency),
        customers: [...block.customers.entries()]
          .map(([customerId, c]) => ({ customerId, name: c.name, ...out(c.sums, currency) }))
          .sort((a, b) => new Decimal(b.total).comparedTo(a.total) || a.name.localeCompare(b.name)),
      })),
  };
}
