import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { insertAsJson } from "../../db/bulk-insert.ts";
import type { Db } from "../../db/index.ts";
import { contractCreditGrants, creditLedger, invoiceLines } from "../../db/schema/index.ts";

export type GrantRow = typeof contractCreditGrants.$inferSelect;
export type LedgerRow = typeof creditLedger.$inferSelect;

export interface GrantBalanceRow {
  id: string;
  contractId: string;
  /** The contract add-on whose plan draws the grant; null: the base plan. */
  componentId: string | null;
  pool: string;
  position: number;
  expiresAt: Date | null;
  amount: string;
  balance: string;
}

/** Every grant of the contracts with its balance (grant amount plus its ledger movements). */
export async function grantBalances(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<GrantBalanceRow[]> {
  if (contractIds.length === 0) return [];
  return db
    .select({
      id: contractCreditGrants.id,
      contractId: contractCreditGrants.contractId,
      componentId: contractCreditGrants.componentId,
      pool: contractCreditGrants.pool,
      position: contractCreditGrants.position,
      expiresAt: contractCreditGrants.expiresAt,
      amount: contractCreditGrants.amount,
      balance: sql<string>`(${contractCreditGrants.amount} + coalesce(sum(${creditLedger.amount}), 0))::text`,
    })
    .from(contractCreditGrants)
    .leftJoin(
      creditLedger,
      and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.grantId, contractCreditGrants.id)),
    )
    .where(
      and(
        eq(contractCreditGrants.tenantId, tenantId),
        inArray(contractCreditGrants.contractId, [...contractIds]),
      ),
    )
    .groupBy(contractCreditGrants.id)
    .orderBy(asc(contractCreditGrants.contractId), asc(contractCreditGrants.position));
}

/** The position the next grant of a contract takes (grants of a contract are ordered). */
export async function nextGrantPosition(db: Db, tenantId: string, contractId: string): Promise<number> {
  const [{ next }] = await db
    .select({ next: sql<number>`coalesce(max(${contractCreditGrants.position}), -1) + 1` })
    .from(contractCreditGrants)
    .where(and(eq(contractCreditGrants.tenantId, tenantId), eq(contractCreditGrants.contractId, contractId)));
  return Number(next);
}

export async function insertGrant(db: Db, row: GrantRow): Promise<GrantRow> {
  const [inserted] = await db.insert(contractCreditGrants).values(row).returning();
  return inserted;
}

export async function ledgerOfContract(db: Db, tenantId: string, contractId: string): Promise<LedgerRow[]> {
  return db
    .select()
    .from(creditLedger)
    .where(and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.contractId, contractId)))
    .orderBy(asc(creditLedger.createdAt), asc(creditLedger.id));
}

/** Credit the given lines drew, net of returns: per grant and the node of the line that drew it. */
export async function drawsOfLines(
  db: Db,
  tenantId: string,
  lineIds: readonly string[],
): Promise<{ grantId: string; pool: string; nodeId: string; drawn: string }[]> {
  if (lineIds.length === 0) return [];
  return db
    .select({
      grantId: creditLedger.grantId,
      pool: creditLedger.pool,
      nodeId: invoiceLines.nodeId,
      drawn: sql<string>`(-sum(${creditLedger.amount}))::text`,
    })
    .from(creditLedger)
    .innerJoin(
      invoiceLines,
      and(eq(invoiceLines.tenantId, tenantId), eq(invoiceLines.id, creditLedger.invoiceLineId)),
    )
    .where(and(eq(creditLedger.tenantId, tenantId), inArray(creditLedger.invoiceLineId, [...lineIds])))
    .groupBy(creditLedger.grantId, creditLedger.pool, invoiceLines.nodeId);
}

/** Credit drawn per line of an invoice (positive), net of reversals. */
export async function drawnByLine(db: Db, tenantId: string, invoiceId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ lineId: creditLedger.invoiceLineId, drawn: sql<string>`(-sum(${creditLedger.amount}))::text` })
    .from(creditLedger)
    .where(and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.invoiceId, invoiceId)))
    .groupBy(creditLedger.invoiceLineId);
  return new Map(rows.filter((r) => r.lineId !== null).map((r) => [r.lineId as string, r.drawn]));
}

/** Net credit an invoice drew per grant and line: what voiding it gives back. */
export async function netDrawsOfInvoice(db: Db, tenantId: string, invoiceId: string) {
  return db
    .select({
      grantId: creditLedger.grantId,
      contractId: creditLedger.contractId,
      pool: creditLedger.pool,
      lineId: creditLedger.invoiceLineId,
      amount: sql<string>`sum(${creditLedger.amount})::text`,
    })
    .from(creditLedger)
    .where(and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.invoiceId, invoiceId)))
    .groupBy(creditLedger.grantId, creditLedger.contractId, creditLedger.pool, creditLedger.invoiceLineId);
}

export async function insertLedgerRows(db: Db, rows: readonly LedgerRow[]): Promise<void> {
  await insertAsJson(db, creditLedger, rows as unknown as Record<string, unknown>[]);
}

/** A draft's credit draws, before it is recomputed (a draft's draws are not final). */
export async function deleteDrawsOfInvoice(db: Db, tenantId: string, invoiceId: string): Promise<void> {
  await db
    .delete(creditLedger)
    .where(and(eq(creditLedger.tenantId, tenantId), eq(creditLedger.invoiceId, invoiceId)));
}
