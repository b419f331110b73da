import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { apiKeys, tenants } from "../../db/schema/index.ts";

export async function insertTenant(db: Db, row: typeof tenants.$inferInsert): Promise<void> {
  await db.insert(tenants).values(row);
}

export async function insertApiKey(db: Db, row: typeof apiKeys.$inferInsert): Promise<void> {
  await db.insert(apiKeys).values(row);
}

export async function tenantIdForKeyHash(db: Db, keyHash: string): Promise<string | null> {
  const rows = await db
    .select({ tenantId: apiKeys.tenantId })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, keyHash));
  return rows[0]?.tenantId ?? null;
}

export async function countTenants(db: Db): Promise<number> {
  const rows = await db.select({ n: sql<string>`count(*)::text` }).from(tenants);
  return Number(rows[0].n);
}

export async function firstTenantNamed(db: Db, name: string): Promise<string | null> {
  const rows = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(eq(tenants.name, name))
    .orderBy(asc(tenants.createdAt), asc(tenants.id))
    .limit(1);
  return rows[0]?.id ?? null;
}
