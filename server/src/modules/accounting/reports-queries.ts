import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";

/**
 * Debits and credits per account and currency, for entries dated on or before `date`: the monthly totals of
 * the months before the date's month, and the daily totals of its month up to the date.
 */
export async function trialBalanceRows(db: Db, tenantId: string, date: string) {
  const month = date.slice(0, 7);
  return queryRows<{
    currency: string;
    code: string;
    name: string;
    type: string;
    debit: string;
    credit: string;
  }>(
    db,
    sql`select m.currency, a.code, a.name, a.type, sum(m.debit)::text as debit, sum(m.credit)::text as credit
        from (
          select currency, account_id, debit, credit from journal_month_totals
            where tenant_id = ${tenantId} and month < ${month}
          union all
          select currency, account_id, debit, credit from journal_day_totals
            where tenant_id = ${tenantId} and date >= ${`${month}-01`} and date <= ${date}
        ) m join ledger_accounts a on a.id = m.account_id
        group by m.currency, a.code, a.name, a.type order by m.currency, a.code`,
  );
}

interface RevenueRow {
  month: string;
  currency: string;
  key: string | null;
  invoiced: string;
  recognised: string;
}

/**
 * Revenue per month of the `top` customers with the most invoiced over the range (per currency), from the
 * per-customer monthly revenue: per currency, customers × months rows are summed and only the top kept (a bounded
 * sort, not a sort of every customer), then only their months are read.
 */
export async function topCustomerRevenueRows(
  db: Db,
  tenantId: string,
  range: { from: string; to: string },
  top: number,
): Promise<RevenueRow[]> {
  const from = range.from.slice(0, 7);
  const to = range.to.slice(0, 7);
  const currencies = await queryRows<{ currency: string }>(
    db,
    sql`select distinct currency from journal_month_totals
        where tenant_id = ${tenantId} and month >= ${from} and month <= ${to} order by currency`,
  );
  const rows: RevenueRow[] = [];
  const rankOf = new Map<string, number>();
  for (const { currency } of currencies) {
    const ranked = await queryRows<{ customerId: string }>(
      db,
      sql`select customer_id as "customerId" from journal_customer_revenue
          where tenant_id = ${tenantId} and currency = ${currency} and month >= ${from} and month <= ${to}
          group by customer_id order by sum(invoiced) desc, customer_id limit ${top}`,
    );
    if (ranked.length === 0) continue;
    ranked.forEach((r, i) => {
      rankOf.set(`${currency}|${r.customerId}`, i);
    });
    const months = await queryRows<RevenueRow>(
      db,
      sql`select month, currency, customer_id as key, invoiced::text as invoiced, recognised::text as recognised
          from journal_customer_revenue
          where tenant_id = ${tenantId} and currency = ${currency} and month >= ${from} and month <= ${to}
            and customer_id in (${sql.join(
              ranked.map((r) => sql`${r.customerId}`),
              sql`, `,
            )})`,
    );
    rows.push(...months);
  }
  // By month, currency, then the customers' rank (as the report lists them).
  const rankIn = (r: RevenueRow) => rankOf.get(`${r.currency}|${r.key}`) ?? 0;
  return rows.sort((a, b) =>
    a.month !== b.month
      ? a.month < b.month
        ? -1
        : 1
      : a.currency !== b.currency
        ? a.currency < b.currency
          ? -1
          : 1
        : rankIn(a) - rankIn(b),
  );
}

/**
 * `l.account_id` among the tenant's accounts of these roles, their ids read first and given as values: the planner
 * then estimates each account from the column's statistics and reads the lines by the account and date index (a
 * join on the role, or an id computed in the query, it estimated as a share of every line and scanned them all).
 */
async function accountOfRoles(db: Db, tenantId: string, roles: readonly string[]): Promise<SQL> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from ledger_accounts where tenant_id = ${tenantId} and role in (${sql.join(
      roles.map((r) => sql`${r}`),
      sql`, `,
    )})`,
  );
  if (rows.length === 0) return sql`false`;
  return sql`l.account_id in (${sql.join(
    rows.map((r) => sql`${r.id}`),
    sql`, `,
  )})`;
}

const revenueRoles = sql`('revenue', 'revenue_product')`;
const billedRoles = sql`('revenue', 'revenue_product', 'deferred_revenue')`;

/**
 * Invoiced and recognised revenue per month, split by a dimension. Invoiced is what revenue and deferred revenue
 * received (net of credit notes and voids; recognition moves between the two and nets out); recognised is what
 * revenue received.
 */
export async function revenueRows(
  db: Db,
  tenantId: string,
  range: { from: string; to: string; customerId?: string; top: number },
  by: "product" | "customer" | "timing" | "month",
) {
  if (by === "customer" && !range.customerId) return topCustomerRevenueRows(db, tenantId, range, range.top);
  if (by !== "customer" && !range.customerId) {
    // Monthly totals: thousands of rows, not every journal line of the range.
    const key =
      by === "product"
        ? sql`nullif(t.product, '')`
        : by === "timing"
          ? sql`nullif(t.timing, '')`
          : sql`null::text`;
    return queryRows<{
      month: string;
      currency: string;
      key: string | null;
      invoiced: string;
      recognised: string;
    }>(
      db,
      sql`select t.month, t.currency, ${key} as key,
            (sum(t.credit) - sum(t.debit))::text as invoiced,
            (sum(case when a.role in ${revenueRoles} then t.credit - t.debit else 0 end))::text as recognised
          from journal_month_totals t join ledger_accounts a on a.id = t.account_id
          where t.tenant_id = ${tenantId} and a.tenant_id = ${tenantId} and a.role in ${billedRoles}
            and t.month >= ${range.from.slice(0, 7)} and t.month <= ${range.to.slice(0, 7)}
          group by 1, 2, 3 order by 1, 2, 3`,
    );
  }
  if ((by === "month" || by === "customer") && range.customerId) {
    // A customer's trend: one row per month of theirs.
    return queryRows<RevenueRow>(
      db,
      sql`select month, currency, ${by === "customer" ? sql`customer_id` : sql`null::text`} as key, sum(invoiced)::text as invoiced,
            sum(recognised)::text as recognised
          from journal_customer_revenue
          where tenant_id = ${tenantId} and customer_id = ${range.customerId}
            and month >= ${range.from.slice(0, 7)} and month <= ${range.to.slice(0, 7)}
          group by 1, 2, 3 order by 1, 2`,
    );
  }
  const key = by === "product" ? sql`l.product` : by === "timing" ? sql`l.timing` : sql`null::text`;
  const customer = range.customerId ? sql` and l.customer_id = ${range.customerId}` : sql``;
  return queryRows<{
    month: string;
    currency: string;
    key: string | null;
    invoiced: string;
    recognised: string;
  }>(
    db,
    sql`select to_char(l.date, 'YYYY-MM') as month, l.currency, ${key} as key,
          (sum(l.credit) - sum(l.debit))::text as invoiced,
          (sum(case when a.role in ${revenueRoles} then l.credit - l.debit else 0 end))::text as recognised
        from journal_lines l join ledger_accounts a on a.id = l.account_id
        where l.tenant_id = ${tenantId} and a.tenant_id = ${tenantId} and a.role in ${billedRoles}
          and l.date >= ${range.from} and l.date <= ${range.to}${customer}
        group by 1, 2, 3 order by 1, 2, 3`,
  );
}

export interface ReceivableRow {
  customerId: string;
  customerName: string;
  currency: string;
  outstanding: string;
  overdue: string;
  invoices: number;
}

/**
 * Receivables per customer now (nothing is posted after `date`): each customer's maintained outstanding, less
 * what their open invoices not yet due on `date` hold, and less what past-due invoices holding a credit (a
 * negative open amount) take off it: the rest is the sum of the past-due invoices still owed, as the report as
 * of an earlier date counts it. A credit on one invoice never makes another less overdue.
 */
export async function currentReceivableRows(db: Db, tenantId: string, date: string) {
  return queryRows<ReceivableRow>(
    db,
    sql`with not_due as (
          select customer_id, currency, sum(open) as amount from journal_invoice_balances
          where tenant_id = ${tenantId} and open <> 0 and due_date >= ${date}
          group by 1, 2),
        past_due_credits as (
          select customer_id, currency, sum(open) as amount from journal_invoice_balances
          where tenant_id = ${tenantId} and open < 0 and due_date < ${date}
          group by 1, 2)
        select r.customer_id as "customerId", coalesce(c.name, r.customer_id) as "customerName", r.currency,
               r.outstanding::text as outstanding,
               greatest(r.outstanding - coalesce(n.amount, 0) - coalesce(k.amount, 0), 0)::text as overdue,
               r.open_invoices as invoices
        from journal_customer_receivables r
          left join not_due n on n.customer_id = r.customer_id and n.currency = r.currency
          left join past_due_credits k on k.customer_id = r.customer_id and k.currency = r.currency
          left join customers c on c.id = r.customer_id and c.tenant_id = ${tenantId}
        where r.tenant_id = ${tenantId} and r.outstanding <> 0
        order by r.outstanding desc, r.customer_id`,
  );
}

/** Whether receivables hold lines dated after `date` (then the report as of `date` reads per invoice). */
export async function receivablesPostedAfter(db: Db, tenantId: string, date: string): Promise<boolean> {
  const rows = await queryRows<{ found: number }>(
    db,
    sql`select 1 as found from journal_lines l
        where l.tenant_id = ${tenantId} and ${await accountOfRoles(db, tenantId, ["receivables"])}
          and l.date > ${date} limit 1`,
  );
  return rows.length > 0;
}

/**
 * Receivables per customer as of an earlier `date`, and the part past its due date: each invoice's open amount
 * as the posting keeps it (`journal_invoice_balances`), less what was posted to receivables after `date`.
 */
export async function receivableRowsAsOf(db: Db, tenantId: string, date: string) {
  return queryRows<ReceivableRow>(
    db,
    sql`with later as (
          select l.invoice_id, l.currency, sum(l.debit) - sum(l.credit) as moved
          from journal_lines l
          where l.tenant_id = ${tenantId} and ${await accountOfRoles(db, tenantId, ["receivables"])}
            and l.date > ${date} and l.invoice_id is not null
          group by 1, 2),
        per_invoice as (
          select b.customer_id, b.currency, b.due_date, b.open - coalesce(later.moved, 0) as open
          from journal_invoice_balances b
            left join later on later.invoice_id = b.invoice_id and later.currency = b.currency
          where b.tenant_id = ${tenantId}
            and (b.open <> 0 or b.invoice_id in (select invoice_id from later)))
        select p.customer_id as "customerId", coalesce(c.name, p.customer_id) as "customerName", p.currency,
               sum(p.open)::text as outstanding,
               sum(case when p.due_date < ${date} and p.open > 0 then p.open else 0 end)::text as overdue,
               count(*) filter (where p.open <> 0)::int as invoices
        from per_invoice p left join customers c on c.id = p.customer_id and c.tenant_id = ${tenantId}
        group by p.customer_id, c.name, p.currency
        having sum(p.open) <> 0
        order by sum(p.open) desc`,
  );
}

export async function creditLiabilityRows(db: Db, tenantId: string, date: string) {
  return queryRows<{ customerId: string | null; currency: string; balance: string }>(
    db,
    sql`select l.customer_id as "customerId", l.currency, (sum(l.credit) - sum(l.debit))::text as balance
        from journal_lines l
        where l.tenant_id = ${tenantId} and ${await accountOfRoles(db, tenantId, ["credit_liability"])}
          and l.date <= ${date}
        group by 1, 2 having sum(l.credit) - sum(l.debit) <> 0 order by 2, 1`,
  );
}

/** Deferred revenue movements per month (credits added, debits recognised or reversed). */
export async function deferredMovementRows(db: Db, tenantId: string, to: string) {
  return queryRows<{ month: string; currency: string; added: string; released: string }>(
    db,
    sql`select t.month, t.currency, sum(t.credit)::text as added, sum(t.debit)::text as released
        from journal_month_totals t join ledger_accounts a on a.id = t.account_id
        where t.tenant_id = ${tenantId} and a.tenant_id = ${tenantId} and a.role = 'deferred_revenue'
          and t.month <= ${to.slice(0, 7)}
        group by 1, 2 order by 1, 2`,
  );
}

/** Deferred revenue still waiting, by the month whose close recognises it (the schedule's monthly totals). */
export async function scheduledDeferredRows(db: Db, tenantId: string, after: string | null) {
  const open = after ? sql` and month > ${after}` : sql``;
  return queryRows<{ month: string; currency: string; amount: string }>(
    db,
    sql`select month, currency, amount::text as amount from journal_deferred_schedule
        where tenant_id = ${tenantId}${open} and amount <> 0 order by 1, 2`,
  );
}

/** Invoices with something open in receivables (due before `dueBefore` when given), largest first. */
export async function openInvoiceIds(
  db: Db,
  tenantId: string,
  f: { customerId?: string; dueBefore?: string },
): Promise<string[]> {
  const where: SQL[] = [sql`tenant_id = ${tenantId}`, sql`open <> 0`];
  if (f.customerId) where.push(sql`customer_id = ${f.customerId}`);
  if (f.dueBefore) where.push(sql`due_date < ${f.dueBefore} and open > 0`);
  const rows = await queryRows<{ invoiceId: string }>(
    db,
    sql`select invoice_id as "invoiceId" from journal_invoice_balances where ${sql.join(where, sql` and `)}
        order by open desc nulls last, invoice_id limit 500`,
  );
  return rows.map((r) => r.invoiceId);
}

/** The invoices behind a figure of the dashboard (journal lines with an invoice, filtered like the figure). */
export async function invoiceIdsBehind(
  db: Db,
  tenantId: string,
  f: {
    from: string;
    to: string;
    customerId?: string;
    product?: string;
    timing?: "advance" | "arrears";
    roles: "billed" | "recognised";
  },
) {
  const roles =
    f.roles === "billed"
      ? ["revenue", "revenue_product", "deferred_revenue"]
      : ["revenue", "revenue_product"];
  const where: SQL[] = [
    sql`l.tenant_id = ${tenantId}`,
    await accountOfRoles(db, tenantId, roles),
    sql`l.invoice_id is not null`,
  ];
  where.push(sql`l.date >= ${f.from}`, sql`l.date <= ${f.to}`);
  if (f.customerId) where.push(sql`l.customer_id = ${f.customerId}`);
  if (f.product) where.push(sql`l.product = ${f.product}`);
  if (f.timing) where.push(sql`l.timing = ${f.timing}`);
  const rows = await queryRows<{ invoiceId: string }>(
    db,
    sql`select l.invoice_id as "invoiceId" from journal_lines l
        where ${sql.join(where, sql` and `)} group by l.invoice_id order by l.invoice_id limit 500`,
  );
  return rows.map((r) => r.invoiceId);
}
