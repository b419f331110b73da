import { Decimal, fixed } from "@pricegraph/engine";
import { isCurrency, minorUnits } from "@pricegraph/shared";
import { EntryDraft, writeEntry } from "./entry.ts";
import { entryBySource } from "./journal-queries.ts";
import { type Books, type PostingSource, postingDate } from "./posting.ts";
import { grantForPosting, grantIdsOfContract } from "./source-queries.ts";

const dec = (value: string | number) => new Decimal(value);
const isDecimal = (v: unknown): v is string => typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v);

/** The payment snapshot of `payment.created` (receivables): only the fields the journal needs. */
interface PaymentSnapshot {
  id: string;
  customerId: string;
  amount: string;
  currency: string;
  receivedAt: string;
  allocations: { invoiceId: string; amount: string }[];
}

function paymentOf(object: Record<string, unknown>): PaymentSnapshot | null {
  const { id, customerId, amount, currency, receivedAt, allocations } = object;
  if (typeof id !== "string" || typeof customerId !== "string" || !isDecimal(amount)) return null;
  if (typeof currency !== "string" || !isCurrency(currency) || typeof receivedAt !== "string") return null;
  const list = Array.isArray(allocations) ? allocations : [];
  const valid = list.filter(
    (a): a is { invoiceId: string; amount: string } =>
      typeof a === "object" && a !== null && typeof a.invoiceId === "string" && isDecimal(a.amount),
  );
  return { id, customerId, amount, currency, receivedAt, allocations: valid };
}

/**
 * Payment received: Dr cash; Cr receivables for each invoice it pays; what is left over (unapplied) is owed to
 * the customer: Cr customer balances. The unapplied part is the amount less the allocations, whatever the
 * snapshot's own `unapplied` says, so the entry always balances.
 */
export async function postPayment(books: Books, source: PostingSource): Promise<void> {
  const payment = paymentOf(source.object);
  if (!payment) return;
  const places = minorUnits(payment.currency);
  const at = new Date(payment.receivedAt);
  const draft = new EntryDraft(
    "payment",
    { type: "payment", id: payment.id },
    payment.currency,
    postingDate(books, Number.isNaN(at.getTime()) ? source.createdAt : at),
    `Payment ${payment.id} received`,
  );
  const customerId = payment.customerId;
  const amount = dec(fixed(dec(payment.amount), places));
  draft.debit(books.chart.role("cash"), amount, { customerId });
  let applied = dec(0);
  for (const allocation of payment.allocations) {
    const part = dec(fixed(dec(allocation.amount), places));
    applied = applied.plus(part);
    draft.credit(books.chart.role("receivables"), part, { customerId, invoiceId: allocation.invoiceId });
  }
  draft.credit(books.chart.role("customer_balance"), amount.minus(applied), { customerId });
  await writeEntry(books.deps, books.tx, books.tenantId, draft, places, source.activityId);
}

/**
 * Customer balance (earlier overpayments) applied to an invoice at finalize (`customer_balance.applied`):
 * Dr customer balances; Cr receivables of that invoice.
 */
export async function postBalanceApplied(books: Books, source: PostingSource): Promise<void> {
  const { customerId, currency, amount, invoiceId } = source.object;
  if (typeof customerId !== "string" || typeof invoiceId !== "string" || !isDecimal(amount)) return;
  if (typeof currency !== "string" || !isCurrency(currency)) return;
  const places = minorUnits(currency);
  const draft = new EntryDraft(
    "balance_applied",
    { type: "invoice", id: invoiceId },
    currency,
    postingDate(books, source.createdAt),
    `Customer balance applied to invoice ${invoiceId}`,
  );
  const applied = dec(fixed(dec(amount), places));
  draft.debit(books.chart.role("customer_balance"), applied, { customerId });
  draft.credit(books.chart.role("receivables"), applied, { customerId, invoiceId });
  await writeEntry(books.deps, books.tx, books.tenantId, draft, places, source.activityId);
}

/** Payment reversed (bounced, refunded): the payment's entry mirrored, line by line. */
export async function postPaymentReversed(books: Books, source: PostingSource): Promise<void> {
  const posted = await entryBySource(books.tx, books.tenantId, "payment", "payment", source.objectId);
  if (!posted) return;
  const draft = new EntryDraft(
    "payment_reversal",
    { type: "payment", id: source.objectId },
    posted.entry.currency,
    postingDate(books, source.createdAt),
    `Payment ${source.objectId} reversed`,
  );
  for (const line of posted.lines) {
    const account = books.chart.byId(line.accountId);
    if (!account) continue;
    const dims = { customerId: line.customerId, invoiceId: line.invoiceId };
    draft.credit(account, dec(line.debit), dims).debit(account, dec(line.credit), dims);
  }
  await writeEntry(
    books.deps,
    books.tx,
    books.tenantId,
    draft,
    minorUnits(posted.entry.currency),
    source.activityId,
  );
}

/** Credit granted: Dr promotional credits (expense); Cr customer credit balances (a liability until drawn). */
export async function postCreditGrant(books: Books, grantId: string, source: PostingSource): Promise<void> {
  const grant = await grantForPosting(books.tx, books.tenantId, grantId);
  if (!grant || !isCurrency(grant.currency)) return;
  const places = minorUnits(grant.currency);
  const amount = dec(fixed(dec(grant.amount), places));
  const draft = new EntryDraft(
    "credit_grant",
    { type: "credit_grant", id: grant.id },
    grant.currency,
    postingDate(books, source.createdAt),
    `Credit granted (${grant.id})`,
  );
  const dims = { customerId: grant.customerId, creditGrantId: grant.id };
  draft.debit(books.chart.role("promotional_credits"), amount, dims);
  draft.credit(books.chart.role("credit_liability"), amount, dims);
  await writeEntry(books.deps, books.tx, books.tenantId, draft, places, source.activityId);
}

/** A contract created with grants: each grant posts as if granted on its own (once, whichever record comes first). */
export async function postContractGrants(books: Books, source: PostingSource): Promise<void> {
  for (const id of await grantIdsOfContract(books.tx, books.tenantId, source.objectId)) {
    await postCreditGrant(books, id, source);
  }
}
