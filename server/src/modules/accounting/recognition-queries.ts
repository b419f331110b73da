import { and, asc, eq, inArray, max, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import { accountingPeriods, revenueSchedule } from "../../db/schema/index.ts";

// ---- closed months and revenue schedules

/** The last closed month of a tenant (closes are in order, so every month up to it is closed). */
export async function closedThrough(db: Db, tenantId: string): Promise<string | null> {
  const rows = await db
    .select({ month: max(accountingPeriods.month) })
    .from(accountingPeriods)
    .where(eq(accountingPeriods.tenantId, tenantId));
  return rows[0]?.month ?? null;
}

export async function closedPeriods(db: Db, tenantId: string) {
  return db
    .select()
    .from(accountingPeriods)
    .where(eq(accountingPeriods.tenantId, tenantId))
    .orderBy(asc(accountingPeriods.month));
}

export async function insertPeriod(db: Db, tenantId: string, month: string, closedAt: Date): Promise<void> {
  await db.insert(accountingPeriods).values({ tenantId, month, closedAt });
}

/**
 * The first month a tenant's first close has to cover: that of its earliest entry, or earlier when an advance
 * fee was scheduled for a month before it (a fee billed late for a past period).
 */
export async function firstBooksMonth(db: Db, tenantId: string): Promise<string | null> {
  const rows = await queryRows<{ month: string | null }>(
    db,
    sql`select least(
          (select to_char(min(date), 'YYYY-MM') from journal_entries where tenant_id = ${tenantId}),
          (select min(month) from revenue_schedule where tenant_id = ${tenantId} and deferred)) as month`,
  );
  return rows[0]?.month ?? null;
}

/** Schedule rows of invoice lines (original and reversals), by line and month. */
export async function scheduleOfLines(db: Db, tenantId: string, lineIds: readonly string[]) {
  if (lineIds.length === 0) return [];
  return db
    .select()
    .from(revenueSchedule)
    .where(and(eq(revenueSchedule.tenantId, tenantId), inArray(revenueSchedule.invoiceLineId, [...lineIds])))
    .orderBy(asc(revenueSchedule.id));
}

/** Deferred revenue to recognise in `month`, per currency, product, customer and timing. */
export async function deferredForMonth(db: Db, tenantId: string, month: string) {
  return db
    .select({
      currency: revenueSchedule.currency,
      product: revenueSchedule.product,
      customerId: revenueSchedule.customerId,
      timing: revenueSchedule.timing,
      amount: sql<string>`sum(${revenueSchedule.amount})`,
    })
    .from(revenueSchedule)
    .where(
      and(
        eq(revenueSchedule.tenantId, tenantId),
        eq(revenueSchedule.month, month),
        eq(revenueSchedule.deferred, true),
      ),
    )
    .groupBy(
      revenueSchedule.currency,
      revenueSchedule.product,
      revenueSchedule.customerId,
      revenueSchedule.timing,
    )
    .orderBy(revenueSchedule.currency, revenueSchedule.product, revenueSchedule.customerId);
}

/** Grants expired before `before` whose credit liability (as journaled) is still positive. */
export async function expiredGrantBalances(
  db: Db,
  tenantId: string,
  liabilityAccountId: string,
  before: Date,
) {
  const where: SQL = sql`g.tenant_id = ${tenantId} and g.expires_at is not null and g.expires_at < ${before.toISOString()}`;
  return queryRows<{ grantId: string; customerId: string | null; currency: string; balance: string }>(
    db,
    sql`select l.credit_grant_id as "grantId", min(l.customer_id) as "customerId", l.currency,
          sum(l.credit) - sum(l.debit) as balance
        from journal_lines l join contract_credit_grants g on g.id = l.credit_grant_id
        where ${where} and l.tenant_id = ${tenantId} and l.account_id = ${liabilityAccountId}
        group by l.credit_grant_id, l.currency
        having sum(l.credit) - sum(l.debit) > 0
        order by l.credit_grant_id`,
  );
}
