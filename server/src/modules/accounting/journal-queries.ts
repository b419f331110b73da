import { and, asc, eq, getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type Db, queryRows } from "../../db/index.ts";
import { journalEntries, journalLines, journalPosition, revenueSchedule } from "../../db/schema/index.ts";
import type { EntryRow, LineRow, NewEntryRow, NewLineRow, NewScheduleRow } from "./queries.ts";
import { recordsOf } from "./unnest.ts";

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

// ---- writing entries

/** Inserts the entry unless one already exists for its kind and source; false when it did. */
export async function insertEntry(db: Db, row: NewEntryRow): Promise<boolean> {
  const inserted = await db
    .insert(journalEntries)
    .values(row)
    .onConflictDoNothing({
      target: [
        journalEntries.tenantId,
        journalEntries.kind,
        journalEntries.sourceType,
        journalEntries.sourceId,
        journalEntries.currency,
      ],
    })
    .returning({ id: journalEntries.id });
  return inserted.length > 0;
}

/**
 * A multi-row insert with one array parameter per column (`recordsOf`). Rows are written with the table's column
 * names; identity and defaulted columns left out are filled by the database.
 */
async function insertRows(
  db: Db,
  table: PgTable,
  rows: readonly Record<string, unknown>[],
  suffix: SQL = sql``,
): Promise<{ id: string }[]> {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in rows[0]);
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const name = sql.identifier(getTableName(table));
  const out: { id: string }[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const records = recordsOf(
      chunk,
      columns.map(([key, column]) => [column.name, column.getSQLType(), (row) => row[key]] as const),
    );
    out.push(
      ...(await queryRows<{ id: string }>(
        db,
        sql`INSERT INTO ${name} (${names}) SELECT * FROM ${records} ${suffix}`,
      )),
    );
  }
  return out;
}

/** Inserts entries, skipping those already posted for their kind and source; answers the ids inserted. */
export async function insertEntries(db: Db, rows: NewEntryRow[]): Promise<Set<string>> {
  const inserted = await insertRows(
    db,
    journalEntries,
    rows as unknown as Record<string, unknown>[],
    sql`ON CONFLICT (tenant_id, kind, source_type, source_id, currency) DO NOTHING RETURNING id`,
  );
  return new Set(inserted.map((r) => r.id));
}

export async function insertLines(db: Db, rows: NewLineRow[]): Promise<void> {
  await insertRows(db, journalLines, rows as unknown as Record<string, unknown>[]);
}

export async function insertSchedule(db: Db, rows: NewScheduleRow[]): Promise<void> {
  await insertRows(db, revenueSchedule, rows as unknown as Record<string, unknown>[]);
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
