import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import {
  activityConsumers,
  type EmailStatus,
  type EmailTemplateKind,
  emailMessages,
  emailTemplates,
} from "../../db/schema/index.ts";
import type { ActivityPosition } from "../activity/queries.ts";

export type EmailMessageRow = typeof emailMessages.$inferSelect;
export type EmailTemplateRow = typeof emailTemplates.$inferSelect;

export async function templatesOf(db: Db, tenantId: string): Promise<EmailTemplateRow[]> {
  return db.select().from(emailTemplates).where(eq(emailTemplates.tenantId, tenantId));
}

export async function upsertTemplate(db: Db, row: EmailTemplateRow): Promise<EmailTemplateRow> {
  const rows = await db
    .insert(emailTemplates)
    .values(row)
    .onConflictDoUpdate({
      target: [emailTemplates.tenantId, emailTemplates.kind],
      set: { subject: row.subject, body: row.body, updatedAt: row.updatedAt },
    })
    .returning();
  return rows[0];
}

export async function deleteTemplate(db: Db, tenantId: string, kind: EmailTemplateKind): Promise<void> {
  await db
    .delete(emailTemplates)
    .where(and(eq(emailTemplates.tenantId, tenantId), eq(emailTemplates.kind, kind)));
}

/** Inserts messages; one whose key exists already is left as it is (a log record is never e-mailed twice). */
export async function insertMessages(db: Db, rows: EmailMessageRow[]): Promise<void> {
  if (rows.length) await db.insert(emailMessages).values(rows).onConflictDoNothing();
}

export async function listMessages(
  db: Db,
  tenantId: string,
  filters: { status?: EmailStatus; customerId?: string; invoiceId?: string; limit: number },
) {
  const where = [eq(emailMessages.tenantId, tenantId)];
  if (filters.status) where.push(eq(emailMessages.status, filters.status));
  if (filters.customerId) where.push(eq(emailMessages.customerId, filters.customerId));
  if (filters.invoiceId) where.push(eq(emailMessages.invoiceId, filters.invoiceId));
  return db
    .select()
    .from(emailMessages)
    .where(and(...where))
    .orderBy(desc(emailMessages.createdAt), desc(emailMessages.id))
    .limit(filters.limit);
}

export async function messageById(db: Db, tenantId: string, id: string): Promise<EmailMessageRow | null> {
  const rows = await db
    .select()
    .from(emailMessages)
    .where(and(eq(emailMessages.tenantId, tenantId), eq(emailMessages.id, id)));
  return rows[0] ?? null;
}

/**
 * Claims up to `limit` messages due for delivery (all tenants): they become `sending` with a lease until
 * `leaseUntil`, so no other worker takes them meanwhile; a worker that dies leaves them to be claimed again.
 */
export async function claimDueMessages(
  db: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<EmailMessageRow[]> {
  const ids = await queryRows<{ id: string }>(
    db,
    sql`UPDATE email_messages SET status = 'sending', attempts = attempts + 1,
        next_attempt_at = ${leaseUntil.toISOString()}::timestamptz
      WHERE id IN (SELECT id FROM email_messages
        WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now.toISOString()}::timestamptz
        ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id`,
  );
  if (ids.length === 0) return [];
  return db
    .select()
    .from(emailMessages)
    .where(
      inArray(
        emailMessages.id,
        ids.map((r) => r.id),
      ),
    )
    .orderBy(asc(emailMessages.createdAt), asc(emailMessages.id));
}

export async function settleMessage(
  db: Db,
  id: string,
  changes: Pick<Partial<EmailMessageRow>, "status" | "nextAttemptAt" | "lastError" | "sentAt">,
): Promise<void> {
  await db.update(emailMessages).set(changes).where(eq(emailMessages.id, id));
}

/** A consumer's position, locked until the transaction ends (one consumer run at a time). */
export async function lockConsumerPosition(db: Db, name: string): Promise<ActivityPosition | null> {
  await db
    .insert(activityConsumers)
    .values({ name, txid: 0, seq: 0, updatedAt: new Date(0) })
    .onConflictDoNothing();
  const rows = await db
    .select()
    .from(activityConsumers)
    .where(eq(activityConsumers.name, name))
    .for("update");
  const row = rows[0];
  return row && (row.txid > 0 || row.seq > 0) ? { txid: row.txid, seq: row.seq } : null;
}

export async function saveConsumerPosition(db: Db, name: string, position: ActivityPosition, now: Date) {
  await db
    .update(activityConsumers)
    .set({ txid: position.txid, seq: position.seq, updatedAt: now })
    .where(eq(activityConsumers.name, name));
}
