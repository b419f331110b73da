import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import {
  customerBalanceEntries,
  invoices,
  paymentAllocations,
  paymentReversals,
  payments,
} from "../../db/schema/index.ts";

export type PaymentRow = typeof payments.$inferSelect;
export type AllocationRow = typeof paymentAllocations.$inferSelect;
export type ReversalRow = typeof paymentReversals.$inferSelect;
export type InvoiceRow = typeof invoices.$inferSelect;

export async function insertPayment(db: Db, row: PaymentRow, allocations: AllocationRow[]): Promise<void> {
  await db.insert(payments).values(row);
  if (allocations.length) await db.insert(paymentAllocations).values(allocations);
}

export async function insertReversal(db: Db, row: ReversalRow, allocations: AllocationRow[]): Promise<void> {
  await db.insert(paymentReversals).values(row);
  if (allocations.length) await db.insert(paymentAllocations).values(allocations);
}

/**
 * Row locks on the customer's finalized invoices in a currency (in id order), so a credit note cannot lower what
 * is outstanding while a payment is being allocated against it.
 */
export async function lockFinalizedInvoices(db: Db, tenantId: string, customerId: string, currency: string) {
  await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        eq(invoices.customerId, customerId),
        eq(invoices.currency, currency),
        eq(invoices.status, "finalized"),
      ),
    )
    .orderBy(asc(invoices.id))
    .for("update");
}

export async function paymentById(db: Db, tenantId: string, id: string) {
  const rows = await db
    .select({ payment: payments, reversal: paymentReversals })
    .from(payments)
    .leftJoin(paymentReversals, eq(paymentReversals.paymentId, payments.id))
    .where(and(eq(payments.tenantId, tenantId), eq(payments.id, id)));
  return rows[0] ?? null;
}

export async function listPayments(
  db: Db,
  tenantId: string,
  filters: { customerId?: string; limit: number },
) {
  const where = [eq(payments.tenantId, tenantId)];
  if (filters.customerId) where.push(eq(payments.customerId, filters.customerId));
  return db
    .select({ payment: payments, reversal: paymentReversals })
    .from(payments)
    .leftJoin(paymentReversals, eq(paymentReversals.paymentId, payments.id))
    .where(and(...where))
    .orderBy(desc(payments.receivedAt), desc(payments.id))
    .limit(filters.limit);
}

/** Allocations of payments, net per payment and invoice, with the invoice number. */
export async function allocationsOfPayments(db: Db, tenantId: string, paymentIds: readonly string[]) {
  if (paymentIds.length === 0) return [];
  return db
    .select({
      paymentId: paymentAllocations.paymentId,
      invoiceId: paymentAllocations.invoiceId,
      number: invoices.number,
      amount: sql<string>`sum(${paymentAllocations.amount})::text`,
      allocated: sql<string>`sum(greatest(${paymentAllocations.amount}, 0))::text`,
    })
    .from(paymentAllocations)
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .where(
      and(eq(paymentAllocations.tenantId, tenantId), inArray(paymentAllocations.paymentId, [...paymentIds])),
    )
    .groupBy(paymentAllocations.paymentId, paymentAllocations.invoiceId, invoices.number)
    .orderBy(asc(invoices.number));
}

/** Balance credited by each payment's overpayment (before any reversal). */
export async function overpaymentsOf(db: Db, tenantId: string, paymentIds: readonly string[]) {
  if (paymentIds.length === 0) return new Map<string, string>();
  const rows = await db
    .select({
      paymentId: customerBalanceEntries.paymentId,
      amount: sql<string>`sum(${customerBalanceEntries.amount})::text`,
    })
    .from(customerBalanceEntries)
    .where(
      and(
        eq(customerBalanceEntries.tenantId, tenantId),
        eq(customerBalanceEntries.kind, "overpayment"),
        inArray(customerBalanceEntries.paymentId, [...paymentIds]),
      ),
    )
    .groupBy(customerBalanceEntries.paymentId);
  return new Map(rows.map((r) => [r.paymentId as string, r.amount]));
}

/** Every allocation and reversal line on one invoice, with its payment. */
export async function allocationsOfInvoice(db: Db, tenantId: string, invoiceId: string) {
  const rows = await db
    .select({
      paymentId: payments.id,
      amount: paymentAllocations.amount,
      receivedAt: payments.receivedAt,
      method: payments.method,
      reference: payments.reference,
      reversedAt: paymentReversals.reversedAt,
    })
    .from(paymentAllocations)
    .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
    .leftJoin(paymentReversals, eq(paymentReversals.paymentId, payments.id))
    .where(and(eq(paymentAllocations.tenantId, tenantId), eq(paymentAllocations.invoiceId, invoiceId)))
    .orderBy(asc(paymentAllocations.createdAt), desc(paymentAllocations.amount), asc(paymentAllocations.id));
  return rows.map(({ reversedAt, ...r }) => ({ ...r, reversed: reversedAt !== null }));
}

/** Invoices by number, for matching bank payments: a map from number to invoice. */
export async function invoicesByNumber(db: Db, tenantId: string, numbers: string[]) {
  if (numbers.length === 0) return new Map<string, InvoiceRow>();
  const rows = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), inArray(invoices.number, numbers)));
  return new Map(rows.map((r) => [r.number as string, r]));
}
