import { sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { recordsOf } from "./unnest.ts";

/** What just-posted entries add to the totals the reports read, summed by the caller (`entry.ts`). */
export interface TotalsDelta {
  months: {
    month: string;
    currency: string;
    accountId: string;
    product: string;
    timing: string;
    debit: string;
    credit: string;
  }[];
  /** Deferred schedule rows written, per month and currency. */
  deferred: { month: string; currency: string; amount: string }[];
  days: { date: string; currency: string; accountId: string; debit: string; credit: string }[];
  customers: { month: string; currency: string; customerId: string; invoiced: string; recognised: string }[];
  /** Receivables moved per invoice: debits less credits, and the first posting date (for a missing due date). */
  invoices: { invoiceId: string; currency: string; customerId: string; date: string; amount: string }[];
}

/**
 * Adds just-posted entries to what the reports read, in the posting transaction, from sums made in memory (no
 * second read of the lines): the monthly totals (per account, product and timing), the daily ones (per account), the deferred schedule per month, each customer's revenue per
 * month, each invoice's open receivable (its due date from receivables, or 30 days after its first posting for
 * an invoice without one), and each customer's outstanding and count of open invoices.
 */
export async function addToTotals(db: Db, tenantId: string, delta: TotalsDelta): Promise<void> {
  if (delta.months.length > 0) {
    await db.execute(sql`insert into journal_month_totals as t
        select ${tenantId}, x.month, x.currency, x.account_id, x.product, x.timing, x.debit, x.credit
        from ${recordsOf(delta.months, [
          ["month", "text", (m) => m.month],
          ["currency", "text", (m) => m.currency],
          ["account_id", "text", (m) => m.accountId],
          ["product", "text", (m) => m.product],
          ["timing", "text", (m) => m.timing],
          ["debit", "numeric", (m) => m.debit],
          ["credit", "numeric", (m) => m.credit],
        ])}
        on conflict (tenant_id, month, currency, account_id, product, timing)
        do update set debit = t.debit + excluded.debit, credit = t.credit + excluded.credit`);
  }
  if (delta.days.length > 0) {
    await db.execute(sql`insert into journal_day_totals as t
        select ${tenantId}, x.date, x.currency, x.account_id, x.debit, x.credit
        from ${recordsOf(delta.days, [
          ["date", "date", (d) => d.date],
          ["currency", "text", (d) => d.currency],
          ["account_id", "text", (d) => d.accountId],
          ["debit", "numeric", (d) => d.debit],
          ["credit", "numeric", (d) => d.credit],
        ])}
        on conflict (tenant_id, date, currency, account_id)
        do update set debit = t.debit + excluded.debit, credit = t.credit + excluded.credit`);
  }
  if (delta.deferred.length > 0) {
    await db.execute(sql`insert into journal_deferred_schedule as t
        select ${tenantId}, x.month, x.currency, x.amount
        from ${recordsOf(delta.deferred, [
          ["month", "text", (d) => d.month],
          ["currency", "text", (d) => d.currency],
          ["amount", "numeric", (d) => d.amount],
        ])}
        on conflict (tenant_id, month, currency) do update set amount = t.amount + excluded.amount`);
  }
  if (delta.customers.length > 0) {
    await db.execute(sql`insert into journal_customer_revenue as t
        select ${tenantId}, x.month, x.currency, x.customer_id, x.invoiced, x.recognised
        from ${recordsOf(delta.customers, [
          ["month", "text", (c) => c.month],
          ["currency", "text", (c) => c.currency],
          ["customer_id", "text", (c) => c.customerId],
          ["invoiced", "numeric", (c) => c.invoiced],
          ["recognised", "numeric", (c) => c.recognised],
        ])}
        on conflict (tenant_id, month, currency, customer_id)
        do update set invoiced = t.invoiced + excluded.invoiced, recognised = t.recognised + excluded.recognised`);
  }
  if (delta.invoices.length === 0) return;
  // Each invoice's open amount moves; its customer's outstanding by the same, and their count of open
  // invoices by the invoices that became open or were settled.
  await db.execute(sql`with moved as (
        select x.invoice_id, x.currency, x.customer_id, x.date, x.amount
        from ${recordsOf(delta.invoices, [
          ["invoice_id", "text", (i) => i.invoiceId],
          ["currency", "text", (i) => i.currency],
          ["customer_id", "text", (i) => i.customerId],
          ["date", "date", (i) => i.date],
          ["amount", "numeric", (i) => i.amount],
        ])}),
      balances as (
        insert into journal_invoice_balances as b
        select ${tenantId}, m.invoice_id, m.customer_id, m.currency, coalesce(r.due_date::date, m.date + 30), m.amount
        from moved m left join invoice_receivables r on r.invoice_id = m.invoice_id and r.tenant_id = ${tenantId}
        on conflict (tenant_id, invoice_id, currency) do update set open = b.open + excluded.open
        returning b.invoice_id, b.currency, b.customer_id, b.open)
      insert into journal_customer_receivables as c
      select ${tenantId}, n.customer_id, n.currency, sum(m.amount),
             sum((n.open <> 0)::int - ((n.open - m.amount) <> 0)::int)
      from balances n join moved m on m.invoice_id = n.invoice_id and m.currency = n.currency
      group by n.customer_id, n.currency
      on conflict (tenant_id, customer_id, currency) do update
        set outstanding = c.outstanding + excluded.outstanding, open_invoices = c.open_invoices + excluded.open_invoices`);
}
