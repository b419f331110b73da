import type { ArchivedFilter } from "@pricegraph/shared/api";
import { and, desc, eq, ilike, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { customerParentLinks, customers } from "../../db/schema/index.ts";

export type CustomerRow = typeof customers.$inferSelect;

/** Inserts unless the external id is taken; returns the rows inserted. */
export async function insertCustomers(
  db: Db,
  rows: (typeof customers.$inferInsert)[],
): Promise<CustomerRow[]> {
  if (rows.length === 0) return [];
  return db
    .insert(customers)
    .values(rows)
    .onConflictDoNothing({ target: [customers.tenantId, customers.externalId] })
    .returning();
}

export async function customerById(db: Db, tenantId: string, id: string): Promise<CustomerRow | null> {
  const rows = await db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
  return rows[0] ?? null;
}

export async function existingExternalIds(
  db: Db,
  tenantId: string,
  externalIds: string[],
): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await db
    .select({ externalId: customers.externalId })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.externalId, externalIds)));
  return new Set(rows.map((row) => row.externalId));
}

export async function updateCustomer(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<typeof customers.$inferInsert>,
): Promise<CustomerRow | null> {
  const rows = await db
    .update(customers)
    .set(changes)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
    .returning();
  return rows[0] ?? null;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listCustomers(
  db: Db,
  tenantId: string,
  options: {
    search?: string;
    externalId?: string;
    parentId?: string;
    archived?: ArchivedFilter;
    limit: number;
    after: [string, string] | null;
  },
): Promise<CustomerRow[]> {
  const conditions: SQL[] = [eq(customers.tenantId, tenantId)];
  // A lookup by external id names one customer: it finds an archived one too.
  const archived = options.externalId !== undefined ? "all" : (options.archived ?? "active");
  if (archived === "active") conditions.push(isNull(customers.archivedAt));
  if (archived === "archived") conditions.push(isNotNull(customers.archivedAt));
  if (options.externalId !== undefined) conditions.push(eq(customers.externalId, options.externalId));
  if (options.parentId !== undefined) conditions.push(eq(customers.parentId, options.parentId));
  if (options.search) {
    const pattern = `%${escapeLike(options.search)}%`;
    conditions.push(
      or(
        ilike(customers.name, pattern),
        ilike(customers.email, pattern),
        ilike(customers.externalId, pattern),
      )!,
    );
  }
  if (options.after) {
    const [createdAt, id] = options.after;
    conditions.push(sql`(${customers.createdAt}, ${customers.id}) < (${createdAt}::timestamptz, ${id})`);
  }
  return db
    .select()
    .from(customers)
    .where(and(...conditions))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(options.limit + 1);
}

export type ParentLinkRow = typeof customerParentLinks.$inferSelect;

/** Serializes changes to a tenant's account hierarchy, so two moves cannot together make a cycle. */
export async function lockHierarchy(db: Db, tenantId: string): Promise<void> {
  await db.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`pricegraph.hierarchy:${tenantId}`}, 0))`,
  );
}

export async function insertParentLink(db: Db, row: ParentLinkRow): Promise<void> {
  await db.insert(customerParentLinks).values(row);
}

/** Ends the customer's current link (if any) at `at`: usage after it goes elsewhere. */
export async function closeParentLink(db: Db, tenantId: string, customerId: string, at: Date): Promise<void> {
  await db
    .update(customerParentLinks)
    .set({ validTo: at })
    .where(
      and(
        eq(customerParentLinks.tenantId, tenantId),
        eq(customerParentLinks.customerId, customerId),
        isNull(customerParentLinks.validTo),
      ),
    );
}

/** Every parent link of the tenant, past and present (what usage routing reads). */
export async function parentLinksOf(db: Db, tenantId: string): Promise<ParentLinkRow[]> {
  return db.select().from(customerParentLinks).where(eq(customerParentLinks.tenantId, tenantId));
}

/** Customers by id (any number), for naming accounts. */
export async function customersByIds(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<CustomerRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, [...new Set(ids)])));
}

/** Whether the tenant has ever had a child account (most have not: their usage needs no routing). */
export async function hasParentLinks(db: Db, tenantId: string): Promise<boolean> {
  const rows = await db
    .select({ id: customerParentLinks.id })
    .from(customerParentLinks)
    .where(eq(customerParentLinks.tenantId, tenantId))
    .limit(1);
  return rows.length > 0;
}
