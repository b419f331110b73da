import { and, desc, eq, gt, gte, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { alertFirings, alertScans, alerts, contracts, customers, events } from "../../db/schema/index.ts";

export type AlertRow = typeof alerts.$inferSelect;
export type FiringRow = typeof alertFirings.$inferSelect;

export async function insertAlert(db: Db, row: AlertRow): Promise<void> {
  await db.insert(alerts).values(row);
}

export async function listAlerts(db: Db, tenantId: string): Promise<AlertRow[]> {
  return db.select().from(alerts).where(eq(alerts.tenantId, tenantId)).orderBy(alerts.createdAt, alerts.id);
}

export async function alertById(db: Db, tenantId: string, id: string): Promise<AlertRow | null> {
  const rows = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.tenantId, tenantId), eq(alerts.id, id)));
  return rows[0] ?? null;
}

export async function deleteAlert(db: Db, tenantId: string, id: string): Promise<AlertRow | null> {
  const rows = await db
    .delete(alerts)
    .where(and(eq(alerts.tenantId, tenantId), eq(alerts.id, id)))
    .returning();
  return rows[0] ?? null;
}

/** The alerts that watch this customer: its own and the tenant-wide ones. */
export async function alertsForCustomer(db: Db, tenantId: string, customerId: string): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(
      and(eq(alerts.tenantId, tenantId), or(isNull(alerts.customerId), eq(alerts.customerId, customerId))),
    );
}

/** Inserts a firing unless that threshold already fired for that customer, contract and period. */
export async function insertFiring(db: Db, row: FiringRow): Promise<boolean> {
  const inserted = await db
    .insert(alertFirings)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: alertFirings.id });
  return inserted.length > 0;
}

export async function listFirings(
  db: Db,
  tenantId: string,
  filters: { alertId?: string; customerId?: string; limit: number; before: [string, string] | null },
): Promise<{ firing: FiringRow; alert: AlertRow }[]> {
  const where = [eq(alertFirings.tenantId, tenantId)];
  if (filters.alertId) where.push(eq(alertFirings.alertId, filters.alertId));
  if (filters.customerId) where.push(eq(alertFirings.customerId, filters.customerId));
  if (filters.before) {
    const at = new Date(filters.before[0]);
    const cursor = or(
      lt(alertFirings.firedAt, at),
      and(eq(alertFirings.firedAt, at), lt(alertFirings.id, filters.before[1])),
    );
    if (cursor) where.push(cursor);
  }
  return db
    .select({ firing: alertFirings, alert: alerts })
    .from(alertFirings)
    .innerJoin(alerts, eq(alerts.id, alertFirings.alertId))
    .where(and(...where))
    .orderBy(desc(alertFirings.firedAt), desc(alertFirings.id))
    .limit(filters.limit + 1);
}

// The evaluator (across tenants by design: it follows ingestion as a whole)

/** Where the evaluator's last scan ended (the start of time for a new database). */
export async function scannedUntil(db: Db, name: string): Promise<Date> {
  const rows = await db.select().from(alertScans).where(eq(alertScans.name, name));
  return rows[0]?.scannedUntil ?? new Date(0);
}

export async function saveScan(db: Db, name: string, until: Date): Promise<void> {
  await db
    .insert(alertScans)
    .values({ name, scannedUntil: until })
    .onConflictDoUpdate({
      target: alertScans.name,
      set: { scannedUntil: sql`greatest(${alertScans.scannedUntil}, excluded.scanned_until)` },
    });
}

/**
 * Customers (of tenants that have alerts) with events received in (from, to]: the ones whose usage moved. Events
 * name customers by external id; those without a customer yet are left out.
 */
export async function customersWithNewEvents(
  db: Db,
  from: Date,
  to: Date,
): Promise<{ tenantId: string; customerId: string }[]> {
  return db
    .selectDistinct({ tenantId: customers.tenantId, customerId: customers.id })
    .from(events)
    .innerJoin(
      customers,
      and(eq(customers.tenantId, events.tenantId), eq(customers.externalId, events.customerExternalId)),
    )
    .where(
      and(
        gt(events.receivedAt, from),
        lte(events.receivedAt, to),
        sql`exists (select 1 from ${alerts} where ${alerts.tenantId} = ${events.tenantId})`,
      ),
    );
}

/** `alertId threshold` of what already fired for this customer, contract and period: those need no transaction. */
export async function firedThresholds(
  db: Db,
  tenantId: string,
  customerId: string,
  contractId: string,
  periodStart: Date,
): Promise<Set<string>> {
  const rows = await db
    .select({ alertId: alertFirings.alertId, threshold: alertFirings.threshold })
    .from(alertFirings)
    .where(
      and(
        eq(alertFirings.tenantId, tenantId),
        eq(alertFirings.customerId, customerId),
        eq(alertFirings.contractId, contractId),
        eq(alertFirings.periodStart, periodStart),
      ),
    );
  return new Set(rows.map((r) => `${r.alertId} ${r.threshold}`));
}

/**
 * The customer's contracts running at `now`: started by the customer's local date at that instant, and not ended
 * before it (the end date is the last day served). Contract dates are local dates in the customer's time zone, so
 * "today" is the customer's own (east of UTC a contract's first day begins before the UTC date turns).
 */
export async function runningContracts(db: Db, tenantId: string, customerId: string, now: Date) {
  const today = sql`(${now.toISOString()}::timestamptz AT TIME ZONE ${customers.timezone})::date`;
  return db
    .select({ id: contracts.id })
    .from(contracts)
    .innerJoin(
      customers,
      and(eq(customers.tenantId, contracts.tenantId), eq(customers.id, contracts.customerId)),
    )
    .where(
      and(
        eq(contracts.tenantId, tenantId),
        eq(contracts.customerId, customerId),
        lte(contracts.startDate, today),
        or(isNull(contracts.endDate), gte(contracts.endDate, today)),
      ),
    );
}
