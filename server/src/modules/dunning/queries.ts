import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { dunningCampaigns, paymentReminders } from "../../db/schema/index.ts";

export type CampaignRow = typeof dunningCampaigns.$inferSelect;
export type ReminderRow = typeof paymentReminders.$inferSelect;
/** The `customer_id` of a tenant's own campaign. */
export const TENANT_CAMPAIGN = "";

export async function campaignsOf(db: Db, tenantId: string): Promise<CampaignRow[]> {
  return db.select().from(dunningCampaigns).where(eq(dunningCampaigns.tenantId, tenantId));
}

export async function upsertCampaign(db: Db, row: CampaignRow): Promise<CampaignRow> {
  const { tenantId, customerId, ...changes } = row;
  const rows = await db
    .insert(dunningCampaigns)
    .values(row)
    .onConflictDoUpdate({ target: [dunningCampaigns.tenantId, dunningCampaigns.customerId], set: changes })
    .returning();
  return rows[0];
}

export async function deleteCampaign(db: Db, tenantId: string, customerId: string): Promise<void> {
  await db
    .delete(dunningCampaigns)
    .where(and(eq(dunningCampaigns.tenantId, tenantId), eq(dunningCampaigns.customerId, customerId)));
}

/** Tenants with at least one enabled campaign (theirs or a customer's). */
export async function tenantsWithCampaigns(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ tenantId: dunningCampaigns.tenantId })
    .from(dunningCampaigns)
    .where(eq(dunningCampaigns.enabled, true));
  return rows.map((r) => r.tenantId);
}

/** Dunning reminders per invoice of a tenant: how many, and the last one's time. */
export async function dunningHistory(db: Db, tenantId: string) {
  const rows = await db
    .select({
      invoiceId: paymentReminders.invoiceId,
      count: sql<number>`count(*)::int`,
      last: sql<string>`max(${paymentReminders.createdAt})::text`,
    })
    .from(paymentReminders)
    .where(and(eq(paymentReminders.tenantId, tenantId), eq(paymentReminders.source, "dunning")))
    .groupBy(paymentReminders.invoiceId);
  return new Map(rows.map((r) => [r.invoiceId, { count: Number(r.count), last: new Date(r.last) }]));
}

/** Inserts a reminder; false when that dunning attempt exists already (another run got there first). */
export async function insertReminder(db: Db, row: ReminderRow): Promise<boolean> {
  const rows = await db
    .insert(paymentReminders)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: paymentReminders.id });
  return rows.length > 0;
}

export async function remindersOf(db: Db, tenantId: string, invoiceId: string): Promise<ReminderRow[]> {
  return db
    .select()
    .from(paymentReminders)
    .where(and(eq(paymentReminders.tenantId, tenantId), eq(paymentReminders.invoiceId, invoiceId)))
    .orderBy(desc(paymentReminders.createdAt));
}
