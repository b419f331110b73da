import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import {
  type journalEntries,
  type journalLines,
  ledgerAccounts,
  type revenueSchedule,
} from "../../db/schema/index.ts";

export type AccountRow = typeof ledgerAccounts.$inferSelect;
export type EntryRow = typeof journalEntries.$inferSelect;
export type NewEntryRow = Omit<typeof journalEntries.$inferInsert, "seq" | "txid">;
export type LineRow = typeof journalLines.$inferSelect;
export type NewLineRow = Omit<typeof journalLines.$inferInsert, "id">;
export type ScheduleRow = typeof revenueSchedule.$inferSelect;
export type NewScheduleRow = Omit<typeof revenueSchedule.$inferInsert, "id">;

// ---- chart of accounts

export async function accountsOf(db: Db, tenantId: string): Promise<AccountRow[]> {
  return db
    .select()
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.tenantId, tenantId))
    .orderBy(asc(ledgerAccounts.code));
}

export async function insertAccounts(db: Db, rows: AccountRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(ledgerAccounts).values(rows).onConflictDoNothing();
}

export async function updateAccountRow(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Pick<AccountRow, "code" | "name" | "updatedAt">>,
): Promise<AccountRow | null> {
  const rows = await db
    .update(ledgerAccounts)
    .set(patch)
    .where(and(eq(ledgerAccounts.tenantId, tenantId), eq(ledgerAccounts.id, id)))
    .returning();
  return rows[0] ?? null;
}
