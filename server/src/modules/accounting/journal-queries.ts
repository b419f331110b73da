import { and, asc, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import { journalEntries, journalLines, journalPosition } from "../../db/schema/index.ts";
import type { EntryRow, LineRow } from "./queries.ts";

export const JOURNAL_CONSUMER = "journal";

// ---- the consumer's position

/** Locks the journal's position for this transaction: posting and closing run one at a time. */
export async function lockJournalPosition(db: Db): Promise<{ txid: number; seq: number }> {
  const rows = await db
    .select({ txid: journalPosition.txid, seq: journalPosition.seq })
    .from(journalPosition)
    .where(eq(journalPosition.consumer, JOURNAL_CONSUMER))
    .for("update");
  if (!rows[0]) throw new Error("journal_position has no journal row (migration accounting_journal)");
  return { txid: Number(rows[0].txid), seq: Number(rows[0].seq) };
}

export async function saveJournalPosition(db: Db, position: { txid: number; seq: number }): Promise<void> {
  await db
    .update(journalPosition)
    .set({ txid: position.txid, seq: position.seq })
    .where(eq(journalPosition.consumer, JOURNAL_CONSUMER));
}

export async function entryBySource(
  db: Db,
  tenantId: string,
  kind: string,
  sourceType: string,
  sourceId: string,
): Promise<{ entry: EntryRow; lines: LineRow[] } | null> {
  const entries = await db
    .select()
    .from(journalEntries)
    .where(
      and(
        eq(journalEntries.tenantId, tenantId),
        eq(journalEntries.kind, kind as EntryRow["kind"]),
        eq(journalEntries.sourceType, sourceType),
        eq(journalEntries.sourceId, sourceId),
      ),
    );
  if (!entries[0]) return null;
  const lines = await db
    .select()
    .from(journalLines)
    .where(eq(journalLines.entryId, entries[0].id))
    .orderBy(asc(journalLines.position));
  return { entry: entries[0], lines };
}

/** An activity record as the journal reads it: the snapshot only for the types that post from it. */
export interface JournalRecord {
  id: string;
  tenantId: string;
  type: string;
  objectId: string;
  object: unknown;
  txid: number;
  seq: number;
  createdAt: Date;
}

/**
 * The activity records after `after`, in (txid, seq) order and below the oldest running transaction, like the
 * activity module's `activityAfter`, but without the snapshots the journal does not post from: an invoice's
 * snapshot holds its lines, and a billing run writes two records per invoice.
 */
export async function journalRecordsAfter(
  db: Db,
  after: { txid: number; seq: number },
  limit: number,
  snapshotTypes: readonly string[],
): Promise<JournalRecord[]> {
  const wanted = sql.join(
    snapshotTypes.map((t) => sql`${t}`),
    sql`, `,
  );
  const rows = await queryRows<Omit<JournalRecord, "createdAt"> & { createdAt: string | Date }>(
    db,
    sql`select id, tenant_id as "tenantId", type, object_id as "objectId",
          case when type in (${wanted}) then object end as object, txid, seq, created_at as "createdAt"
        from activity
        where txid < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
          and (txid, seq) > (${after.txid}, ${after.seq})
        order by txid, seq limit ${limit}`,
  );
  return rows.map((r) => ({
    ...r,
    txid: Number(r.txid),
    seq: Number(r.seq),
    createdAt: new Date(r.createdAt),
  }));
}
