import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import type { InvoiceLineRow, InvoiceRow } from "../invoices/queries.ts";
import { invoiceById, linesOf } from "../invoices/queries.ts";
import type { Chart } from "./chart.ts";
import { EntryDraft, entryRows, writeEntry } from "./entry.ts";
import { entryBySource } from "./journal-queries.ts";
import type { ScheduleRow } from "./queries.ts";
import { scheduleOfLines } from "./recognition-queries.ts";
import { allocate, dailySchedule, firstDayOf, type Month, monthOf, nextMonth } from "./schedule.ts";
import {
  creditNoteWithLines,
  drawsOfInvoices,
  invoicesByIds,
  linesForPosting,
  taxOfInvoices,
} from "./source-queries.ts";
import { writePosted } from "./totals-queries.ts";

/** What every posting rule works with: one tenant's chart and closed months, inside the posting transaction. */
export interface Books {
  deps: Pick<Deps, "clock" | "ids">;
  tx: Db;
  tenantId: string;
  chart: Chart;
  closedThrough: Month | null;
}

/** The source record a rule posts from: an activity record's id, object id and snapshot. */
export interface PostingSource {
  /** None for documents posted by the backfill. */
  activityId: string | null;
  objectId: string;
  object: Record<string, unknown>;
  createdAt: Date;
}

const dec = (value: string | number | Decimal) => new Decimal(value);
/** A plain decimal string with at most this many places is read as it is (no rounding to do). */
const withinPlaces = (value: string, places: number) => {
  const point = value.indexOf(".");
  return /^-?\d+(\.\d+)?$/.test(value) && (point === -1 || value.length - point - 1 <= places);
};
const atPlaces = (value: string | Decimal, places: number) =>
  typeof value === "string" && withinPlaces(value, places) ? dec(value) : dec(fixed(dec(value), places));

/**
 * The date an entry is booked on: the event's UTC date, or the first day of the first open month when the
 * event's month is already closed (a closed month takes no more entries).
 */
export function postingDate(books: Pick<Books, "closedThrough">, at: Date): string {
  const date = at.toISOString().slice(0, 10);
  if (books.closedThrough && monthOf(date) <= books.closedThrough)
    return firstDayOf(nextMonth(books.closedThrough));
  return date;
}

const productOf = (line: Pick<InvoiceLineRow, "product" | "description">) => line.product ?? line.description;
const isOneOff = (line: Pick<InvoiceLineRow, "servicePeriodStartDate" | "servicePeriodEndDate">) =>
  line.servicePeriodStartDate >= line.servicePeriodEndDate;
/** Advance-billed fees over a period: deferred and recognised month by month, with schedule rows. */
const isDeferrable = (
  line: Pick<InvoiceLineRow, "timing" | "servicePeriodStartDate" | "servicePeriodEndDate">,
) => line.timing === "advance" && !isOneOff(line);

/** Is a schedule month still waiting in deferred revenue (advance fee, month not closed yet)? */
const stillDeferred = (books: Books, month: Month) =>
  books.closedThrough === null || month > books.closedThrough;

/**
 * Invoice finalized: Dr receivables (lines + tax) and Dr credit liability (credit drawn); Cr revenue per
 * product for arrears and one-off lines, Cr deferred revenue for advance-billed lines, Cr tax payable.
 */
export async function postInvoiceFinalized(books: Books, source: PostingSource): Promise<void> {
  await postInvoicesFinalized(books, [source]);
}

/**
 * Several `invoice.finalized` records of one tenant at once (a billing run finalizes thousands), in chunks: each
 * chunk's invoices, lines, credit draws and taxes are read in four queries and its entries written in one
 * statement. The database is never left waiting on the server: the next chunk's reads are queued behind the
 * current chunk's write on the transaction's connection, and each chunk is drafted while the one before it is
 * written.
 */
export async function postInvoicesFinalized(books: Books, sources: readonly PostingSource[]): Promise<void> {
  const activityOf = new Map<string, string | null>();
  for (const source of sources)
    if (!activityOf.has(source.objectId)) activityOf.set(source.objectId, source.activityId);
  const ids = [...activityOf.keys()];
  // A small first chunk, so that the database starts writing soon.
  const chunks: string[][] = [];
  for (let i = 0, size = FIRST_CHUNK; i < ids.length; i += size, size = WRITE_CHUNK)
    chunks.push(ids.slice(i, i + size));
  const read = (chunk: readonly string[]) => {
    const reading = Promise.all([
      invoicesByIds(books.tx, books.tenantId, chunk),
      linesForPosting(books.tx, books.tenantId, chunk),
      drawsOfInvoices(books.tx, books.tenantId, chunk),
      taxOfInvoices(books.tx, books.tenantId, chunk),
    ]);
    // Marked handled here; a rejection still surfaces where the chunk is awaited.
    reading.catch(() => {});
    return reading;
  };
  let next = chunks.length > 0 ? read(chunks[0]) : null;
  let writing: Promise<unknown> = Promise.resolve();
  for (let c = 0; c < chunks.length; c++) {
    const [invoices, lines, draws, taxes] = await (next as ReturnType<typeof read>);
    next = c + 1 < chunks.length ? read(chunks[c + 1]) : null;
    // Sent now, so that they run behind the write in progress, not after the drafting below.
    await turn();
    const linesBy = groupBy(lines, (l) => l.invoiceId);
    const drawsBy = groupBy(draws, (d) => d.lineId);
    // A product booked for the first time gets its revenue account (a query); drafting itself needs none.
    for (const product of new Set(lines.map(productOf))) await books.chart.revenue(books.tx, product);
    const invoiceOf = new Map(invoices.map((invoice) => [invoice.id, invoice]));
    // In the order the records were written, which is the journal's posting order.
    const drafts = chunks[c].flatMap((id) => {
      const invoice = invoiceOf.get(id);
      if (!invoice?.finalizedAt) return [];
      const places = minorUnits(invoice.currency);
      const tax = atPlaces(taxes.get(invoice.id) ?? "0", places);
      const draft = invoiceDraft(books, invoice, linesBy.get(invoice.id) ?? [], drawsBy, tax, places);
      return [{ draft, places, activityId: activityOf.get(invoice.id) ?? null }];
    });
    const rows = entryRows(books.deps, books.tenantId, drafts);
    await writing;
    writing = writePosted(books.tx, books.tenantId, rows.entries, rows.lines, rows.schedule);
    writing.catch(() => {});
    await turn();
  }
  await writing;
}

/** A turn of the event loop: the queries just issued go out to the database before the next drafting. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Invoices per write statement of a batch. */
const FIRST_CHUNK = 250;
const WRITE_CHUNK = 1000;

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(key(row));
    if (list) list.push(row);
    else out.set(key(row), [row]);
  }
  return out;
}

type PostedInvoice = Pick<InvoiceRow, "id" | "customerId" | "currency" | "number" | "finalizedAt">;
type PostedLine = Pick<
  InvoiceLineRow,
  "id" | "description" | "product" | "timing" | "amount" | "servicePeriodStartDate" | "servicePeriodEndDate"
>;

function invoiceDraft(
  books: Books,
  invoice: PostedInvoice,
  lines: readonly PostedLine[],
  drawsBy: Map<string, { lineId: string; grantId: string; drawn: string }[]>,
  tax: Decimal,
  places: number,
): EntryDraft {
  const date = postingDate(books, invoice.finalizedAt as Date);
  const draft = new EntryDraft(
    "invoice",
    { type: "invoice", id: invoice.id },
    invoice.currency,
    date,
    `Invoice ${invoice.number ?? invoice.id} finalized`,
  );
  const who = { customerId: invoice.customerId, invoiceId: invoice.id };
  let receivable = tax;
  for (const line of lines) {
    const amount = atPlaces(line.amount, places);
    receivable = receivable.plus(amount);
    let gross = amount;
    for (const draw of drawsBy.get(line.id) ?? []) {
      const drawn = atPlaces(draw.drawn, places);
      gross = gross.plus(drawn);
      draft.debit(books.chart.role("credit_liability"), drawn, { ...who, creditGrantId: draw.grantId });
    }
    const product = productOf(line);
    const revenue = books.chart.knownRevenue(product);
    if (!revenue) throw new Error(`No revenue account for product ${product}`);
    const dims = { ...who, product, timing: line.timing };
    if (!isDeferrable(line)) {
      // Arrears and one-off lines are earned when invoiced: revenue now, and no schedule rows to keep (their
      // schedule is their service period; a credit note reverses what remains of the line).
      draft.credit(revenue, gross, dims);
      continue;
    }
    const schedule = dailySchedule(
      gross,
      line.servicePeriodStartDate,
      line.servicePeriodEndDate,
      places,
      monthOf(date),
    );
    for (const part of schedule) {
      const deferred = stillDeferred(books, part.month);
      draft.credit(deferred ? books.chart.role("deferred_revenue") : revenue, part.amount, dims);
      draft.schedule.push({
        invoiceId: invoice.id,
        invoiceLineId: line.id,
        customerId: invoice.customerId,
        product,
        timing: line.timing,
        currency: invoice.currency,
        month: part.month,
        amount: part.amount.toString(),
        deferred,
      });
    }
  }
  draft.debit(books.chart.role("receivables"), receivable, who);
  draft.credit(books.chart.role("tax_payable"), tax, who);
  return draft;
}

/** What each line of an invoice booked as revenue: its amount plus the credit it drew. */
async function grossOfLines(
  books: Books,
  invoiceId: string,
  lines: readonly Pick<InvoiceLineRow, "id" | "amount">[],
  places: number,
): Promise<Map<string, Decimal>> {
  const gross = new Map(lines.map((l) => [l.id, atPlaces(l.amount, places)]));
  for (const draw of await drawsOfInvoices(books.tx, books.tenantId, [invoiceId])) {
    gross.set(draw.lineId, (gross.get(draw.lineId) ?? dec(0)).plus(atPlaces(draw.drawn, places)));
  }
  return gross;
}

/**
 * Takes `share` of a line's revenue back, spread over its schedule in proportion to what remains of each month:
 * months already recognised come out of revenue, months still deferred out of deferred revenue (and out of the
 * schedule, so their close recognises less).
 */
async function reverseLine(
  books: Books,
  draft: EntryDraft,
  invoice: InvoiceRow,
  line: InvoiceLineRow,
  rows: ScheduleRow[],
  share: Decimal,
  places: number,
  gross: Decimal,
): Promise<void> {
  const buckets = new Map<string, { month: Month; deferred: boolean; amount: Decimal }>();
  if (!isDeferrable(line)) {
    // Booked to revenue in full at finalize; earlier credit notes left negative rows.
    const month = monthOf((invoice.finalizedAt ?? new Date(0)).toISOString().slice(0, 10));
    buckets.set(`${month}|false`, { month, deferred: false, amount: gross });
  }
  for (const row of rows.filter((r) => r.invoiceLineId === line.id)) {
    const key = `${row.month}|${row.deferred}`;
    const bucket = buckets.get(key) ?? { month: row.month, deferred: row.deferred, amount: dec(0) };
    bucket.amount = bucket.amount.plus(row.amount);
    buckets.set(key, bucket);
  }
  const remaining = [...buckets.values()].filter((b) => !b.amount.isZero());
  if (remaining.length === 0) return;
  const parts = allocate(
    share,
    remaining.map((b) => b.amount),
    places,
  );
  const product = productOf(line);
  const revenue = await books.chart.revenue(books.tx, product);
  const dims = { customerId: invoice.customerId, invoiceId: invoice.id, product, timing: line.timing };
  remaining.forEach((bucket, i) => {
    const deferred = bucket.deferred && stillDeferred(books, bucket.month);
    draft.debit(deferred ? books.chart.role("deferred_revenue") : revenue, parts[i], dims);
    draft.schedule.push({
      invoiceId: invoice.id,
      invoiceLineId: line.id,
      customerId: invoice.customerId,
      product,
      timing: line.timing,
      currency: invoice.currency,
      month: bucket.month,
      amount: parts[i].negated().toString(),
      deferred,
    });
  });
}

/** Credit note: the reverse of the invoice for the credited amount, line by line (a note by amount: pro rata). */
export async function postCreditNote(books: Books, source: PostingSource): Promise<void> {
  const found = await creditNoteWithLines(books.tx, books.tenantId, source.objectId);
  if (!found) return;
  const invoice = await invoiceById(books.tx, books.tenantId, found.note.invoiceId);
  if (!invoice) return;
  const places = minorUnits(invoice.currency);
  const lines = await linesOf(books.tx, books.tenantId, [invoice.id]);
  const rows = await scheduleOfLines(
    books.tx,
    books.tenantId,
    lines.map((l) => l.id),
  );
  const gross = await grossOfLines(books, invoice.id, lines, places);
  const shares = new Map<string, Decimal>();
  const add = (lineId: string, amount: Decimal) =>
    shares.set(lineId, (shares.get(lineId) ?? dec(0)).plus(amount));
  const billed = lines.filter((l) => dec(l.amount).gt(0));
  for (const noteLine of found.lines) {
    const amount = atPlaces(noteLine.amount, places);
    if (noteLine.invoiceLineId) add(noteLine.invoiceLineId, amount);
    else {
      const parts = allocate(
        amount,
        billed.map((l) => dec(l.amount)),
        places,
      );
      billed.forEach((l, i) => {
        add(l.id, parts[i]);
      });
    }
  }
  const draft = new EntryDraft(
    "credit_note",
    { type: "credit_note", id: found.note.id },
    invoice.currency,
    postingDate(books, found.note.createdAt),
    `Credit note ${found.note.number} on invoice ${invoice.number ?? invoice.id}`,
  );
  const who = { customerId: invoice.customerId, invoiceId: invoice.id };
  // Credit notes carry no tax (receivables limits them to the invoice's pre-tax amount): revenue only.
  let total = dec(0);
  for (const line of lines) {
    const share = shares.get(line.id);
    if (!share) continue;
    total = total.plus(share);
    await reverseLine(books, draft, invoice, line, rows, share, places, gross.get(line.id) ?? dec(0));
  }
  draft.credit(books.chart.role("receivables"), total, who);
  await writeEntry(books.deps, books.tx, books.tenantId, draft, places, source.activityId);
}

/**
 * Void: the invoice's entry reversed in full. Receivables, tax and credit liability mirror the invoice entry;
 * revenue comes back month by month as in a credit note for everything that remains.
 */
export async function postInvoiceVoided(books: Books, source: PostingSource): Promise<void> {
  const invoice = await invoiceById(books.tx, books.tenantId, source.objectId);
  const posted = await entryBySource(books.tx, books.tenantId, "invoice", "invoice", source.objectId);
  if (!invoice || !posted) return;
  const places = minorUnits(invoice.currency);
  const draft = new EntryDraft(
    "invoice_void",
    { type: "invoice", id: invoice.id },
    invoice.currency,
    postingDate(books, invoice.voidedAt ?? source.createdAt),
    `Invoice ${invoice.number ?? invoice.id} voided`,
  );
  const mirrored = new Set(["receivables", "tax_payable", "credit_liability"]);
  for (const line of posted.lines) {
    const account = books.chart.byId(line.accountId);
    if (!account || !mirrored.has(account.role)) continue;
    const dims = {
      customerId: line.customerId,
      invoiceId: line.invoiceId,
      creditGrantId: line.creditGrantId,
    };
    draft.credit(account, dec(line.debit), dims).debit(account, dec(line.credit), dims);
  }
  // Customer balance applied to the invoice at finalize goes back to the customer with it.
  const applied = await entryBySource(books.tx, books.tenantId, "balance_applied", "invoice", invoice.id);
  for (const line of applied?.lines ?? []) {
    const account = books.chart.byId(line.accountId);
    if (!account) continue;
    const dims = { customerId: line.customerId, invoiceId: line.invoiceId };
    draft.credit(account, dec(line.debit), dims).debit(account, dec(line.credit), dims);
  }
  const lines = await linesOf(books.tx, books.tenantId, [invoice.id]);
  const rows = await scheduleOfLines(
    books.tx,
    books.tenantId,
    lines.map((l) => l.id),
  );
  const gross = await grossOfLines(books, invoice.id, lines, places);
  for (const line of lines) {
    const booked = isDeferrable(line) ? dec(0) : (gross.get(line.id) ?? dec(0));
    const remaining = rows
      .filter((r) => r.invoiceLineId === line.id)
      .reduce((sum, r) => sum.plus(r.amount), booked);
    await reverseLine(books, draft, invoice, line, rows, remaining, places, gross.get(line.id) ?? dec(0));
  }
  await writeEntry(books.deps, books.tx, books.tenantId, draft, places, source.activityId);
}
