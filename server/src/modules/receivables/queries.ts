import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import {
  customerBalanceEntries,
  customerBilling,
  invoiceReceivables,
  invoiceTaxLines,
} from "../../db/schema/index.ts";
import { textArrayLiteral } from "../usage/aggregate.ts";

export type CustomerBillingRow = typeof customerBilling.$inferSelect;
export type InvoiceReceivableRow = typeof invoiceReceivables.$inferSelect;
export type InvoiceTaxLineRow = typeof invoiceTaxLines.$inferSelect;
export type BalanceEntryRow = typeof customerBalanceEntries.$inferSelect;

import { type PaymentStatus, paymentStatuses } from "@pricegraph/shared";

export { type PaymentStatus, paymentStatuses };

/**
 * Serializes everything that moves a customer's money (payments, reversals, balance applied at finalize) across
 * transactions and processes: a transaction-scoped advisory lock per customer. Two payments on one invoice
 * therefore see each other's allocations and can never allocate more than is outstanding.
 */
export async function lockCustomerReceivables(db: Db, customerId: string): Promise<void> {
  await db.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`pricegraph.receivables:${customerId}`}, 0))`,
  );
}

export async function customerBillingOf(
  db: Db,
  tenantId: string,
  customerId: string,
): Promise<CustomerBillingRow | null> {
  const rows = await db
    .select()
    .from(customerBilling)
    .where(and(eq(customerBilling.tenantId, tenantId), eq(customerBilling.customerId, customerId)));
  return rows[0] ?? null;
}

export async function upsertCustomerBilling(db: Db, row: CustomerBillingRow): Promise<CustomerBillingRow> {
  const { customerId, tenantId, ...changes } = row;
  const rows = await db
    .insert(customerBilling)
    .values(row)
    .onConflictDoUpdate({ target: customerBilling.customerId, set: changes })
    .returning();
  return rows[0];
}

export async function insertInvoiceReceivable(
  db: Db,
  row: InvoiceReceivableRow,
  taxLines: InvoiceTaxLineRow[],
): Promise<void> {
  await db.insert(invoiceReceivables).values(row);
  if (taxLines.length) await db.insert(invoiceTaxLines).values(taxLines);
}

export async function taxLinesOf(db: Db, tenantId: string, invoiceId: string): Promise<InvoiceTaxLineRow[]> {
  return db
    .select()
    .from(invoiceTaxLines)
    .where(and(eq(invoiceTaxLines.tenantId, tenantId), eq(invoiceTaxLines.invoiceId, invoiceId)))
    .orderBy(asc(invoiceTaxLines.position));
}

/** A customer's balance per currency (earlier overpayments not yet applied). */
export async function balancesOf(
  db: Db,
  tenantId: string,
  customerId: string,
): Promise<{ currency: string; amount: string }[]> {
  return db
    .select({
      currency: customerBalanceEntries.currency,
      amount: sql<string>`sum(${customerBalanceEntries.amount})::text`,
    })
    .from(customerBalanceEntries)
    .where(
      and(eq(customerBalanceEntries.tenantId, tenantId), eq(customerBalanceEntries.customerId, customerId)),
    )
    .groupBy(customerBalanceEntries.currency)
    .orderBy(asc(customerBalanceEntries.currency));
}

/** The customer balance applied to an invoice when it was finalized (none before receivables existed). */
export async function balanceAppliedTo(db: Db, tenantId: string, invoiceId: string): Promise<string | null> {
  const rows = await db
    .select({ applied: invoiceReceivables.balanceApplied })
    .from(invoiceReceivables)
    .where(and(eq(invoiceReceivables.tenantId, tenantId), eq(invoiceReceivables.invoiceId, invoiceId)));
  return rows[0]?.applied ?? null;
}

export async function insertBalanceEntries(db: Db, rows: BalanceEntryRow[]): Promise<void> {
  if (rows.length) await db.insert(customerBalanceEntries).values(rows);
}

/** One finalized invoice as receivables see it: what it asks for, what has been paid, what is still open. */
export interface ReceivableRow {
  invoice_id: string;
  tenant_id: string;
  customer_id: string;
  customer_name: string;
  number: string;
  currency: string;
  issue_date: string;
  due_date: string;
  payment_terms_days: number;
  subtotal: string;
  tax: string;
  total: string;
  credited: string;
  balance_applied: string;
  paid: string;
  outstanding: string;
  /** Days past the due date on the reference date (negative: not yet due). */
  days_overdue: number;
  payment_status: PaymentStatus;
}

/**
 * The tenant's finalized invoices with their receivable figures on a reference date: `asOf` is an instant (the
 * status uses the date of that instant in each customer's zone) or a plain date (used as is). Paid = payment
 * allocations (net of reversals) + balance applied; outstanding = total with tax − credit notes − paid.
 */
export function receivablesSql(tenantId: string, asOf: Date | string): SQL {
  const today =
    typeof asOf === "string"
      ? sql`${asOf}::date`
      : sql`(${asOf.toISOString()}::timestamptz AT TIME ZONE c.timezone)::date`;
  return sql`SELECT b.*,
      (${today} - b.due_date::date) AS days_overdue,
      CASE WHEN b.outstanding <= 0 THEN 'paid'
           WHEN b.due_date::date < ${today} THEN 'overdue'
           WHEN b.paid > 0 THEN 'partially_paid'
           ELSE 'unpaid' END AS payment_status
    FROM (
      SELECT i.id AS invoice_id, i.tenant_id, i.customer_id, c.name AS customer_name, c.timezone, i.number,
        i.currency, r.issue_date, r.due_date, r.payment_terms_days, r.subtotal, r.tax, r.total, i.credited_amount AS credited,
        r.balance_applied, coalesce(a.allocated, 0) + r.balance_applied AS paid,
        r.total - i.credited_amount - r.balance_applied - coalesce(a.allocated, 0) AS outstanding
      FROM invoices i
      JOIN invoice_receivables r ON r.invoice_id = i.id
      JOIN customers c ON c.id = i.customer_id
      LEFT JOIN LATERAL (SELECT sum(pa.amount) AS allocated FROM payment_allocations pa
        WHERE pa.invoice_id = i.id) a ON true
      WHERE i.tenant_id = ${tenantId} AND i.status = 'finalized'
    ) b JOIN customers c ON c.id = b.customer_id`;
}

export interface ReceivableFilters {
  invoiceIds?: readonly string[];
  customerId?: string;
  currency?: string;
  paymentStatus?: PaymentStatus;
  openOnly?: boolean;
  limit?: number;
}

/** Receivables, oldest due first (the order payments are allocated in when no invoice is named). */
export async function listReceivables(
  db: Db,
  tenantId: string,
  asOf: Date | string,
  filters: ReceivableFilters = {},
): Promise<ReceivableRow[]> {
  const where: SQL[] = [sql`true`];
  if (filters.invoiceIds)
    where.push(sql`s.invoice_id = ANY(${textArrayLiteral([...filters.invoiceIds])}::text[])`);
  if (filters.customerId) where.push(sql`s.customer_id = ${filters.customerId}`);
  if (filters.currency) where.push(sql`s.currency = ${filters.currency}`);
  if (filters.paymentStatus) where.push(sql`s.payment_status = ${filters.paymentStatus}`);
  if (filters.openOnly) where.push(sql`s.outstanding > 0`);
  const rows = await queryRows<ReceivableRow & { days_overdue: number | string }>(
    db,
    sql`SELECT s.invoice_id, s.tenant_id, s.customer_id, s.customer_name, s.number, s.currency, s.issue_date,
        s.due_date, s.payment_terms_days, s.subtotal::text, s.tax::text, s.total::text, s.credited::text, s.balance_applied::text,
        s.paid::text, s.outstanding::text, s.days_overdue, s.payment_status
      FROM (${receivablesSql(tenantId, asOf)}) s
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY s.due_date, s.issue_date, s.number
      LIMIT ${filters.limit ?? 100_000}`,
  );
  return rows.map((r) => ({ ...r, days_overdue: Number(r.days_overdue) }));
}

/** `invoices.id IN (…)` for the invoices of a tenant in one payment status (the GET /v1/invoices filter). */
export function paymentStatusCondition(
  invoiceId: SQL | unknown,
  tenantId: string,
  status: PaymentStatus,
  asOf: Date,
): SQL {
  return sql`${invoiceId} IN (SELECT s.invoice_id FROM (${receivablesSql(tenantId, asOf)}) s
    WHERE s.payment_status = ${status})`;
}
