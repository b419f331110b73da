import { and, asc, eq, getTableColumns, getTableName, inArray, lte, max, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type Db, queryRows } from "../../db/index.ts";
import {
  accountingPeriods,
  contractCreditGrants,
  contracts,
  creditLedger,
  creditNoteLines,
  creditNotes,
  invoiceLines,
  invoiceReceivables,
  invoices,
  journalEntries,
  journalLines,
  journalPosition,
  ledgerAccounts,
  planVersions,
  revenueSchedule,
} from "../../db/schema/index.ts";

export type AccountRow = typeof ledgerAccounts.$inferSelect;
export type EntryRow = typeof journalEntries.$inferSelect;
export type NewEntryRow = Omit<typeof journalEntries.$inferInsert, "seq" | "txid">;
export type LineRow = typeof journalLines.$inferSelect;
export type NewLineRow = Omit<typeof journalLines.$inferInsert, "id">;
export type ScheduleRow = typeof revenueSchedule.$inferSelect;
export type NewScheduleRow = Omit<typeof revenueSchedule.$inferInsert, "id">;

export const JOURNAL_CONSUMER = "journal";

// ---- chart of accounts

export async function accountsOf(db: Db, tenantId: string): Promise<AccountRow[]> {
  return db
    .select()
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.tenantId, tenantId))
    .orderBy(asc(ledgerAccounts.code));
}

export async function insertAccounts(db: Db, rows: AccountRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(ledgerAccounts).values(rows).onConflictDoNothing();
}

export async function updateAccountRow(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Pick<AccountRow, "code" | "name" | "updatedAt">>,
): Promise<AccountRow | null> {
  const rows = await db
    .update(ledgerAccounts)
    .set(patch)
    .where(and(eq(ledgerAccounts.tenantId, tenantId), eq(ledgerAccounts.id, id)))
    .returning();
  return rows[0] ?? null;
}

// ---- the consumer's position and the closed months

/** Locks the journal's position for this transaction: posting and closing run one at a time. */
export async function lockJournalPosition(db: Db): Promise<{ txid: number; seq: number }> {
  const rows = await db
    .select({ txid: journalPosition.txid, seq: journalPosition.seq })
    .from(journalPosition)
    .where(eq(journalPosition.consumer, JOURNAL_CONSUMER))
    .for("update");
  if (!rows[0]) throw new Error("journal_position has no journal row (migration accounting_journal)");
  return { txid: Number(rows[0].txid), seq: Number(rows[0].seq) };
}

export async function saveJournalPosition(db: Db, position: { txid: number; seq: number }): Promise<void> {
  await db
    .update(journalPosition)
    .set({ txid: position.txid, seq: position.seq })
    .where(eq(journalPosition.consumer, JOURNAL_CONSUMER));
}

/** The last closed month of a tenant (closes are in order, so every month up to it is closed). */
export async function closedThrough(db: Db, tenantId: string): Promise<string | null> {
  const rows = await db
    .select({ month: max(accountingPeriods.month) })
    .from(accountingPeriods)
    .where(eq(accountingPeriods.tenantId, tenantId));
  return rows[0]?.month ?? null;
}

export async function closedPeriods(db: Db, tenantId: string) {
  return db
    .select()
    .from(accountingPeriods)
    .where(eq(accountingPeriods.tenantId, tenantId))
    .orderBy(asc(accountingPeriods.month));
}

export async function insertPeriod(db: Db, tenantId: string, month: string, closedAt: Date): Promise<void> {
  await db.insert(accountingPeriods).values({ tenantId, month, closedAt });
}

/**
 * The first month a tenant's first close has to cover: that of its earliest entry, or earlier when an advance
 * fee was scheduled for a month before it (a fee billed late for a past period).
 */
export async function firstBooksMonth(db: Db, tenantId: string): Promise<string | null> {
  const rows = await queryRows<{ month: string | null }>(
    db,
    sql`select least(
          (select to_char(min(date), 'YYYY-MM') from journal_entries where tenant_id = ${tenantId}),
          (select min(month) from revenue_schedule where tenant_id = ${tenantId} and deferred)) as month`,
  );
  return rows[0]?.month ?? null;
}

// ---- writing entries

/** Inserts the entry unless one already exists for its kind and source; false when it did. */
export async function insertEntry(db: Db, row: NewEntryRow): Promise<boolean> {
  const inserted = await db
    .insert(journalEntries)
    .values(row)
    .onConflictDoNothing({
      target: [
        journalEntries.tenantId,
        journalEntries.kind,
        journalEntries.sourceType,
        journalEntries.sourceId,
        journalEntries.currency,
      ],
    })
    .returning({ id: journalEntries.id });
  return inserted.length > 0;
}

/**
 * A multi-row insert as one jsonb parameter expanded by jsonb_populate_recordset (as billing inserts its lines):
 * far cheaper for thousands of rows than a bind parameter per cell. Rows are written with the table's column
 * names; identity and defaulted columns left out are filled by the database.
 */
async function insertAsJson(
  db: Db,
  table: PgTable,
  rows: readonly Record<string, unknown>[],
  suffix: SQL = sql``,
): Promise<{ id: string }[]> {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in rows[0]);
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const name = sql.identifier(getTableName(table));
  const out: { id: string }[] = [];
  for (let i = 0; i < rows.length; i += 2000) {
    const payload = rows.slice(i, i + 2000).map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = row[key];
        record[column.name] = value instanceof Date ? value.toISOString() : value;
      }
      return record;
    });
    out.push(
      ...(await queryRows<{ id: string }>(
        db,
        sql`INSERT INTO ${name} (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${name}, ${JSON.stringify(payload)}::jsonb) ${suffix}`,
      )),
    );
  }
  return out;
}

/** Inserts entries, skipping those already posted for their kind and source; answers the ids inserted. */
export async function insertEntries(db: Db, rows: NewEntryRow[]): Promise<Set<string>> {
  const inserted = await insertAsJson(
    db,
    journalEntries,
    rows as unknown as Record<string, unknown>[],
    sql`ON CONFLICT (tenant_id, kind, source_type, source_id, currency) DO NOTHING RETURNING id`,
  );
  return new Set(inserted.map((r) => r.id));
}

export async function insertLines(db: Db, rows: NewLineRow[]): Promise<void> {
  await insertAsJson(db, journalLines, rows as unknown as Record<string, unknown>[]);
}

export async function insertSchedule(db: Db, rows: NewScheduleRow[]): Promise<void> {
  await insertAsJson(db, revenueSchedule, rows as unknown as Record<string, unknown>[]);
}

export async function entryBySource(
  db: Db,
  tenantId: string,
  kind: string,
  sourceType: string,
  sourceId: string,
): Promise<{ entry: EntryRow; lines: LineRow[] } | null> {
  const entries = await db
    .select()
    .from(journalEntries)
    .where(
      and(
        eq(journalEntries.tenantId, tenantId),
        eq(journalEntries.kind, kind as EntryRow["kind"]),
        eq(journalEntries.sourceType, sourceType),
        eq(journalEntries.sourceId, sourceId),
      ),
    );
  if (!entries[0]) return null;
  const lines = await db
    .select()
    .from(journalLines)
    .where(eq(journalLines.entryId, entries[0].id))
    .orderBy(asc(journalLines.position));
  return { entry: entries[0], lines };
}

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
        inArray(creditLedger.invoiceId, [...invoiceIds]),
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
    .where(and(eq(invoices.tenantId, tenantId), inArray(invoices.id, [...ids])));
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
    .where(and(eq(invoiceReceivables.tenantId, tenantId), inArray(invoiceReceivables.invoiceId, [...ids])));
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
    .where(and(eq(invoiceLines.tenantId, tenantId), inArray(invoiceLines.invoiceId, [...invoiceIds])))
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

/** Schedule rows of invoice lines (original and reversals), by line and month. */
export async function scheduleOfLines(db: Db, tenantId: string, lineIds: readonly string[]) {
  if (lineIds.length === 0) return [];
  return db
    .select()
    .from(revenueSchedule)
    .where(and(eq(revenueSchedule.tenantId, tenantId), inArray(revenueSchedule.invoiceLineId, [...lineIds])))
    .orderBy(asc(revenueSchedule.id));
}

/** Deferred revenue to recognise in `month`, per currency, product, customer and timing. */
export async function deferredForMonth(db: Db, tenantId: string, month: string) {
  return db
    .select({
      currency: revenueSchedule.currency,
      product: revenueSchedule.product,
      customerId: revenueSchedule.customerId,
      timing: revenueSchedule.timing,
      amount: sql<string>`sum(${revenueSchedule.amount})`,
    })
    .from(revenueSchedule)
    .where(
      and(
        eq(revenueSchedule.tenantId, tenantId),
        eq(revenueSchedule.month, month),
        eq(revenueSchedule.deferred, true),
      ),
    )
    .groupBy(
      revenueSchedule.currency,
      revenueSchedule.product,
      revenueSchedule.customerId,
      revenueSchedule.timing,
    )
    .orderBy(revenueSchedule.currency, revenueSchedule.product, revenueSchedule.customerId);
}

/** Grants expired before `before` whose credit liability (as journaled) is still positive. */
export async function expiredGrantBalances(
  db: Db,
  tenantId: string,
  liabilityAccountId: string,
  before: Date,
) {
  const where: SQL = sql`g.tenant_id = ${tenantId} and g.expires_at is not null and g.expires_at < ${before.toISOString()}`;
  return queryRows<{ grantId: string; customerId: string | null; currency: string; balance: string }>(
    db,
    sql`select l.credit_grant_id as "grantId", min(l.customer_id) as "customerId", l.currency,
          sum(l.credit) - sum(l.debit) as balance
        from journal_lines l join contract_credit_grants g on g.id = l.credit_grant_id
        where ${where} and l.tenant_id = ${tenantId} and l.account_id = ${liabilityAccountId}
        group by l.credit_grant_id, l.currency
        having sum(l.credit) - sum(l.debit) > 0
        order by l.credit_grant_id`,
  );
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

/** An activity record as the journal reads it: the snapshot only for the types that post from it. */
export interface JournalRecord {
  id: string;
  tenantId: string;
  type: string;
  objectId: string;
  object: unknown;
  txid: number;
  seq: number;
  createdAt: Date;
}

/**
 * The activity records after `after`, in (txid, seq) order and below the oldest running transaction, like the
 * activity module's `activityAfter`, but without the snapshots the journal does not post from: an invoice's
 * snapshot holds its lines, and a billing run writes two records per invoice.
 */
export async function journalRecordsAfter(
  db: Db,
  after: { txid: number; seq: number },
  limit: number,
  snapshotTypes: readonly string[],
): Promise<JournalRecord[]> {
  const wanted = sql.join(
    snapshotTypes.map((t) => sql`${t}`),
    sql`, `,
  );
  const rows = await queryRows<Omit<JournalRecord, "createdAt"> & { createdAt: string | Date }>(
    db,
    sql`select id, tenant_id as "tenantId", type, object_id as "objectId",
          case when type in (${wanted}) then object end as object, txid, seq, created_at as "createdAt"
        from activity
        where txid < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
          and (txid, seq) > (${after.txid}, ${after.seq})
        order by txid, seq limit ${limit}`,
  );
  return rows.map((r) => ({
    ...r,
    txid: Number(r.txid),
    seq: Number(r.seq),
    createdAt: new Date(r.createdAt),
  }));
}
