import type { PlanDocument } from "@pricegraph/shared";
import { and, asc, eq, getTableColumns, getTableName, inArray, ne, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type Db, queryRows } from "../../db/index.ts";
import {
  contractCreditGrants,
  contracts,
  creditLedger,
  customers,
  invoiceLines,
  invoices,
  planVersions,
} from "../../db/schema/index.ts";
import { textArrayLiteral } from "../usage/aggregate.ts";

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type LedgerRow = typeof creditLedger.$inferSelect;

/**
 * Serializes billing work per contract across transactions and server processes (transaction-scoped advisory
 * locks, taken in one sorted order so overlapping batches cannot deadlock).
 */
export async function lockContracts(db: Db, contractIds: readonly string[]): Promise<void> {
  if (contractIds.length === 0) return;
  await db.execute(sql`SELECT pg_advisory_xact_lock(k) FROM (
      SELECT DISTINCT hashtextextended('pricegraph.contract:' || id, 0) AS k
      FROM unnest(${textArrayLiteral([...contractIds])}::text[]) AS id ORDER BY k) AS keys ORDER BY k`);
}

export interface ContractContextRow {
  contract: typeof contracts.$inferSelect;
  externalId: string;
  timezone: string;
  document: PlanDocument;
}

export async function contractContexts(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<ContractContextRow[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      contract: contracts,
      externalId: customers.externalId,
      timezone: customers.timezone,
      document: planVersions.document,
    })
    .from(contracts)
    .innerJoin(customers, eq(customers.id, contracts.customerId))
    .innerJoin(
      planVersions,
      and(eq(planVersions.planId, contracts.planId), eq(planVersions.version, contracts.planVersion)),
    )
    .where(and(eq(contracts.tenantId, tenantId), inArray(contracts.id, [...ids])))
    .orderBy(asc(contracts.id));
}

/** Period starts already invoiced, per contract. */
export async function invoicedPeriodStarts(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ contractId: invoices.contractId, periodStart: invoices.periodStart })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        inArray(invoices.contractId, [...ids]),
        eq(invoices.kind, "period"),
      ),
    );
  for (const row of rows) {
    let set = out.get(row.contractId);
    if (!set) {
      set = new Set();
      out.set(row.contractId, set);
    }
    set.add(row.periodStart.getTime());
  }
  return out;
}

export interface GrantBalanceRow {
  id: string;
  contractId: string;
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
  ids: readonly string[],
): Promise<GrantBalanceRow[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      id: contractCreditGrants.id,
      contractId: contractCreditGrants.contractId,
      pool: contractCreditGrants.pool,
      position: contractCreditGrants.position,
      expiresAt: contractCreditGrants.expiresAt,
      amount: contractCreditGrants.amount,
      balance: sql<string>`(${contractCreditGrants.amount} + coalesce(sum(${creditLedger.amount}), 0))::text`,
    })
    .from(contractCreditGrants)
    .leftJoin(creditLedger, eq(creditLedger.grantId, contractCreditGrants.id))
    .where(
      and(eq(contractCreditGrants.tenantId, tenantId), inArray(contractCreditGrants.contractId, [...ids])),
    )
    .groupBy(contractCreditGrants.id)
    .orderBy(asc(contractCreditGrants.contractId), asc(contractCreditGrants.position));
}

/** The contracts among `ids` that have a draft invoice. */
export async function contractsWithDrafts(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ contractId: invoices.contractId })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        inArray(invoices.contractId, [...ids]),
        eq(invoices.status, "draft"),
      ),
    );
  return new Set(rows.map((row) => row.contractId));
}

/**
 * Finalized period invoices whose period received events after its usage was last read (less a safety margin
 * for events committed while it was read): their periods need recomputing, as adjustments. "Last read" is the
 * latest of the invoice's own computation and that of any non-void invoice with adjustment lines for the
 * period: events already adjusted for are not late again, so a contract's old late events do not make every
 * later invoice and run recompute its periods. (A draft being recomputed has its lines deleted first.)
 */
export async function periodsWithLateEvents(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<{ contractId: string; periodStart: Date; invoiceId: string }[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ contract_id: string; period_start: string | Date; id: string }>(
    db,
    sql`SELECT i.contract_id, i.period_start, i.id FROM invoices i
      JOIN customers c ON c.id = i.customer_id
      CROSS JOIN LATERAL (SELECT greatest(i.usage_computed_at, max(a.usage_computed_at)) AS read_at
        FROM invoice_lines l JOIN invoices a ON a.id = l.invoice_id
        WHERE l.tenant_id = i.tenant_id AND l.contract_id = i.contract_id AND l.service_period_start = i.period_start
          AND l.kind = 'adjustment' AND a.status <> 'void'
      ) adjusted
      WHERE i.tenant_id = ${tenantId} AND i.contract_id = ANY(${textArrayLiteral([...ids])}::text[])
        AND i.status = 'finalized' AND i.kind = 'period'
        AND EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = ${tenantId} AND e.customer_external_id = c.external_id
          AND e.timestamp >= i.period_start AND e.timestamp < i.period_end
          AND e.received_at > adjusted.read_at - interval '5 minutes')
      ORDER BY i.contract_id, i.period_start`,
  );
  return rows.map((r) => ({
    contractId: r.contract_id,
    periodStart: new Date(r.period_start),
    invoiceId: r.id,
  }));
}

/** Lines billed for one service period of a contract, on invoices that are not void (optionally but one). */
export async function billedLinesFor(
  db: Db,
  tenantId: string,
  contractId: string,
  servicePeriodStart: Date,
  exceptInvoice?: string,
) {
  const conditions = [
    eq(invoiceLines.tenantId, tenantId),
    eq(invoiceLines.contractId, contractId),
    eq(invoiceLines.servicePeriodStart, servicePeriodStart),
    ne(invoices.status, "void"),
  ];
  if (exceptInvoice) conditions.push(ne(invoices.id, exceptInvoice));
  return db
    .select({
      id: invoiceLines.id,
      nodeId: invoiceLines.nodeId,
      amount: invoiceLines.amount,
      unrounded: invoiceLines.unrounded,
      quantity: invoiceLines.quantity,
    })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(and(...conditions));
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
    .innerJoin(invoiceLines, eq(invoiceLines.id, creditLedger.invoiceLineId))
    .where(and(eq(creditLedger.tenantId, tenantId), inArray(creditLedger.invoiceLineId, [...lineIds])))
    .groupBy(creditLedger.grantId, creditLedger.pool, invoiceLines.nodeId);
}

const CHUNK = 1000;

/**
 * Multi-row insert as ONE jsonb parameter expanded by jsonb_populate_recordset: far cheaper for thousands of rows
 * than a VALUES list with a bind parameter per cell (parse and bind cost grow with the parameter count).
 */
async function insertAsJson(
  db: Db,
  table: PgTable,
  rows: readonly Record<string, unknown>[],
  suffix: SQL = sql``,
): Promise<{ id: string }[]> {
  const columns = Object.entries(getTableColumns(table));
  const out: { id: string }[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const payload = rows.slice(i, i + CHUNK).map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = row[key];
        record[column.name] = value instanceof Date ? value.toISOString() : (value ?? null);
      }
      return record;
    });
    const name = sql.identifier(getTableName(table));
    const returned = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO ${name} SELECT * FROM jsonb_populate_recordset(NULL::${name}, ${JSON.stringify(payload)}::jsonb) ${suffix}`,
    );
    out.push(...returned);
  }
  return out;
}

export async function insertInvoiceRows(db: Db, rows: InvoiceRow[]): Promise<Set<string>> {
  const done = await insertAsJson(
    db,
    invoices,
    rows as unknown as Record<string, unknown>[],
    sql`ON CONFLICT (tenant_id, contract_id, period_start) WHERE kind = 'period' DO NOTHING RETURNING id`,
  );
  return new Set(done.map((r) => r.id));
}

export async function insertLineRows(db: Db, rows: InvoiceLineRow[]): Promise<void> {
  await insertAsJson(db, invoiceLines, rows as unknown as Record<string, unknown>[]);
}

export async function insertLedgerRows(db: Db, rows: LedgerRow[]): Promise<void> {
  await insertAsJson(db, creditLedger, rows as unknown as Record<string, unknown>[]);
}
