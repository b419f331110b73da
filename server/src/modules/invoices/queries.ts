import type { InvoiceConsolidation } from "@pricegraph/shared";
import { and, asc, desc, eq, inArray, isNull, ne, type SQL, sql } from "drizzle-orm";
import { insertAsJson } from "../../db/bulk-insert.ts";
import { type Db, queryRows } from "../../db/index.ts";
import {
  billingSettings,
  contracts,
  creditNoteLines,
  creditNotes,
  documentCounters,
  invoiceContracts,
  invoiceLines,
  invoices,
  plans,
} from "../../db/schema/index.ts";

import { type PaymentStatus, paymentStatusCondition } from "../receivables/queries.ts";
import { textArrayLiteral } from "../usage/aggregate.ts";

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceContractRow = typeof invoiceContracts.$inferSelect;

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
          and(
            eq(creditNoteLines.tenantId, tenantId),
            inArray(
              creditNoteLines.creditNoteId,
              notes.map((n) => n.id),
            ),
          ),
        )
    : [];
  return { notes, lines };
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
  if (filters.contractId) conditions.push(billsContract(tenantId, filters.contractId));
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

export async function updateInvoice(
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

/** A draft's lines, before it is recomputed. */
export async function deleteDraftLines(db: Db, tenantId: string, invoiceId: string): Promise<void> {
  await db
    .delete(invoiceLines)
    .where(and(eq(invoiceLines.tenantId, tenantId), eq(invoiceLines.invoiceId, invoiceId)));
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
export async function creditedByLine(
  db: Db,
  tenantId: string,
  invoiceId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .select({
      lineId: creditNoteLines.invoiceLineId,
      amount: sql<string>`sum(${creditNoteLines.amount})::text`,
    })
    .from(creditNoteLines)
    .innerJoin(
      creditNotes,
      and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.id, creditNoteLines.creditNoteId)),
    )
    .where(and(eq(creditNoteLines.tenantId, tenantId), eq(creditNotes.invoiceId, invoiceId)))
    .groupBy(creditNoteLines.invoiceLineId);
  return new Map(rows.filter((r) => r.lineId !== null).map((r) => [r.lineId as string, r.amount]));
}

export interface BillingSettingsRow {
  gracePeriodHours: number;
  scheduledRuns: boolean;
  scheduledRunHour: number;
  invoiceConsolidation: InvoiceConsolidation;
}

/** What a tenant without a settings row gets. */
export const DEFAULT_BILLING_SETTINGS: BillingSettingsRow = {
  gracePeriodHours: DEFAULT_GRACE_PERIOD_HOURS,
  scheduledRuns: true,
  scheduledRunHour: 2,
  invoiceConsolidation: "per_contract",
};

export async function billingSettingsOf(db: Db, tenantId: string): Promise<BillingSettingsRow> {
  const [row] = await db.select().from(billingSettings).where(eq(billingSettings.tenantId, tenantId));
  if (!row) return { ...DEFAULT_BILLING_SETTINGS };
  return {
    gracePeriodHours: row.gracePeriodHours,
    scheduledRuns: row.scheduledRuns,
    scheduledRunHour: row.scheduledRunHour,
    invoiceConsolidation: row.invoiceConsolidation,
  };
}

export async function gracePeriodHours(db: Db, tenantId: string): Promise<number> {
  return (await billingSettingsOf(db, tenantId)).gracePeriodHours;
}

export async function upsertBillingSettings(
  db: Db,
  tenantId: string,
  settings: BillingSettingsRow,
  now: Date,
): Promise<void> {
  await db
    .insert(billingSettings)
    .values({ tenantId, ...settings, updatedAt: now })
    .onConflictDoUpdate({ target: billingSettings.tenantId, set: { ...settings, updatedAt: now } });
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

/** Period starts already invoiced, per contract. */
export async function invoicedPeriodStarts(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ contractId: invoiceContracts.contractId, periodStart: invoiceContracts.periodStart })
    .from(invoiceContracts)
    .where(
      and(
        eq(invoiceContracts.tenantId, tenantId),
        inArray(invoiceContracts.contractId, [...ids]),
        eq(invoiceContracts.kind, "period"),
      ),
    );
  for (const row of rows) {
    let set = out.get(row.contractId);
    if (!set) {
      set = new Set();
      out.set(row.contractId, set);
    }
    set.add(row.periodStart.getTime());
  }
  return out;
}

/**
 * The contract's period invoice that is finalized or void with the latest period: periods up to its end can no
 * longer change (null when every period invoice is still a draft, or there is none).
 */
export async function lastClosedPeriodInvoice(
  db: Db,
  tenantId: string,
  contractId: string,
): Promise<InvoiceRow | null> {
  const rows = await db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        billsContract(tenantId, contractId),
        eq(invoices.kind, "period"),
        ne(invoices.status, "draft"),
      ),
    )
    .orderBy(desc(invoices.periodEnd))
    .limit(1);
  return rows[0] ?? null;
}

/** The contract's draft invoices, oldest period first. */
export async function draftsOfContract(db: Db, tenantId: string, contractId: string): Promise<InvoiceRow[]> {
  return db
    .select()
    .from(invoices)
    .where(
      and(eq(invoices.tenantId, tenantId), billsContract(tenantId, contractId), eq(invoices.status, "draft")),
    )
    .orderBy(asc(invoices.periodStart), asc(invoices.id));
}

/** The contracts among `ids` that have a draft invoice. */
export async function contractsWithDrafts(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ contractId: invoiceContracts.contractId })
    .from(invoiceContracts)
    .innerJoin(invoices, and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceContracts.invoiceId)))
    .where(
      and(
        eq(invoiceContracts.tenantId, tenantId),
        inArray(invoiceContracts.contractId, [...ids]),
        eq(invoices.status, "draft"),
      ),
    );
  return new Set(rows.map((row) => row.contractId));
}

/**
 * Finalized period invoices whose period received events after its usage was last read (less a safety margin
 * for events committed while it was read): their periods need recomputing, as adjustments. "Last read" is the
 * latest of the invoice's own computation and that of any non-void invoice with adjustment lines for the
 * period: events already adjusted for are not late again, so a contract's old late events do not make every
 * later invoice and run recompute its periods. (A draft being recomputed has its lines deleted first.)
 */
export async function periodsWithLateEvents(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<{ contractId: string; periodStart: Date; invoiceId: string }[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ contract_id: string; period_start: string | Date; id: string }>(
    db,
    sql`SELECT ic.contract_id, i.period_start, i.id FROM invoice_contracts ic
      JOIN invoices i ON i.tenant_id = ic.tenant_id AND i.id = ic.invoice_id
      JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
      CROSS JOIN LATERAL (SELECT greatest(i.usage_computed_at, max(a.usage_computed_at)) AS read_at
        FROM invoice_lines l JOIN invoices a ON a.tenant_id = l.tenant_id AND a.id = l.invoice_id
        WHERE l.tenant_id = i.tenant_id AND l.contract_id = ic.contract_id AND l.service_period_start = i.period_start
          AND l.kind = 'adjustment' AND a.status <> 'void'
      ) adjusted
      WHERE ic.tenant_id = ${tenantId} AND ic.contract_id = ANY(${textArrayLiteral([...ids])}::text[])
        AND ic.kind = 'period' AND i.status = 'finalized' AND i.kind = 'period'
        AND EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = ${tenantId} AND e.customer_external_id = c.external_id
          AND e.timestamp >= i.period_start AND e.timestamp < i.period_end
          AND e.received_at > adjusted.read_at - interval '5 minutes')
      ORDER BY ic.contract_id, i.period_start`,
  );
  return rows.map((r) => ({
    contractId: r.contract_id,
    periodStart: new Date(r.period_start),
    invoiceId: r.id,
  }));
}

/** Lines billed for one service period of a contract, on invoices that are not void (optionally but one). */
export async function billedLinesFor(
  db: Db,
  tenantId: string,
  contractId: string,
  servicePeriodStart: Date,
  exceptInvoice?: string,
  componentId: string | null = null,
) {
  const conditions = [
    eq(invoiceLines.tenantId, tenantId),
    eq(invoiceLines.contractId, contractId),
    eq(invoiceLines.servicePeriodStart, servicePeriodStart),
    ne(invoices.status, "void"),
    // One component's lines (the base plan's by default): add-ons are priced by other plans, whose node ids may
    // coincide.
    componentId === null ? isNull(invoiceLines.componentId) : eq(invoiceLines.componentId, componentId),
  ];
  if (exceptInvoice) conditions.push(ne(invoices.id, exceptInvoice));
  return db
    .select({
      id: invoiceLines.id,
      nodeId: invoiceLines.nodeId,
      amount: invoiceLines.amount,
      unrounded: invoiceLines.unrounded,
      quantity: invoiceLines.quantity,
    })
    .from(invoiceLines)
    .innerJoin(invoices, and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceLines.invoiceId)))
    .where(and(...conditions));
}

/**
 * Advance lines billed for one service period of a contract on invoices that are not void (optionally but one),
 * each net of what credit notes gave back: what the period's advance fees stand at.
 */
export async function billedAdvanceLines(
  db: Db,
  tenantId: string,
  contractId: string,
  servicePeriodStart: Date,
  exceptInvoice?: string,
  componentId: string | null = null,
): Promise<{ nodeId: string; amount: string }[]> {
  return queryRows<{ nodeId: string; amount: string }>(
    db,
    sql`SELECT l.node_id AS "nodeId",
        (l.amount - coalesce((SELECT sum(n.amount) FROM credit_note_lines n
          WHERE n.tenant_id = l.tenant_id AND n.invoice_line_id = l.id), 0))::text AS amount
      FROM invoice_lines l JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
      WHERE l.tenant_id = ${tenantId} AND l.contract_id = ${contractId}
        AND l.service_period_start = ${servicePeriodStart.toISOString()}::timestamptz
        AND l.timing = 'advance' AND i.status <> 'void' AND i.id <> ${exceptInvoice ?? ""}
        AND l.component_id IS NOT DISTINCT FROM ${componentId}::text
      ORDER BY l.position`,
  );
}

/**
 * Advance lines on the contract's finalized invoices whose service period ends after `instant`, each with what
 * credit notes gave back of it: the fees billed ahead for time a contract that ends at `instant` will not serve.
 */
export async function advanceLinesServingAfter(
  db: Db,
  tenantId: string,
  contractId: string,
  instant: Date,
): Promise<
  {
    id: string;
    invoiceId: string;
    nodeId: string;
    amount: string;
    credited: string;
    servicePeriodStart: Date;
    description: string;
    /** The add-on whose plan priced the line; null: the base plan. */
    componentId: string | null;
  }[]
> {
  const rows = await queryRows<{
    id: string;
    invoiceId: string;
    nodeId: string;
    amount: string;
    credited: string;
    servicePeriodStart: string | Date;
    description: string;
    componentId: string | null;
  }>(
    db,
    sql`SELECT l.id, l.invoice_id AS "invoiceId", l.node_id AS "nodeId", l.amount::text AS amount,
        l.component_id AS "componentId",
        coalesce((SELECT sum(n.amount) FROM credit_note_lines n
          WHERE n.tenant_id = l.tenant_id AND n.invoice_line_id = l.id), 0)::text AS credited,
        l.service_period_start AS "servicePeriodStart", l.description
      FROM invoice_lines l JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
      WHERE l.tenant_id = ${tenantId} AND l.contract_id = ${contractId} AND l.timing = 'advance'
        AND l.service_period_end > ${instant.toISOString()}::timestamptz AND i.status = 'finalized'
      ORDER BY i.period_start, l.position`,
  );
  return rows.map((r) => ({ ...r, servicePeriodStart: new Date(r.servicePeriodStart) }));
}

export async function insertInvoiceRows(db: Db, rows: readonly InvoiceRow[]): Promise<Set<string>> {
  const done = await insertAsJson(
    db,
    invoices,
    rows as unknown as Record<string, unknown>[],
    sql`ON CONFLICT (tenant_id, contract_id, period_start) WHERE kind = 'period' DO NOTHING RETURNING id`,
  );
  return new Set(done.map((r) => r.id));
}

/**
 * Which contracts each invoice bills. The unique key of period invoices' rows (tenant, contract, period start)
 * refuses a contract-period already billed on another invoice: the insert then fails and its transaction with it.
 */
export async function insertInvoiceContracts(db: Db, rows: readonly InvoiceContractRow[]): Promise<void> {
  if (rows.length === 0) return;
  await insertAsJson(db, invoiceContracts, rows as unknown as Record<string, unknown>[]);
}

/** The contracts each invoice bills, in their order on it: the lead (`invoices.contract_id`) first. */
export async function contractsOfInvoices(
  db: Db,
  tenantId: string,
  invoiceIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (invoiceIds.length === 0) return out;
  const rows = await db
    .select({ invoiceId: invoiceContracts.invoiceId, contractId: invoiceContracts.contractId })
    .from(invoiceContracts)
    .where(and(eq(invoiceContracts.tenantId, tenantId), inArray(invoiceContracts.invoiceId, [...invoiceIds])))
    .orderBy(asc(invoiceContracts.invoiceId), asc(invoiceContracts.position));
  for (const row of rows) out.set(row.invoiceId, [...(out.get(row.invoiceId) ?? []), row.contractId]);
  return out;
}

/**
 * The given contracts and every contract a draft invoice of theirs also bills (the other contracts of a
 * consolidated draft), sorted: what a change re-pricing their drafts must hold locked.
 */
export async function contractsSharingDrafts(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<string[]> {
  if (contractIds.length === 0) return [];
  const rows = await queryRows<{ contract_id: string }>(
    db,
    sql`SELECT DISTINCT other.contract_id FROM ${invoiceContracts} own
      JOIN ${invoices} draft ON draft.tenant_id = own.tenant_id AND draft.id = own.invoice_id AND draft.status = 'draft'
      JOIN ${invoiceContracts} other ON other.tenant_id = own.tenant_id AND other.invoice_id = own.invoice_id
      WHERE own.tenant_id = ${tenantId} AND own.contract_id = ANY(${textArrayLiteral([...contractIds])}::text[])`,
  );
  return [...new Set([...contractIds, ...rows.map((r) => r.contract_id)])].sort();
}

/** Each contract's base plan and its name, for the headings of a consolidated invoice's groups. */
export async function contractPlanNames(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<Map<string, { planId: string; planName: string }>> {
  if (contractIds.length === 0) return new Map();
  const rows = await db
    .select({ contractId: contracts.id, planId: contracts.planId, planName: plans.name })
    .from(contracts)
    .innerJoin(plans, and(eq(plans.tenantId, tenantId), eq(plans.id, contracts.planId)))
    .where(and(eq(contracts.tenantId, tenantId), inArray(contracts.id, [...contractIds])));
  return new Map(rows.map((r) => [r.contractId, { planId: r.planId, planName: r.planName }]));
}

/** Invoices that bill the contract, alone or consolidated with others. */
function billsContract(tenantId: string, contractId: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${invoiceContracts} WHERE ${invoiceContracts.tenantId} = ${tenantId}
    AND ${invoiceContracts.invoiceId} = ${invoices.id} AND ${invoiceContracts.contractId} = ${contractId})`;
}

export async function insertLineRows(db: Db, rows: readonly InvoiceLineRow[]): Promise<void> {
  await insertAsJson(db, invoiceLines, rows as unknown as Record<string, unknown>[]);
}
