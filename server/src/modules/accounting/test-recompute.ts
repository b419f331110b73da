// Test support (not imported by the server): the reports recomputed the straightforward way, from every journal
// line of a tenant, to compare with what the reports answer from their maintained totals.
import { Decimal } from "@pricegraph/engine";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { type Db, queryRows } from "../../db/index.ts";
import type { Books } from "./test-books.ts";

const cents = (v: string | number | Decimal) => new Decimal(v).toFixed(2);

/** Net debit or credit per account code on `date`, from the lines dated on or before it. */
async function trialBalanceFromLines(db: Db, tenantId: string, date: string) {
  const rows = await queryRows<{ code: string; net: string }>(
    db,
    sql`select a.code, (sum(l.debit) - sum(l.credit))::text as net
        from journal_lines l join ledger_accounts a on a.id = l.account_id
        where l.tenant_id = ${tenantId} and l.date <= ${date}
        group by a.code order by a.code`,
  );
  return rows.map((r) => {
    const net = new Decimal(r.net);
    return {
      account: r.code,
      debit: cents(net.gt(0) ? net : 0),
      credit: cents(net.lt(0) ? net.negated() : 0),
    };
  });
}

/** Invoiced and recognised per month and product/timing/customer, from the revenue and deferred lines. */
async function revenueFromLines(db: Db, tenantId: string, by: "product" | "timing" | "customer" | "month") {
  const key = {
    product: sql`l.product`,
    timing: sql`l.timing`,
    customer: sql`l.customer_id`,
    month: sql`null`,
  }[by];
  const rows = await queryRows<{ month: string; key: string | null; invoiced: string; recognised: string }>(
    db,
    sql`select to_char(l.date, 'YYYY-MM') as month, ${key} as key,
          (sum(l.credit) - sum(l.debit))::text as invoiced,
          sum(case when a.role in ('revenue', 'revenue_product') then l.credit - l.debit else 0 end)::text as recognised
        from journal_lines l join ledger_accounts a on a.id = l.account_id
        where l.tenant_id = ${tenantId} and a.role in ('revenue', 'revenue_product', 'deferred_revenue')
        group by 1, 2`,
  );
  return rows;
}

/** Outstanding and overdue per customer on `date`, invoice by invoice, from the receivables lines. */
async function receivablesFromLines(db: Db, tenantId: string, date: string) {
  return queryRows<{ customerId: string; outstanding: string; overdue: string; invoices: number }>(
    db,
    sql`with per_invoice as (
          select l.customer_id, l.invoice_id, sum(l.debit) - sum(l.credit) as open, min(l.date) as first
          from journal_lines l join ledger_accounts a on a.id = l.account_id
          where l.tenant_id = ${tenantId} and a.role = 'receivables' and l.invoice_id is not null
            and l.date <= ${date}
          group by 1, 2)
        select p.customer_id as "customerId", sum(p.open)::text as outstanding,
          sum(case when p.open > 0 and coalesce(r.due_date::date, p.first + 30) < ${date}::date then p.open else 0 end)::text as overdue,
          (count(*) filter (where p.open <> 0))::int as invoices
        from per_invoice p left join invoice_receivables r on r.invoice_id = p.invoice_id
        group by 1 having sum(p.open) <> 0`,
  );
}

interface RevenueRow {
  month: string;
  product: string | null;
  customerId: string | null;
  timing: string | null;
  invoiced: string;
  recognised: string;
}

/**
 * Every report the dashboard reads, through the API, against the same figures summed from the journal lines:
 * the trial balance on each of `dates`, revenue by product, timing, customer and month, receivables on each date.
 */
export async function expectReportsMatchLines(books: Books, dates: readonly string[]): Promise<void> {
  const { db } = books.deps;
  const tenantId = books.t.tenantId;
  for (const date of dates) {
    const tb = (await books.t.get(`/v1/reports/trial-balance?date=${date}`)).json();
    const usd = tb.currencies.find((c: { currency: string }) => c.currency === "USD");
    const reported = (usd?.accounts ?? [])
      .map((a: { account: string; debit: string; credit: string }) => ({
        account: a.account,
        debit: a.debit,
        credit: a.credit,
      }))
      .filter((a: { debit: string; credit: string }) => a.debit !== "0.00" || a.credit !== "0.00");
    const expected = (await trialBalanceFromLines(db, tenantId, date)).filter(
      (a) => a.debit !== "0.00" || a.credit !== "0.00",
    );
    expect(reported, `trial balance on ${date}`).toEqual(expected);

    const receivables = (await books.t.get(`/v1/reports/receivables?date=${date}`)).json();
    expect(
      receivables.rows.map(
        (r: { customerId: string; outstanding: string; overdue: string; invoices: number }) => ({
          customerId: r.customerId,
          outstanding: r.outstanding,
          overdue: r.overdue,
          invoices: r.invoices,
        }),
      ),
      `receivables on ${date}`,
    ).toEqual(
      (await receivablesFromLines(db, tenantId, date)).map((r) => ({
        ...r,
        outstanding: cents(r.outstanding),
        overdue: cents(r.overdue),
      })),
    );
  }
  const from = "2024-01";
  const to = "2027-12";
  for (const by of ["product", "timing", "customer", "month"] as const) {
    const res = await books.t.get(`/v1/reports/revenue?from=${from}&to=${to}&by=${by}&top=1000`);
    expect(res.statusCode, res.body).toBe(200);
    const field = { product: "product", timing: "timing", customer: "customerId", month: null }[by];
    const timingOf = (t: string | null) => (t === "advance" ? "recurring" : "usage");
    const reported = (res.json().rows as RevenueRow[])
      .map((r) => ({
        month: r.month,
        key: field ? (r[field as keyof RevenueRow] as string | null) : null,
        invoiced: r.invoiced,
        recognised: r.recognised,
      }))
      .filter((r) => r.invoiced !== "0.00" || r.recognised !== "0.00")
      .sort((a, b) =>
        `${a.month}|${a.key}|${a.invoiced}|${a.recognised}`.localeCompare(
          `${b.month}|${b.key}|${b.invoiced}|${b.recognised}`,
        ),
      );
    const expected = (await revenueFromLines(db, tenantId, by))
      .map((r) => ({
        month: r.month,
        key: by === "timing" ? timingOf(r.key) : r.key,
        invoiced: cents(r.invoiced),
        recognised: cents(r.recognised),
      }))
      .filter((r) => r.invoiced !== "0.00" || r.recognised !== "0.00")
      .sort((a, b) =>
        `${a.month}|${a.key}|${a.invoiced}|${a.recognised}`.localeCompare(
          `${b.month}|${b.key}|${b.invoiced}|${b.recognised}`,
        ),
      );
    expect(reported, `revenue by ${by}`).toEqual(expected);
  }
}
