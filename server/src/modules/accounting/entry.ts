import { Decimal, fixed } from "@pricegraph/engine";
import type { JournalEntryKind } from "@pricegraph/shared/api";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { insertEntries, insertEntry, insertLines, insertSchedule } from "./journal-queries.ts";
import type { AccountRow, NewLineRow, NewScheduleRow } from "./queries.ts";
import { addToTotals, type TotalsDelta } from "./totals-queries.ts";

/** What a journal line is about, besides its account: the dimensions the reports group by. */
export interface LineDimensions {
  customerId?: string | null;
  invoiceId?: string | null;
  product?: string | null;
  timing?: string | null;
  creditGrantId?: string | null;
}

interface Movement extends LineDimensions {
  account: AccountRow;
  /** Positive for a debit, negative for a credit. */
  amount: Decimal;
}

/**
 * A journal entry being built: debits and credits are collected as signed amounts per account and dimensions,
 * netted, and written as lines with one side each. Posting rules only say what moves where.
 */
export class EntryDraft {
  private readonly movements = new Map<string, Movement>();
  /** `lines()` as last computed; any new movement clears it. */
  private netted: Movement[] | null = null;
  readonly schedule: Omit<NewScheduleRow, "entryId" | "tenantId">[] = [];

  constructor(
    readonly kind: JournalEntryKind,
    readonly source: { type: string; id: string },
    readonly currency: string,
    readonly date: string,
    readonly memo: string,
  ) {}

  debit(account: AccountRow, amount: Decimal, dims: LineDimensions = {}): this {
    if (amount.isZero()) return this;
    this.netted = null;
    const key = [
      account.id,
      dims.customerId ?? "",
      dims.invoiceId ?? "",
      dims.product ?? "",
      dims.timing ?? "",
      dims.creditGrantId ?? "",
    ].join("\u0000");
    const found = this.movements.get(key);
    if (found) found.amount = found.amount.plus(amount);
    else this.movements.set(key, { ...dims, account, amount });
    return this;
  }

  credit(account: AccountRow, amount: Decimal, dims: LineDimensions = {}): this {
    return this.debit(account, amount.negated(), dims);
  }

  /** The netted movements, debits first. */
  lines(): Movement[] {
    if (this.netted) return this.netted;
    const moves = [...this.movements.values()].filter((m) => !m.amount.isZero());
    this.netted = [...moves.filter((m) => m.amount.gt(0)), ...moves.filter((m) => m.amount.lt(0))];
    return this.netted;
  }
}

/**
 * Writes a draft as an entry of the tenant, with its lines and schedule rows. An entry for the same kind and
 * source already posted (a replayed record, a second close) leaves the books as they are: answers false.
 */
export async function writeEntry(
  deps: Pick<Deps, "ids" | "clock">,
  tx: Db,
  tenantId: string,
  draft: EntryDraft,
  places: number,
  activityId: string | null,
): Promise<string | null> {
  const lines = draft.lines();
  if (lines.length < 2) return null;
  const id = deps.ids("je");
  const inserted = await insertEntry(tx, {
    id,
    tenantId,
    date: draft.date,
    kind: draft.kind,
    sourceType: draft.source.type,
    sourceId: draft.source.id,
    currency: draft.currency,
    memo: draft.memo,
    activityId,
    createdAt: deps.clock(),
  });
  if (!inserted) return null;
  await insertLines(
    tx,
    lines.map((m, position) => ({
      tenantId,
      entryId: id,
      position,
      accountId: m.account.id,
      date: draft.date,
      currency: draft.currency,
      debit: m.amount.gt(0) ? fixed(m.amount, places) : "0",
      credit: m.amount.lt(0) ? fixed(m.amount.negated(), places) : "0",
      customerId: m.customerId ?? null,
      invoiceId: m.invoiceId ?? null,
      product: m.product ?? null,
      timing: m.timing ?? null,
      creditGrantId: m.creditGrantId ?? null,
    })),
  );
  await insertSchedule(
    tx,
    draft.schedule
      .filter((s) => new Decimal(s.amount).abs().gt(0))
      .map((s) => ({ ...s, tenantId, entryId: id })),
  );
  await addToTotals(tx, tenantId, totalsOf([{ draft, places }]));
  return id;
}

function lineRows(tenantId: string, id: string, draft: EntryDraft, places: number): NewLineRow[] {
  return draft.lines().map((m, position) => ({
    tenantId,
    entryId: id,
    position,
    accountId: m.account.id,
    date: draft.date,
    currency: draft.currency,
    debit: m.amount.gt(0) ? fixed(m.amount, places) : "0",
    credit: m.amount.lt(0) ? fixed(m.amount.negated(), places) : "0",
    customerId: m.customerId ?? null,
    invoiceId: m.invoiceId ?? null,
    product: m.product ?? null,
    timing: m.timing ?? null,
    creditGrantId: m.creditGrantId ?? null,
  }));
}

/** `writeEntry` for many drafts at once: one insert of the entries, then their lines and schedules in bulk. */
export async function writeEntries(
  deps: Pick<Deps, "ids" | "clock">,
  tx: Db,
  tenantId: string,
  drafts: readonly { draft: EntryDraft; places: number; activityId: string | null }[],
): Promise<void> {
  const now = deps.clock();
  const withIds = drafts
    .filter((d) => d.draft.lines().length >= 2)
    .map((d) => ({ ...d, id: deps.ids("je") }));
  if (withIds.length === 0) return;
  const inserted = await insertEntries(
    tx,
    withIds.map(({ draft, id, activityId }) => ({
      id,
      tenantId,
      date: draft.date,
      kind: draft.kind,
      sourceType: draft.source.type,
      sourceId: draft.source.id,
      currency: draft.currency,
      memo: draft.memo,
      activityId,
      createdAt: now,
    })),
  );
  const posted = withIds.filter((d) => inserted.has(d.id));
  await insertLines(
    tx,
    posted.flatMap(({ draft, id, places }) => lineRows(tenantId, id, draft, places)),
  );
  await insertSchedule(
    tx,
    posted.flatMap(({ draft, id }) =>
      draft.schedule
        .filter((s) => new Decimal(s.amount).abs().gt(0))
        .map((s) => ({ ...s, tenantId, entryId: id })),
    ),
  );
  await addToTotals(tx, tenantId, totalsOf(posted));
}

const revenueRoles = new Set(["revenue", "revenue_product"]);

/** Sums posted drafts into what the report totals add (`addToTotals`), at each entry's minor unit. */
export function totalsOf(posted: readonly { draft: EntryDraft; places: number }[]): TotalsDelta {
  const months = new Map<
    string,
    { key: Omit<TotalsDelta["months"][number], "debit" | "credit">; net: Decimal[] }
  >();
  const days = new Map<
    string,
    { key: Omit<TotalsDelta["days"][number], "debit" | "credit">; net: Decimal[] }
  >();
  const customers = new Map<
    string,
    { key: Omit<TotalsDelta["customers"][number], "invoiced" | "recognised">; net: Decimal[] }
  >();
  const invoices = new Map<
    string,
    { key: Omit<TotalsDelta["invoices"][number], "amount">; net: Decimal[] }
  >();
  const add = <K>(map: Map<string, { key: K; net: Decimal[] }>, id: string, key: K, amounts: Decimal[]) => {
    const found = map.get(id);
    if (!found) map.set(id, { key, net: amounts });
    else found.net = found.net.map((v, i) => v.plus(amounts[i]));
  };
  const deferred = new Map<
    string,
    { key: Omit<TotalsDelta["deferred"][number], "amount">; net: Decimal[] }
  >();
  for (const { draft, places } of posted) {
    const month = draft.date.slice(0, 7);
    const currency = draft.currency;
    for (const row of draft.schedule) {
      if (!row.deferred || new Decimal(row.amount).isZero()) continue;
      add(deferred, [row.month, row.currency].join("\u0000"), { month: row.month, currency: row.currency }, [
        new Decimal(row.amount),
      ]);
    }
    for (const line of draft.lines()) {
      // As written: at the minor unit.
      const amount = new Decimal(fixed(line.amount, places));
      const debit = amount.gt(0) ? amount : new Decimal(0);
      const credit = amount.lt(0) ? amount.negated() : new Decimal(0);
      const product = line.product ?? "";
      const timing = line.timing ?? "";
      add(
        months,
        [month, currency, line.account.id, product, timing].join("\u0000"),
        {
          month,
          currency,
          accountId: line.account.id,
          product,
          timing,
        },
        [debit, credit],
      );
      add(
        days,
        [draft.date, currency, line.account.id].join("\u0000"),
        { date: draft.date, currency, accountId: line.account.id },
        [debit, credit],
      );
      const role = line.account.role;
      if (line.customerId && (revenueRoles.has(role) || role === "deferred_revenue")) {
        const earned = revenueRoles.has(role) ? amount.negated() : new Decimal(0);
        add(
          customers,
          [month, currency, line.customerId].join("\u0000"),
          {
            month,
            currency,
            customerId: line.customerId,
          },
          [amount.negated(), earned],
        );
      }
      if (role === "receivables" && line.customerId && line.invoiceId) {
        add(
          invoices,
          [line.invoiceId, currency].join("\u0000"),
          {
            invoiceId: line.invoiceId,
            currency,
            customerId: line.customerId,
            date: draft.date,
          },
          [amount],
        );
      }
    }
  }
  return {
    months: [...months.values()].map(({ key, net }) => ({
      ...key,
      debit: net[0].toString(),
      credit: net[1].toString(),
    })),
    deferred: [...deferred.values()].map(({ key, net }) => ({ ...key, amount: net[0].toString() })),
    days: [...days.values()].map(({ key, net }) => ({
      ...key,
      debit: net[0].toString(),
      credit: net[1].toString(),
    })),
    customers: [...customers.values()].map(({ key, net }) => ({
      ...key,
      invoiced: net[0].toString(),
      recognised: net[1].toString(),
    })),
    invoices: [...invoices.values()].map(({ key, net }) => ({ ...key, amount: net[0].toString() })),
  };
}
