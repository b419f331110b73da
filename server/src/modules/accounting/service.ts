import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type {
  CreateAccountBody,
  JournalExportQuery,
  JournalQuery,
  UpdateAccountBody,
} from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import { type Db, sqlState } from "../../db/index.ts";
import { conflict, notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { recordActivity } from "../activity/service.ts";
import { Chart, toAccount } from "./chart.ts";
import { journalCsv, quickbooksCsv, xeroCsv } from "./exports.ts";
import { postPendingActivity } from "./journal.ts";
import { exportLineRows, linesOfEntries, listEntries } from "./journal-listing-queries.ts";
import { accountsOf, insertAccounts, updateAccountRow } from "./queries.ts";
import { trialBalanceRows } from "./reports-queries.ts";

/** The chart of accounts (the default one is created on first use). */
export async function listAccounts(deps: Deps, tenantId: string) {
  await deps.db.transaction(async (tx) => {
    await Chart.load(deps, tx as Db, tenantId);
  });
  return { data: (await accountsOf(deps.db, tenantId)).map(toAccount) };
}

function duplicateAccount(error: unknown): never {
  if (sqlState(error) === "23505") {
    throw conflict("Another account has this code or books this product", [
      { path: "$.code", message: "code or product already used" },
    ]);
  }
  throw error;
}

/** A revenue account for a product (before the product is first booked, or to name it differently). */
export async function createAccount(deps: Deps, caller: Caller, body: CreateAccountBody) {
  const now = deps.clock();
  const row = {
    id: deps.ids("acct"),
    tenantId: caller.tenantId,
    code: body.code,
    name: body.name,
    type: "revenue" as const,
    role: "revenue_product" as const,
    product: body.product,
    createdAt: now,
    updatedAt: now,
  };
  await deps.db
    .transaction(async (tx) => {
      await Chart.load(deps, tx as Db, caller.tenantId);
      const existing = await accountsOf(tx as Db, caller.tenantId);
      if (existing.some((a) => a.code === body.code || a.product === body.product))
        duplicateAccount({ code: "23505" });
      await insertAccounts(tx as Db, [row]);
      await recordActivity(deps, tx as Db, caller, {
        type: "account.created",
        objectId: row.id,
        object: toAccount(row),
      });
    })
    .catch(duplicateAccount);
  return toAccount(row);
}

/** Renames an account or changes its code; entries keep pointing at the account, so history follows. */
export async function updateAccount(deps: Deps, caller: Caller, id: string, body: UpdateAccountBody) {
  const row = await deps.db
    .transaction(async (tx) => {
      const updated = await updateAccountRow(tx as Db, caller.tenantId, id, {
        ...(body.code !== undefined ? { code: body.code } : {}),
        ...(body.name !== undefined ? { name: body.name } : {}),
        updatedAt: deps.clock(),
      });
      if (!updated) throw notFound("Account", [{ path: "params.id", message: "no account with this id" }]);
      await recordActivity(deps, tx as Db, caller, {
        type: "account.updated",
        objectId: updated.id,
        object: toAccount(updated),
      });
      return updated;
    })
    .catch(duplicateAccount);
  return toAccount(row);
}

/** Journal entries, oldest first, after the journal has caught up with the activity log. */
export async function pageOfJournal(deps: Deps, tenantId: string, query: JournalQuery) {
  const after = decodeCursor(query.cursor, 1);
  if (after && !/^[0-9]{1,18}$/.test(after[0])) {
    throw validationFailed([{ path: "query.cursor", message: "is not a cursor this endpoint returned" }]);
  }
  await postPendingActivity(deps);
  const rows = await listEntries(deps.db, tenantId, {
    from: query.from,
    to: query.to,
    kind: query.kind,
    accountCode: query.account,
    customerId: query.customerId,
    invoiceId: query.invoiceId,
    sourceId: query.sourceId,
    afterSeq: after ? Number(after[0]) : undefined,
    limit: query.limit,
  });
  const lines = await linesOfEntries(
    deps.db,
    tenantId,
    rows.slice(0, query.limit).map((r) => r.id),
  );
  return toPage(
    rows,
    query.limit,
    (r) => [String(r.seq)],
    (r) => ({
      id: r.id,
      date: r.date,
      kind: r.kind as JournalQuery["kind"] & string,
      currency: r.currency,
      source: { type: r.sourceType, id: r.sourceId },
      memo: r.memo,
      lines: lines
        .filter((l) => l.entryId === r.id)
        .map((l) => ({
          account: l.code,
          accountName: l.name,
          debit: fixed(new Decimal(l.debit), minorUnits(r.currency)),
          credit: fixed(new Decimal(l.credit), minorUnits(r.currency)),
          customerId: l.customerId,
          invoiceId: l.invoiceId,
          product: l.product,
        })),
      createdAt: r.createdAt.toISOString(),
    }),
  );
}

export const today = (deps: Pick<Deps, "clock">) => deps.clock().toISOString().slice(0, 10);

/** Debits and credits per account at a date; in each currency the two totals are equal. */
export async function trialBalance(deps: Deps, tenantId: string, date?: string) {
  await postPendingActivity(deps);
  const asOf = date ?? today(deps);
  const rows = await trialBalanceRows(deps.db, tenantId, asOf);
  const currencies = [...new Set(rows.map((r) => r.currency))];
  return {
    date: asOf,
    currencies: currencies.map((currency) => {
      const places = minorUnits(currency);
      const accounts = rows
        .filter((r) => r.currency === currency)
        .map((r) => {
          const net = new Decimal(r.debit).minus(r.credit);
          return {
            account: r.code,
            name: r.name,
            type: r.type as "asset",
            debit: fixed(net.gt(0) ? net : new Decimal(0), places),
            credit: fixed(net.lt(0) ? net.negated() : new Decimal(0), places),
          };
        });
      const sum = (side: "debit" | "credit") => accounts.reduce((s, a) => s.plus(a[side]), new Decimal(0));
      return {
        currency,
        accounts,
        totalDebit: fixed(sum("debit"), places),
        totalCredit: fixed(sum("credit"), places),
      };
    }),
  };
}

/** The journal as a file: our own CSV, or the import layouts of QuickBooks Online and Xero. */
export async function exportJournal(deps: Deps, tenantId: string, query: JournalExportQuery) {
  await postPendingActivity(deps);
  const lines = await exportLineRows(deps.db, tenantId, { from: query.from, to: query.to });
  const render = { csv: journalCsv, quickbooks: quickbooksCsv, xero: xeroCsv }[query.format];
  const name = { csv: "journal", quickbooks: "journal-quickbooks", xero: "journal-xero" }[query.format];
  return { filename: `${name}-${today(deps)}.csv`, body: render(lines) };
}
