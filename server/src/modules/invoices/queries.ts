import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import {
  billingSettings,
  creditLedger,
  creditNoteLines,
  creditNotes,
  documentCounters,
  invoiceLines,
  invoices,
} from "../../db/schema/index.ts";
import type { InvoiceRow } from "../billing/queries.ts";
import { type PaymentStatus, paymentStatusCondition } from "../receivables/queries.ts";

export type CreditNoteRow = typeof creditNotes.$inferSelect;
export type CreditNoteLineRow = typeof creditNoteLines.$inferSelect;

export const DEFAULT_GRACE_PERIOD_HOURS = 24;

export async function invoiceById(
  db: Db,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<InvoiceRow | null> {
  const query = db
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)));
  const rows = forUpdate ? await query.for("update") : await query;
  return rows[0] ?? null;
}

export async function linesOf(db: Db, tenantId: string, invoiceIds: readonly string[]) {
  if (invoiceIds.length === 0) return [];
  return db
    .select()
    .from(invoiceLines)
    .where(and(eq(invoiceLines.tenantId, tenantId), inArray(invoiceLines.invoiceId, [...invoiceIds])))
    .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position));
}

export async function creditNotesOf(db: Db, tenantId: string, invoiceId: string) {
  const notes = await db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.invoiceId, invoiceId)))
    .orderBy(asc(creditNotes.createdAt), asc(creditNotes.number));
  const lines = notes.length
    ? await db
        .select()
        .from(creditNoteLines)
        .where(
          inArray(
            creditNoteLines.creditNoteId,
            notes.map((n) => n.id),
          ),
        )
    : [];
  return { notes, lines };
}

/** Credit drawn per invoice line (positive), net of reversals. */
export async function creditsByLine(
  db: Db,
  tenantId: string,
  invoiceId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .select({ lineId: creditLedger.invoiceLineId, drawn: sql<string>`(-sum(${creditLedger.amount}))::text` })
    .from(creditLedger)
    .where(and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.invoiceId, invoiceId)))
    .groupBy(creditLedger.invoiceLineId);
  return new Map(rows.filter((r) => r.lineId !== null).map((r) => [r.lineId as string, r.drawn]));
}

export interface InvoiceFilters {
  status?: string;
  customerId?: string;
  contractId?: string;
  periodStart?: Date;
  paymentStatus?: { status: PaymentStatus; asOf: Date };
}

export async function listInvoices(
  db: Db,
  tenantId: string,
  filters: InvoiceFilters,
  limit: number,
  after: [string, string] | null,
): Promise<InvoiceRow[]> {
  const conditions: SQL[] = [eq(invoices.tenantId, tenantId)];
  if (filters.status) conditions.push(sql`${invoices.status} = ${filters.status}`);
  if (filters.customerId) conditions.push(eq(invoices.customerId, filters.customerId));
  if (filters.contractId) conditions.push(eq(invoices.contractId, filters.contractId));
  if (filters.periodStart) conditions.push(eq(invoices.periodStart, filters.periodStart));
  if (filters.paymentStatus) {
    const { status, asOf } = filters.paymentStatus;
    conditions.push(paymentStatusCondition(invoices.id, tenantId, status, asOf));
  }
  if (after)
    conditions.push(sql`(${invoices.createdAt}, ${invoices.id}) < (${after[0]}::timestamptz, ${after[1]})`);
  return db
    .select()
    .from(invoices)
    .where(and(...conditions))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(limit + 1);
}

/** Next gap-free number of a kind for a tenant: the counter row is locked until the transaction ends. */
export async function nextDocumentNumber(
  db: Db,
  tenantId: string,
  kind: "invoice" | "credit_note",
): Promise<number> {
  const rows = await db
    .insert(documentCounters)
    .values({ tenantId, kind, lastValue: 1 })
    .onConflictDoUpdate({
      target: [documentCounters.tenantId, documentCounters.kind],
      set: { lastValue: sql`${documentCounters.lastValue} + 1` },
    })
    .returning({ value: documentCounters.lastValue });
  return Number(rows[0].value);
}

export async function updateDraft(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<InvoiceRow>,
): Promise<InvoiceRow> {
  const rows = await db
    .update(invoices)
    .set(changes)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)))
    .returning();
  return rows[0];
}

/** A draft's lines and its credit draws, before it is recomputed. */
export async function deleteDraftContent(db: Db, tenantId: string, invoiceId: string): Promise<void> {
  await db
    .delete(creditLedger)
    .where(and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.invoiceId, invoiceId)));
  await db
    .delete(invoiceLines)
    .where(and(eq(invoiceLines.tenantId, tenantId), eq(invoiceLines.invoiceId, invoiceId)));
}

/** Gives back every credit an invoice drew (voiding it). */
export async function reverseDraws(
  db: Db,
  tenantId: string,
  invoiceId: string,
  ids: (p: string) => string,
  now: Date,
) {
  const rows = await db
    .select({
      grantId: creditLedger.grantId,
      contractId: creditLedger.contractId,
      pool: creditLedger.pool,
      lineId: creditLedger.invoiceLineId,
      amount: sql<string>`sum(${creditLedger.amount})::text`,
    })
    .from(creditLedger)
    .where(and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.invoiceId, invoiceId)))
    .groupBy(creditLedger.grantId, creditLedger.contractId, creditLedger.pool, creditLedger.invoiceLineId);
  const reversals = rows
    .filter((r) => Number(r.amount) !== 0)
    .map((r) => ({
      id: ids("cl"),
      tenantId,
      contractId: r.contractId,
      grantId: r.grantId,
      pool: r.pool,
      kind: "reversal" as const,
      amount: r.amount.startsWith("-") ? r.amount.slice(1) : `-${r.amount}`,
      invoiceId,
      invoiceLineId: r.lineId,
      createdAt: now,
    }));
  if (reversals.length) await db.insert(creditLedger).values(reversals);
}

export async function insertCreditNote(
  db: Db,
  note: CreditNoteRow,
  lines: CreditNoteLineRow[],
): Promise<void> {
  await db.insert(creditNotes).values(note);
  if (lines.length) await db.insert(creditNoteLines).values(lines);
}

/** Credited so far per invoice line. */
export async function creditedByLine(db: Db, invoiceId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({
      lineId: creditNoteLines.invoiceLineId,
      amount: sql<string>`sum(${creditNoteLines.amount})::text`,
    })
    .from(creditNoteLines)
    .innerJoin(creditNotes, eq(creditNotes.id, creditNoteLines.creditNoteId))
    .where(eq(creditNotes.invoiceId, invoiceId))
    .groupBy(creditNoteLines.invoiceLineId);
  return new Map(rows.filter((r) => r.lineId !== null).map((r) => [r.lineId as string, r.amount]));
}

export async function gracePeriodHours(db: Db, tenantId: string): Promise<number> {
  const rows = await db.select().from(billingSettings).where(eq(billingSettings.tenantId, tenantId));
  return rows[0]?.gracePeriodHours ?? DEFAULT_GRACE_PERIOD_HOURS;
}

export async function upsertGracePeriod(db: Db, tenantId: string, hours: number, now: Date): Promise<void> {
  await db
    .insert(billingSettings)
    .values({ tenantId, gracePeriodHours: hours, updatedAt: now })
    .onConflictDoUpdate({
      target: billingSettings.tenantId,
      set: { gracePeriodHours: hours, updatedAt: now },
    });
}

/** Drafts whose grace period is over at `now` (all tenants, or one): it runs from the period's end, or for an
 * adjustment invoice (whose period ended long ago) from its creation. */
export async function draftsPastGrace(
  db: Db,
  now: Date,
  tenantId?: string,
  limit = 500,
): Promise<{ id: string; tenantId: string }[]> {
  const rows = await queryRows<{ id: string; tenant_id: string }>(
    db,
    sql`SELECT i.id, i.tenant_id FROM invoices i LEFT JOIN billing_settings s ON s.tenant_id = i.tenant_id
      WHERE i.status = 'draft' ${tenantId ? sql`AND i.tenant_id = ${tenantId}` : sql``}
        AND (CASE WHEN i.kind = 'adjustment' THEN i.created_at ELSE i.period_end END)
          + make_interval(hours => coalesce(s.grace_period_hours, ${DEFAULT_GRACE_PERIOD_HOURS})) <= ${now.toISOString()}::timestamptz
      ORDER BY i.period_end, i.id LIMIT ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
}
