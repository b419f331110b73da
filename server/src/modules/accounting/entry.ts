import { Decimal, fixed } from "@pricegraph/engine";
import type { JournalEntryKind } from "@pricegraph/shared/api";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import type { AccountRow, NewEntryRow, NewLineRow, NewScheduleRow } from "./queries.ts";
import { writePosted } from "./totals-queries.ts";

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
    // A template string: an array joined per movement cost a billing run's posting more than its arithmetic.
    const key = `${account.id}\u0000${dims.customerId ?? ""}\u0000${dims.invoiceId ?? ""}\u0000${dims.product ?? ""}\u0000${dims.timing ?? ""}\u0000${dims.creditGrantId ?? ""}`;
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
 * source already posted (a replayed record, a second close) leaves the books as they are: answers null.
 */
export async function writeEntry(
  deps: Pick<Deps, "ids" | "clock">,
  tx: Db,
  tenantId: string,
  draft: EntryDraft,
  places: number,
  activityId: string | null,
): Promise<string | null> {
  const [id] = await writeEntries(deps, tx, tenantId, [{ draft, places, activityId }]);
  return id ?? null;
}

/**
 * `writeEntry` for many drafts at once: the entries, their lines and schedule rows and what they add to the
 * report totals in one statement (`writePosted`). Answers the ids of the entries written.
 */
export async function writeEntries(
  deps: Pick<Deps, "ids" | "clock">,
  tx: Db,
  tenantId: string,
  drafts: readonly { draft: EntryDraft; places: number; activityId: string | null }[],
): Promise<string[]> {
  const rows = entryRows(deps, tenantId, drafts);
  if (rows.entries.length === 0) return [];
  const written = await writePosted(tx, tenantId, rows.entries, rows.lines, rows.schedule);
  return rows.entries.filter((e) => written.has(e.id)).map((e) => e.id);
}

/** The rows of drafts with at least two lines, each entry with a new id. */
export function entryRows(
  deps: Pick<Deps, "ids" | "clock">,
  tenantId: string,
  drafts: readonly { draft: EntryDraft; places: number; activityId: string | null }[],
): { entries: NewEntryRow[]; lines: NewLineRow[]; schedule: NewScheduleRow[] } {
  const now = deps.clock();
  const entries: NewEntryRow[] = [];
  const lines: NewLineRow[] = [];
  const schedule: NewScheduleRow[] = [];
  for (const { draft, places, activityId } of drafts) {
    const moves = draft.lines();
    if (moves.length < 2) continue;
    const id = deps.ids("je");
    entries.push({
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
    });
    moves.forEach((m, position) => {
      const debit = m.amount.isPositive();
      lines.push({
        tenantId,
        entryId: id,
        position,
        accountId: m.account.id,
        date: draft.date,
        currency: draft.currency,
        debit: debit ? fixed(m.amount, places) : "0",
        credit: debit ? "0" : fixed(m.amount.negated(), places),
        customerId: m.customerId ?? null,
        invoiceId: m.invoiceId ?? null,
        product: m.product ?? null,
        timing: m.timing ?? null,
        creditGrantId: m.creditGrantId ?? null,
      });
    });
    for (const row of draft.schedule) {
      if (!new Decimal(row.amount).isZero()) schedule.push({ ...row, tenantId, entryId: id });
    }
  }
  return { entries, lines, schedule };
}
