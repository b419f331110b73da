import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import type { NewEntryRow, NewLineRow, NewScheduleRow } from "./queries.ts";
import { recordsOf } from "./unnest.ts";

/**
 * Writes entries with their lines and schedule rows, and adds them to the totals the reports read, in one
 * statement: an entry already posted for its kind and source (a replayed record, a second close) is skipped with
 * its lines and rows, and the totals are summed set-based from the lines and rows just inserted (`RETURNING`),
 * so the server neither sums them nor waits for a round trip per table. Answers the ids of the entries written.
 *
 * The totals: per month, account, product and timing; per day and account; the deferred schedule per month;
 * each customer's revenue per month (invoiced: net credits to revenue and deferred revenue; recognised: to
 * revenue); each invoice's open receivable (its due date from receivables, or 30 days after its first posting
 * for an invoice without one); each customer's outstanding and count of open invoices.
 */
export async function writePosted(
  db: Db,
  tenantId: string,
  entries: readonly NewEntryRow[],
  lines: readonly NewLineRow[],
  schedule: readonly NewScheduleRow[],
): Promise<Set<string>> {
  if (entries.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with e as (
        insert into journal_entries (id, tenant_id, date, kind, source_type, source_id, currency, memo, activity_id,
          created_at)
        select * from ${entryRecords(entries)}
        on conflict (tenant_id, kind, source_type, source_id, currency) do nothing
        returning id),
      l as (
        insert into journal_lines (tenant_id, entry_id, position, account_id, date, currency, debit, credit,
          customer_id, invoice_id, product, timing, credit_grant_id)
        select x.* from ${lineRecords(lines)} where x.entry_id in (select id from e)
        returning account_id, date, currency, debit, credit, customer_id, invoice_id, product, timing),
      s as (
        insert into revenue_schedule (tenant_id, entry_id, invoice_id, invoice_line_id, customer_id, product, timing,
          currency, month, amount, deferred)
        select x.* from ${scheduleRecords(schedule)} where x.entry_id in (select id from e)
        returning currency, month, amount, deferred),
      ${totalsFrom(tenantId)}
      select id from e`,
  );
  return new Set(rows.map((r) => r.id));
}

/** The totals' upserts (CTEs after `l`, the lines inserted, and `s`, the schedule rows inserted). */
function totalsFrom(tenantId: string): SQL {
  return sql`la as (
        select l.*, a.role from l join ledger_accounts a on a.id = l.account_id and a.tenant_id = ${tenantId}),
      month_totals as (
        insert into journal_month_totals as t
        select ${tenantId}, to_char(date, 'YYYY-MM'), currency, account_id, coalesce(product, ''),
          coalesce(timing, ''), sum(debit), sum(credit)
        from l group by 2, 3, 4, 5, 6
        on conflict (tenant_id, month, currency, account_id, product, timing)
        do update set debit = t.debit + excluded.debit, credit = t.credit + excluded.credit),
      day_totals as (
        insert into journal_day_totals as t
        select ${tenantId}, date, currency, account_id, sum(debit), sum(credit)
        from l group by 2, 3, 4
        on conflict (tenant_id, date, currency, account_id)
        do update set debit = t.debit + excluded.debit, credit = t.credit + excluded.credit),
      deferred_totals as (
        insert into journal_deferred_schedule as t
        select ${tenantId}, month, currency, sum(amount)
        from s where deferred group by 2, 3
        on conflict (tenant_id, month, currency) do update set amount = t.amount + excluded.amount),
      customer_revenue as (
        insert into journal_customer_revenue as t
        select ${tenantId}, to_char(date, 'YYYY-MM'), currency, customer_id, sum(credit - debit),
          coalesce(sum(credit - debit) filter (where role in ('revenue', 'revenue_product')), 0)
        from la
        where customer_id is not null and role in ('revenue', 'revenue_product', 'deferred_revenue')
        group by 2, 3, 4
        on conflict (tenant_id, month, currency, customer_id)
        do update set invoiced = t.invoiced + excluded.invoiced, recognised = t.recognised + excluded.recognised),
      -- Each invoice's open amount before and after (the statement reads the balances as they were before it).
      moved as (
        select m.*, coalesce(b.open, 0) as before
        from (select invoice_id, currency, min(customer_id) as customer_id, min(date) as date,
                sum(debit - credit) as amount
              from la
              where role = 'receivables' and customer_id is not null and invoice_id is not null
              group by invoice_id, currency) m
        left join journal_invoice_balances b
          on b.tenant_id = ${tenantId} and b.invoice_id = m.invoice_id and b.currency = m.currency),
      balances as (
        insert into journal_invoice_balances as b
        select ${tenantId}, m.invoice_id, m.customer_id, m.currency, coalesce(r.due_date::date, m.date + 30), m.amount
        from moved m left join invoice_receivables r on r.invoice_id = m.invoice_id and r.tenant_id = ${tenantId}
        on conflict (tenant_id, invoice_id, currency) do update set open = b.open + excluded.open),
      -- Each customer's outstanding moves by the same; their count of open invoices by those that became open or
      -- were settled.
      customer_receivables as (
        insert into journal_customer_receivables as c
        select ${tenantId}, customer_id, currency, sum(amount),
               sum((before + amount <> 0)::int - (before <> 0)::int)
        from moved
        group by customer_id, currency
        on conflict (tenant_id, customer_id, currency) do update
          set outstanding = c.outstanding + excluded.outstanding, open_invoices = c.open_invoices + excluded.open_invoices)`;
}

const entryRecords = (rows: readonly NewEntryRow[]) =>
  recordsOf(rows, [
    ["id", "text", (r) => r.id],
    ["tenant_id", "text", (r) => r.tenantId],
    ["date", "date", (r) => r.date],
    ["kind", "text", (r) => r.kind],
    ["source_type", "text", (r) => r.sourceType],
    ["source_id", "text", (r) => r.sourceId],
    ["currency", "text", (r) => r.currency],
    ["memo", "text", (r) => r.memo],
    ["activity_id", "text", (r) => r.activityId],
    ["created_at", "timestamptz", (r) => r.createdAt],
  ]);

const lineRecords = (rows: readonly NewLineRow[]) =>
  recordsOf(rows, [
    ["tenant_id", "text", (r) => r.tenantId],
    ["entry_id", "text", (r) => r.entryId],
    ["position", "integer", (r) => r.position],
    ["account_id", "text", (r) => r.accountId],
    ["date", "date", (r) => r.date],
    ["currency", "text", (r) => r.currency],
    ["debit", "numeric", (r) => r.debit],
    ["credit", "numeric", (r) => r.credit],
    ["customer_id", "text", (r) => r.customerId],
    ["invoice_id", "text", (r) => r.invoiceId],
    ["product", "text", (r) => r.product],
    ["timing", "text", (r) => r.timing],
    ["credit_grant_id", "text", (r) => r.creditGrantId],
  ]);

const scheduleRecords = (rows: readonly NewScheduleRow[]) =>
  recordsOf(rows, [
    ["tenant_id", "text", (r) => r.tenantId],
    ["entry_id", "text", (r) => r.entryId],
    ["invoice_id", "text", (r) => r.invoiceId],
    ["invoice_line_id", "text", (r) => r.invoiceLineId],
    ["customer_id", "text", (r) => r.customerId],
    ["product", "text", (r) => r.product],
    ["timing", "text", (r) => r.timing],
    ["currency", "text", (r) => r.currency],
    ["month", "text", (r) => r.month],
    ["amount", "numeric", (r) => r.amount],
    ["deferred", "boolean", (r) => r.deferred],
  ]);
