import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";

/** Filters of the journal listing and its exports. */
export interface EntryFilters {
  from?: string;
  to?: string;
  kind?: string;
  accountCode?: string;
  customerId?: string;
  invoiceId?: string;
  sourceId?: string;
  /** The `seq` of the last entry of the previous page (oldest first). */
  afterSeq?: number;
  limit: number;
}

export interface EntryListRow {
  id: string;
  seq: number;
  date: string;
  kind: string;
  sourceType: string;
  sourceId: string;
  currency: string;
  memo: string;
  createdAt: Date;
}

export interface EntryLineRow {
  entryId: string;
  position: number;
  code: string;
  name: string;
  debit: string;
  credit: string;
  customerId: string | null;
  invoiceId: string | null;
  product: string | null;
}

/** A tenant's entries in posting order, `limit + 1` of them so the caller knows whether more follow. */
export async function listEntries(db: Db, tenantId: string, f: EntryFilters): Promise<EntryListRow[]> {
  const where: SQL[] = [sql`e.tenant_id = ${tenantId}`];
  if (f.from) where.push(sql`e.date >= ${f.from}`);
  if (f.to) where.push(sql`e.date <= ${f.to}`);
  if (f.kind) where.push(sql`e.kind = ${f.kind}`);
  if (f.sourceId) where.push(sql`e.source_id = ${f.sourceId}`);
  if (f.afterSeq !== undefined) where.push(sql`e.seq > ${f.afterSeq}`);
  const lineFilters: SQL[] = [];
  if (f.accountCode) lineFilters.push(sql`a.code = ${f.accountCode}`);
  if (f.customerId) lineFilters.push(sql`l.customer_id = ${f.customerId}`);
  if (f.invoiceId) {
    // Lines keep no index by invoice (each index costs every posted line): an invoice's lines are found among its
    // customer's (every line naming an invoice names the invoice's customer too).
    lineFilters.push(
      sql`l.invoice_id = ${f.invoiceId}`,
      sql`l.customer_id = (select i.customer_id from invoices i where i.tenant_id = ${tenantId} and i.id = ${f.invoiceId})`,
    );
  }
  if (lineFilters.length > 0) {
    where.push(sql`e.id in (select l.entry_id from journal_lines l join ledger_accounts a on a.id = l.account_id
      where l.tenant_id = ${tenantId} and ${sql.join(lineFilters, sql` and `)})`);
  }
  const rows = await queryRows<EntryListRow & { createdAt: string | Date; seq: string | number }>(
    db,
    sql`select e.id, e.seq, e.date::text as date, e.kind, e.source_type as "sourceType", e.source_id as "sourceId",
          e.currency, e.memo, e.created_at as "createdAt"
        from journal_entries e where ${sql.join(where, sql` and `)}
        order by e.seq limit ${f.limit + 1}`,
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq), createdAt: new Date(r.createdAt) }));
}

export async function linesOfEntries(
  db: Db,
  tenantId: string,
  entryIds: readonly string[],
): Promise<EntryLineRow[]> {
  if (entryIds.length === 0) return [];
  return queryRows<EntryLineRow>(
    db,
    sql`select l.entry_id as "entryId", l.position, a.code, a.name, l.debit::text as debit, l.credit::text as credit,
          l.customer_id as "customerId", l.invoice_id as "invoiceId", l.product
        from journal_lines l join ledger_accounts a on a.id = l.account_id
        where l.tenant_id = ${tenantId} and l.entry_id in (${sql.join(
          entryIds.map((id) => sql`${id}`),
          sql`, `,
        )})
        order by l.entry_id, l.position`,
  );
}

export async function recognitionEntryIdsOf(db: Db, tenantId: string, month: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from journal_entries where tenant_id = ${tenantId} and kind = 'recognition'
        and source_type = 'accounting_period' and source_id = ${month} order by currency`,
  );
  return rows.map((r) => r.id);
}

/** One journal line with its entry, as the exports write it. */
export interface ExportLine {
  entryId: string;
  /** The entry's number in the tenant's journal (its posting order): QuickBooks' JournalNo. */
  entrySeq: number;
  date: string;
  kind: string;
  sourceType: string;
  sourceId: string;
  currency: string;
  memo: string;
  accountCode: string;
  accountName: string;
  debit: string;
  credit: string;
  customerId: string | null;
  customerName: string | null;
  invoiceId: string | null;
  product: string | null;
}

/** Every line of the entries dated in [from, to], with its entry, account and customer, in posting order. */
export async function exportLineRows(
  db: Db,
  tenantId: string,
  range: { from?: string; to?: string },
): Promise<ExportLine[]> {
  const where: SQL[] = [sql`e.tenant_id = ${tenantId}`];
  if (range.from) where.push(sql`e.date >= ${range.from}`);
  if (range.to) where.push(sql`e.date <= ${range.to}`);
  const rows = await queryRows<Omit<ExportLine, "entrySeq"> & { entrySeq: string | number }>(
    db,
    sql`select e.id as "entryId", e.seq as "entrySeq", e.date::text as date, e.kind, e.source_type as "sourceType",
          e.source_id as "sourceId", e.currency, e.memo, a.code as "accountCode", a.name as "accountName",
          l.debit::text as debit, l.credit::text as credit, l.customer_id as "customerId", c.name as "customerName",
          l.invoice_id as "invoiceId", l.product
        from journal_entries e
          join journal_lines l on l.entry_id = e.id
          join ledger_accounts a on a.id = l.account_id
          left join customers c on c.id = l.customer_id and c.tenant_id = ${tenantId}
        where ${sql.join(where, sql` and `)}
        order by e.seq, l.position`,
  );
  return rows.map((r) => ({ ...r, entrySeq: Number(r.entrySeq) }));
}
