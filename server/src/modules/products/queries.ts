import { and, asc, eq, gt, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { type ProductKind, products } from "../../db/schema/index.ts";

export type ProductRow = typeof products.$inferSelect;

/** Inserts unless the code is taken; null then. */
export async function insertProduct(db: Db, row: ProductRow): Promise<ProductRow | null> {
  const rows = await db
    .insert(products)
    .values(row)
    .onConflictDoNothing({ target: [products.tenantId, products.code] })
    .returning();
  return rows[0] ?? null;
}

export async function productById(db: Db, tenantId: string, id: string): Promise<ProductRow | null> {
  const rows = await db
    .select()
    .from(products)
    .where(and(eq(products.tenantId, tenantId), eq(products.id, id)));
  return rows[0] ?? null;
}

export async function productsByCodes(db: Db, tenantId: string, codes: string[]): Promise<ProductRow[]> {
  if (codes.length === 0) return [];
  return db
    .select()
    .from(products)
    .where(and(eq(products.tenantId, tenantId), inArray(products.code, codes)));
}

export async function listProducts(
  db: Db,
  tenantId: string,
  options: { kind?: ProductKind; parentId?: string; limit: number; afterCode: string | null },
): Promise<ProductRow[]> {
  const conditions: SQL[] = [eq(products.tenantId, tenantId)];
  if (options.kind) conditions.push(eq(products.kind, options.kind));
  if (options.parentId) conditions.push(eq(products.parentId, options.parentId));
  if (options.afterCode !== null) conditions.push(gt(products.code, options.afterCode));
  return db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(asc(products.code))
    .limit(options.limit + 1);
}

export async function updateProduct(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<ProductRow>,
): Promise<ProductRow | null> {
  const rows = await db
    .update(products)
    .set(changes)
    .where(and(eq(products.tenantId, tenantId), eq(products.id, id)))
    .returning();
  return rows[0] ?? null;
}

/** Sub-products of a product (at most `limit`). */
export async function childProducts(
  db: Db,
  tenantId: string,
  id: string,
  limit: number,
): Promise<ProductRow[]> {
  return db
    .select()
    .from(products)
    .where(and(eq(products.tenantId, tenantId), eq(products.parentId, id)))
    .orderBy(asc(products.code))
    .limit(limit);
}

export async function deleteProduct(db: Db, tenantId: string, id: string): Promise<ProductRow | null> {
  const rows = await db
    .delete(products)
    .where(and(eq(products.tenantId, tenantId), eq(products.id, id)))
    .returning();
  return rows[0] ?? null;
}
