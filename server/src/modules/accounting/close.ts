import { Decimal } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { conflict } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { Chart } from "./chart.ts";
import { EntryDraft, writeEntry } from "./entry.ts";
import { postPendingInTransaction } from "./journal.ts";
import { recognitionEntryIdsOf } from "./journal-listing-queries.ts";
import { lockJournalPosition } from "./journal-queries.ts";
import {
  closedPeriods,
  closedThrough,
  deferredForMonth,
  expiredGrantBalances,
  firstBooksMonth,
  insertPeriod,
} from "./recognition-queries.ts";
import { firstDayOf, type Month, monthOf, monthsBetween, nextMonth } from "./schedule.ts";

const lastDayOf = (month: Month) =>
  new Date(Date.parse(`${firstDayOf(nextMonth(month))}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** Recognition of `month`: deferred revenue scheduled in it moves to revenue, per product and customer. */
async function postRecognition(
  deps: Pick<Deps, "clock" | "ids">,
  tx: Db,
  chart: Chart,
  tenantId: string,
  month: Month,
) {
  const rows = await deferredForMonth(tx, tenantId, month);
  const drafts = new Map<string, EntryDraft>();
  for (const row of rows) {
    let draft = drafts.get(row.currency);
    if (!draft) {
      draft = new EntryDraft(
        "recognition",
        { type: "accounting_period", id: month },
        row.currency,
        lastDayOf(month),
        `Revenue recognised for ${month}`,
      );
      drafts.set(row.currency, draft);
    }
    const dims = { customerId: row.customerId, product: row.product, timing: row.timing };
    const amount = new Decimal(row.amount);
    draft.debit(chart.role("deferred_revenue"), amount, dims);
    draft.credit(await chart.revenue(tx, row.product), amount, dims);
  }
  const ids: string[] = [];
  for (const draft of drafts.values()) {
    const id = await writeEntry(deps, tx, tenantId, draft, minorUnits(draft.currency), null);
    if (id) ids.push(id);
  }
  return ids;
}

/** Grants that expired by the end of `month` with credit left: Dr credit balances; Cr promotional credits. */
async function postExpiries(
  deps: Pick<Deps, "clock" | "ids">,
  tx: Db,
  chart: Chart,
  tenantId: string,
  month: Month,
) {
  const before = new Date(`${firstDayOf(nextMonth(month))}T00:00:00Z`);
  const liability = chart.role("credit_liability");
  for (const grant of await expiredGrantBalances(tx, tenantId, liability.id, before)) {
    const draft = new EntryDraft(
      "credit_expiry",
      { type: "credit_grant", id: grant.grantId },
      grant.currency,
      lastDayOf(month),
      `Credit expired (${grant.grantId})`,
    );
    const dims = { customerId: grant.customerId, creditGrantId: grant.grantId };
    draft.debit(liability, new Decimal(grant.balance), dims);
    draft.credit(chart.role("promotional_credits"), new Decimal(grant.balance), dims);
    await writeEntry(deps, tx, tenantId, draft, minorUnits(grant.currency), null);
  }
}

/**
 * Closes every open month up to `month`: the journal first catches up with the log, then each month gets its
 * recognition (and credit expiry) entries and is marked closed, in one transaction holding the journal's lock.
 * Closing a closed month answers the close as it was; two closes at once post once.
 */
export async function closeMonth(deps: Deps, caller: Caller, month: Month) {
  const current = monthOf(deps.clock().toISOString());
  if (month >= current) {
    throw conflict(`${month} has not ended; a month can be closed once it is over`, [
      { path: "params.month", message: "month has not ended" },
    ]);
  }
  await deps.db.transaction(async (txHandle) => {
    const tx = txHandle as Db;
    await lockJournalPosition(tx);
    await postPendingInTransaction(deps, tx);
    const through = await closedThrough(tx, caller.tenantId);
    if (through && month <= through) return;
    const firstMonth = await firstBooksMonth(tx, caller.tenantId);
    let first = through ? nextMonth(through) : (firstMonth ?? month);
    if (first > month) first = month;
    const chart = await Chart.load(deps, tx, caller.tenantId);
    for (const m of monthsBetween(first, month)) {
      const entryIds = await postRecognition(deps, tx, chart, caller.tenantId, m);
      await postExpiries(deps, tx, chart, caller.tenantId, m);
      const closedAt = deps.clock();
      await insertPeriod(tx, caller.tenantId, m, closedAt);
      await recordActivity(deps, tx, caller, {
        type: "accounting_period.closed",
        objectId: m,
        object: { month: m, closedAt: closedAt.toISOString(), recognitionEntryIds: entryIds },
      });
    }
  });
  return periodView(deps.db, caller.tenantId, month);
}

export async function periodView(db: Db, tenantId: string, month: Month) {
  const periods = await closedPeriods(db, tenantId);
  const period = periods.find((p) => p.month === month);
  if (!period) return null;
  return {
    month,
    closedAt: period.closedAt.toISOString(),
    recognitionEntryIds: await recognitionEntryIdsOf(db, tenantId, month),
  };
}

export function refuseReopen(month: Month): never {
  throw conflict(
    `${month} is closed; a closed month is never reopened — post a correction in an open month`,
    [{ path: "params.month", message: "closed months cannot be reopened" }],
  );
}
