import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { InvoicesBehindQuery, ReportRangeQuery, RevenueReportQuery } from "@pricegraph/shared/api";
import type { Deps } from "../../context.ts";
import { validationFailed } from "../../http/errors.ts";
import { postPendingActivity } from "./journal.ts";
import { closedThrough } from "./recognition-queries.ts";
import {
  creditLiabilityRows,
  currentReceivableRows,
  deferredMovementRows,
  invoiceIdsBehind,
  openInvoiceIds,
  receivableRowsAsOf,
  receivablesPostedAfter,
  revenueRows,
  scheduledDeferredRows,
} from "./reports-queries.ts";
import { firstDayOf, type Month, monthOf, monthsBetween, nextMonth } from "./schedule.ts";
import { today } from "./service.ts";

const money = (value: string | Decimal, currency: string) => fixed(new Decimal(value), minorUnits(currency));

function monthsBack(month: Month, count: number): Month {
  let [y, m] = month.split("-").map(Number);
  m -= count;
  while (m < 1) {
    m += 12;
    y -= 1;
  }
  return `${y}-${String(m).padStart(2, "0")}`;
}

const lastDayOf = (month: Month) =>
  new Date(Date.parse(`${firstDayOf(nextMonth(month))}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The months of a report: `from`..`to`, by default the last twelve up to the current month. */
export function reportRange(deps: Pick<Deps, "clock">, query: ReportRangeQuery) {
  const to = query.to ?? monthOf(today(deps));
  const from = query.from ?? monthsBack(to, 11);
  if (from > to) throw validationFailed([{ path: "query.from", message: "is after `to`" }]);
  if (monthsBetween(from, to).length > 120) {
    throw validationFailed([{ path: "query.from", message: "a report covers at most 120 months" }]);
  }
  return { from, to, fromDate: firstDayOf(from), toDate: lastDayOf(to) };
}

export async function revenueReport(deps: Deps, tenantId: string, query: RevenueReportQuery) {
  await postPendingActivity(deps);
  const range = reportRange(deps, query);
  const rows = await revenueRows(
    deps.db,
    tenantId,
    { from: range.fromDate, to: range.toDate, customerId: query.customerId, top: query.top },
    query.by,
  );
  return {
    rows: rows.map((r) => ({
      month: r.month,
      currency: r.currency,
      product: query.by === "product" ? r.key : null,
      customerId: query.by === "customer" ? r.key : null,
      timing:
        query.by === "timing" ? (r.key === "advance" ? ("recurring" as const) : ("usage" as const)) : null,
      invoiced: money(r.invoiced, r.currency),
      recognised: money(r.recognised, r.currency),
    })),
  };
}

export async function receivables(deps: Deps, tenantId: string, date?: string) {
  await postPendingActivity(deps);
  const asOf = date ?? today(deps);
  // Nothing posted after the date (the usual case: today): the maintained balances answer.
  const rows = (await receivablesPostedAfter(deps.db, tenantId, asOf))
    ? await receivableRowsAsOf(deps.db, tenantId, asOf)
    : await currentReceivableRows(deps.db, tenantId, asOf);
  return {
    date: asOf,
    rows: rows.map((r) => ({
      ...r,
      outstanding: money(r.outstanding, r.currency),
      overdue: money(r.overdue, r.currency),
      invoices: Number(r.invoices),
    })),
  };
}

export async function creditLiability(deps: Deps, tenantId: string, date?: string) {
  await postPendingActivity(deps);
  const asOf = date ?? today(deps);
  const rows = await creditLiabilityRows(deps.db, tenantId, asOf);
  return { date: asOf, rows: rows.map((r) => ({ ...r, balance: money(r.balance, r.currency) })) };
}

/** Deferred revenue per month (opening, added, recognised, closing) and what is still scheduled. */
export async function deferredWaterfall(deps: Deps, tenantId: string, query: ReportRangeQuery) {
  await postPendingActivity(deps);
  const range = reportRange(deps, query);
  const movements = await deferredMovementRows(deps.db, tenantId, range.toDate);
  const through = await closedThrough(deps.db, tenantId);
  const scheduled = await scheduledDeferredRows(deps.db, tenantId, through);
  const currencies = [...new Set(movements.map((m) => m.currency))].sort();
  const rows = [];
  for (const currency of currencies) {
    let balance = new Decimal(0);
    for (const m of movements.filter((x) => x.currency === currency && x.month < range.from)) {
      balance = balance.plus(m.added).minus(m.released);
    }
    for (const month of monthsBetween(range.from, range.to)) {
      const m = movements.find((x) => x.currency === currency && x.month === month);
      const opening = balance;
      balance = balance.plus(m?.added ?? 0).minus(m?.released ?? 0);
      rows.push({
        month,
        currency,
        opening: money(opening, currency),
        deferred: money(m?.added ?? "0", currency),
        recognised: money(m?.released ?? "0", currency),
        closing: money(balance, currency),
      });
    }
  }
  return {
    closedThrough: through,
    rows,
    scheduled: scheduled.map((s) => ({ ...s, amount: money(s.amount, s.currency) })),
  };
}

/** The invoices behind a dashboard figure, for the invoices page to list. */
export async function invoicesBehind(deps: Deps, tenantId: string, query: InvoicesBehindQuery) {
  await postPendingActivity(deps);
  const range = reportRange(deps, query);
  if (query.measure === "outstanding" || query.measure === "overdue") {
    const dueBefore = query.measure === "overdue" ? today(deps) : undefined;
    return {
      invoiceIds: await openInvoiceIds(deps.db, tenantId, { customerId: query.customerId, dueBefore }),
    };
  }
  const invoiceIds = await invoiceIdsBehind(deps.db, tenantId, {
    from: range.fromDate,
    to: range.toDate,
    customerId: query.customerId,
    product: query.product,
    timing: query.timing ? ({ recurring: "advance", usage: "arrears" } as const)[query.timing] : undefined,
    roles: query.measure === "invoiced" ? "billed" : "recognised",
  });
  return { invoiceIds };
}
