import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { creditNotes, invoices, portalLinks } from "../../db/schema/index.ts";

export type PortalLinkRow = typeof portalLinks.$inferSelect;

export async function insertPortalLink(db: Db, row: PortalLinkRow): Promise<void> {
  await db.insert(portalLinks).values(row);
}

export async function portalLinksOf(db: Db, tenantId: string, customerId: string): Promise<PortalLinkRow[]> {
  return db
    .select()
    .from(portalLinks)
    .where(and(eq(portalLinks.tenantId, tenantId), eq(portalLinks.customerId, customerId)))
    .orderBy(desc(portalLinks.createdAt), desc(portalLinks.id));
}

/** Sets `revokedAt` once; answers the link (revoked now or before), or null when it is not this customer's. */
export async function revokePortalLink(
  db: Db,
  tenantId: string,
  customerId: string,
  id: string,
  now: Date,
): Promise<{ row: PortalLinkRow; revokedNow: boolean } | null> {
  const scope = and(
    eq(portalLinks.tenantId, tenantId),
    eq(portalLinks.customerId, customerId),
    eq(portalLinks.id, id),
  );
  const updated = await db
    .update(portalLinks)
    .set({ revokedAt: now })
    .where(and(scope, isNull(portalLinks.revokedAt)))
    .returning();
  if (updated[0]) return { row: updated[0], revokedNow: true };
  const rows = await db.select().from(portalLinks).where(scope);
  return rows[0] ? { row: rows[0], revokedNow: false } : null;
}

/** The link with this token hash, whatever its state (the caller checks expiry and revocation). */
export async function portalLinkByHash(db: Db, tokenHash: string): Promise<PortalLinkRow | null> {
  const rows = await db.select().from(portalLinks).where(eq(portalLinks.tokenHash, tokenHash));
  return rows[0] ?? null;
}

/** The customer whose invoice a credit note credits, or null when the tenant has no such credit note. */
export async function creditNoteCustomer(
  db: Db,
  tenantId: string,
  creditNoteId: string,
): Promise<string | null> {
  const rows = await db
    .select({ customerId: invoices.customerId })
    .from(creditNotes)
    .innerJoin(
      invoices,
      and(eq(invoices.tenantId, creditNotes.tenantId), eq(invoices.id, creditNotes.invoiceId)),
    )
    .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.id, creditNoteId)));
  return rows[0]?.customerId ?? null;
}
