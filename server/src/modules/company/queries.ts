import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { companyProfiles, taxRates } from "../../db/schema/index.ts";

export type CompanyProfileRow = typeof companyProfiles.$inferSelect;
export type TaxRateRow = typeof taxRates.$inferSelect;

export async function companyProfileOf(db: Db, tenantId: string): Promise<CompanyProfileRow | null> {
  const rows = await db.select().from(companyProfiles).where(eq(companyProfiles.tenantId, tenantId));
  return rows[0] ?? null;
}

export async function upsertCompanyProfile(db: Db, row: CompanyProfileRow): Promise<CompanyProfileRow> {
  const { tenantId, ...changes } = row;
  const rows = await db
    .insert(companyProfiles)
    .values(row)
    .onConflictDoUpdate({ target: companyProfiles.tenantId, set: changes })
    .returning();
  return rows[0];
}

export async function taxRatesOf(db: Db, tenantId: string): Promise<TaxRateRow[]> {
  return db
    .select()
    .from(taxRates)
    .where(eq(taxRates.tenantId, tenantId))
    .orderBy(asc(taxRates.createdAt), asc(taxRates.id));
}

export async function taxRateById(db: Db, tenantId: string, id: string): Promise<TaxRateRow | null> {
  const rows = await db
    .select()
    .from(taxRates)
    .where(and(eq(taxRates.tenantId, tenantId), eq(taxRates.id, id)));
  return rows[0] ?? null;
}

/** Inserts a rate; null when the tenant already has one with that name. */
export async function insertTaxRate(db: Db, row: TaxRateRow): Promise<TaxRateRow | null> {
  const rows = await db.insert(taxRates).values(row).onConflictDoNothing().returning();
  return rows[0] ?? null;
}

export async function updateTaxRate(
  db: Db,
  tenantId: string,
  id: string,
  changes: Partial<Pick<TaxRateRow, "name" | "percentage">>,
): Promise<TaxRateRow | null> {
  const rows = await db
    .update(taxRates)
    .set(changes)
    .where(and(eq(taxRates.tenantId, tenantId), eq(taxRates.id, id)))
    .returning();
  return rows[0] ?? null;
}
