import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { Chart } from "./chart.ts";
import {
  type JournalRecord,
  journalRecordsAfter,
  lockJournalPosition,
  saveJournalPosition,
} from "./journal-queries.ts";
import {
  type Books,
  type PostingSource,
  postCreditNote,
  postInvoiceFinalized,
  postInvoicesFinalized,
  postInvoiceVoided,
} from "./posting.ts";
import {
  postBalanceApplied,
  postContractGrants,
  postCreditGrant,
  postPayment,
  postPaymentReversed,
} from "./posting-cash.ts";
import { closedThrough } from "./recognition-queries.ts";
import { unpostedDocuments } from "./source-queries.ts";

type Rule = (books: Books, source: PostingSource) => Promise<void>;

/** The activity types the journal posts from; every other record only moves the journal's position. */
export const postingRules: Record<string, Rule> = {
  "invoice.finalized": postInvoiceFinalized,
  "credit_note.created": postCreditNote,
  "invoice.voided": postInvoiceVoided,
  "payment.created": postPayment,
  "payment.reversed": postPaymentReversed,
  "customer_balance.applied": postBalanceApplied,
  "credit_grant.created": (books, source) => postCreditGrant(books, source.objectId, source),
  "contract.created": postContractGrants,
};

/** The types whose rules read the record's snapshot (the others read the documents themselves). */
const snapshotTypes = ["payment.created", "customer_balance.applied"];

const sourceOf = (record: JournalRecord): PostingSource => ({
  activityId: record.id,
  objectId: record.objectId,
  object: (record.object ?? {}) as Record<string, unknown>,
  createdAt: record.createdAt,
});

/** Books of each tenant met in a batch, loaded once per transaction. */
async function booksOf(
  deps: Pick<Deps, "clock" | "ids">,
  tx: Db,
  cache: Map<string, Books>,
  tenantId: string,
) {
  let books = cache.get(tenantId);
  if (!books) {
    books = {
      deps,
      tx,
      tenantId,
      chart: await Chart.load(deps, tx, tenantId),
      closedThrough: await closedThrough(tx, tenantId),
    };
    cache.set(tenantId, books);
  }
  return books;
}

/**
 * Posts the activity records after the journal's position, in the caller's transaction, which must hold the
 * position's lock (`lockJournalPosition`): the entries and the new position commit together, so each record is
 * posted exactly once in effect. Answers how many records were read.
 */
export async function postBatch(
  deps: Pick<Deps, "clock" | "ids">,
  tx: Db,
  position: { txid: number; seq: number },
  limit: number,
): Promise<{ read: number; position: { txid: number; seq: number } }> {
  const records = await journalRecordsAfter(tx, position, limit, snapshotTypes);
  if (records.length === 0) return { read: 0, position };
  const cache = new Map<string, Books>();
  // Runs of `invoice.finalized` records (a billing run's) are posted together, per tenant; any other record
  // first flushes the run, so each document still posts after everything recorded before it.
  let finalized: JournalRecord[] = [];
  const flush = async () => {
    const byTenant = new Map<string, JournalRecord[]>();
    for (const record of finalized) {
      const list = byTenant.get(record.tenantId);
      if (list) list.push(record);
      else byTenant.set(record.tenantId, [record]);
    }
    for (const [tenantId, list] of byTenant) {
      await postInvoicesFinalized(await booksOf(deps, tx, cache, tenantId), list.map(sourceOf));
    }
    finalized = [];
  };
  for (const record of records) {
    if (record.type === "invoice.finalized") {
      finalized.push(record);
      continue;
    }
    const rule = postingRules[record.type];
    if (!rule) continue;
    await flush();
    await rule(await booksOf(deps, tx, cache, record.tenantId), sourceOf(record));
  }
  await flush();
  const last = records[records.length - 1];
  const next = { txid: Number(last.txid), seq: Number(last.seq) };
  await saveJournalPosition(tx, next);
  return { read: records.length, position: next };
}

/** Posts everything the log holds that the journal has not read yet; answers how many records were read. */
/** Records per posting transaction: a billing run's invoices post in a few bulk statements per batch. */
const BATCH = 2000;

export async function postPendingActivity(deps: Deps, batchSize = BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const read = await deps.db.transaction(async (tx) => {
      const position = await lockJournalPosition(tx as Db);
      return (await postBatch(deps, tx as Db, position, batchSize)).read;
    });
    total += read;
    if (read < batchSize) return total;
  }
}

/** Catches up inside a transaction that already holds the journal's lock (a month-end close). */
export async function postPendingInTransaction(deps: Pick<Deps, "clock" | "ids">, tx: Db): Promise<void> {
  let position = await lockJournalPosition(tx);
  for (;;) {
    const batch = await postBatch(deps, tx, position, BATCH);
    position = batch.position;
    if (batch.read < BATCH) return;
  }
}

/**
 * Posts a tenant's documents that no activity record brought to the journal: those written before the activity
 * log recorded them (an upgraded installation's history). Idempotent like every posting: an entry per kind
 * and source. Answers how many documents were posted.
 */
export async function backfillJournal(deps: Deps, tenantId: string): Promise<number> {
  await postPendingActivity(deps);
  return deps.db.transaction(async (txHandle) => {
    const tx = txHandle as Db;
    await lockJournalPosition(tx);
    const documents = await unpostedDocuments(tx, tenantId);
    const books = await booksOf(deps, tx, new Map(), tenantId);
    for (const doc of documents) {
      const source = { activityId: null, objectId: doc.id, object: {}, createdAt: doc.at };
      if (doc.type === "credit_grant") await postCreditGrant(books, doc.id, source);
      else await postingRules[doc.type]?.(books, source);
    }
    return documents.length;
  });
}
