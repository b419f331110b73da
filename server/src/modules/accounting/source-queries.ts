import { type AnyColumn, and, asc, eq, lte, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import {
  contractCreditGrants,
  contracts,
  creditLedger,
  creditNoteLines,
  creditNotes,
  invoiceLines,
  invoiceReceivables,
  invoices,
  planVersions,
} from "../../db/schema/index.ts";
import { textArrayLiteral } from "../usage/aggregate.ts";

/**
 * `column = any(array)` with the ids as one array parameter: a billing run's batch names thousands of invoices,
 * and a bind parameter per id costs more to plan than the lookups themselves.
 */
const anyOf = (column: AnyColumn, ids: readonly string[]): SQL =>
  sql`${column} = any(${textArrayLiteral(ids)}::text[])`;

// ---- source documents (read only)

/**
 * Credit drawn per invoice line and grant as the invoices were finalized: drafts' draws net of their reversals
 * (a void's reversals come later and are left out).
 */
export async function drawsOfInvoices(db: Db, tenantId: string, invoiceIds: readonly string[]) {
  if (invoiceIds.length === 0) return [];
  const rows = await db
    .select({
      lineId: creditLedger.invoiceLineId,
      grantId: creditLedger.grantId,
      drawn: sql<string>`-sum(${creditLedger.amount})`,
    })
    .from(creditLedger)
    .innerJoin(invoices, eq(invoices.id, creditLedger.invoiceId))
    .where(
      and(
        eq(creditLedger.tenantId, tenantId),
        anyOf(creditLedger.invoiceId, invoiceIds),
        lte(creditLedger.createdAt, invoices.finalizedAt),
      ),
    )
    .groupBy(creditLedger.invoiceLineId, creditLedger.grantId);
  return rows.filter((r) => r.lineId !== null && Number(r.drawn) !== 0) as {
    lineId: string;
    grantId: string;
    drawn: string;
  }[];
}

/** What posting needs of invoices (not the usage snapshot, which can be large). */
export async function invoicesByIds(db: Db, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: invoices.id,
      customerId: invoices.customerId,
      currency: invoices.currency,
      number: invoices.number,
      finalizedAt: invoices.finalizedAt,
    })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), anyOf(invoices.id, ids)));
}

/**
 * The tax finalizing fixed on each invoice (receivables' `invoice_receivables`, written in the finalize
 * transaction): the journal books exactly that tax. An invoice finalized before receivables existed has none.
 */
export async function taxOfInvoices(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ invoiceId: invoiceReceivables.invoiceId, tax: invoiceReceivables.tax })
    .from(invoiceReceivables)
    .where(and(eq(invoiceReceivables.tenantId, tenantId), anyOf(invoiceReceivables.invoiceId, ids)));
  return new Map(rows.map((r) => [r.invoiceId, r.tax]));
}

/** What posting needs of invoice lines (not their explanations, which can be large). */
export async function linesForPosting(db: Db, tenantId: string, invoiceIds: readonly string[]) {
  if (invoiceIds.length === 0) return [];
  return db
    .select({
      id: invoiceLines.id,
      invoiceId: invoiceLines.invoiceId,
      description: invoiceLines.description,
      product: invoiceLines.product,
      timing: invoiceLines.timing,
      amount: invoiceLines.amount,
      servicePeriodStartDate: invoiceLines.servicePeriodStartDate,
      servicePeriodEndDate: invoiceLines.servicePeriodEndDate,
    })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.tenantId, tenantId), anyOf(invoiceLines.invoiceId, invoiceIds)))
    .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position));
}

export async function creditNoteWithLines(db: Db, tenantId: string, id: string) {
  const notes = await db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.id, id)));
  if (!notes[0]) return null;
  const lines = await db
    .select()
    .from(creditNoteLines)
    .where(and(eq(creditNoteLines.tenantId, tenantId), eq(creditNoteLines.creditNoteId, id)));
  return { note: notes[0], lines };
}

/** A grant with the customer and currency of its contract's plan version. */
export async function grantForPosting(db: Db, tenantId: string, grantId: string) {
  const rows = await db
    .select({
      id: contractCreditGrants.id,
      amount: contractCreditGrants.amount,
      expiresAt: contractCreditGrants.expiresAt,
      customerId: contracts.customerId,
      currency: sql<string>`${planVersions.document}->>'currency'`,
    })
    .from(contractCreditGrants)
    .innerJoin(contracts, eq(contracts.id, contractCreditGrants.contractId))
    .innerJoin(
      planVersions,
      and(eq(planVersions.planId, contracts.planId), eq(planVersions.version, contracts.planVersion)),
    )
    .where(and(eq(contractCreditGrants.tenantId, tenantId), eq(contractCreditGrants.id, grantId)));
  return rows[0] ?? null;
}

export async function grantIdsOfContract(db: Db, tenantId: string, contractId: string): Promise<string[]> {
  const rows = await db
    .select({ id: contractCreditGrants.id })
    .from(contractCreditGrants)
    .where(and(eq(contractCreditGrants.tenantId, tenantId), eq(contractCreditGrants.contractId, contractId)))
    .orderBy(asc(contractCreditGrants.position));
  return rows.map((r) => r.id);
}

/**
 * Documents of a tenant the journal has no entry for (written before the activity log recorded them), in the
 * order they happened: grants, finalized invoices, credit notes, voids.
 */
export async function unpostedDocuments(db: Db, tenantId: string) {
  const rows = await queryRows<{ type: string; id: string; at: string | Date }>(
    db,
    sql`select * from (
          select 'credit_grant' as type, g.id, c.created_at as at, 0 as rank
            from contract_credit_grants g join contracts c on c.id = g.contract_id
            where g.tenant_id = ${tenantId} and not exists (select 1 from journal_entries e
              where e.tenant_id = ${tenantId} and e.kind = 'credit_grant' and e.source_id = g.id)
          union all
          select 'invoice.finalized', i.id, i.finalized_at, 1 from invoices i
            where i.tenant_id = ${tenantId} and i.finalized_at is not null and not exists (select 1 from journal_entries e
              where e.tenant_id = ${tenantId} and e.kind = 'invoice' and e.source_type = 'invoice' and e.source_id = i.id)
          union all
          select 'credit_note.created', n.id, n.created_at, 2 from credit_notes n
            where n.tenant_id = ${tenantId} and not exists (select 1 from journal_entries e
              where e.tenant_id = ${tenantId} and e.kind = 'credit_note' and e.source_id = n.id)
          union all
          select 'invoice.voided', i.id, i.voided_at, 3 from invoices i
            where i.tenant_id = ${tenantId} and i.voided_at is not null and not exists (select 1 from journal_entries e
              where e.tenant_id = ${tenantId} and e.kind = 'invoice_void' and e.source_id = i.id)
        ) d order by at, rank, id`,
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}
