import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import { textArrayLiteral } from "../usage/aggregate.ts";

/**
 * What was billed, per contract and period, as backtests read it (kept apart from queries.ts, which holds the
 * invoice lifecycle): the stored usage of the latest invoiced periods, and the charges billed for each service
 * period before credits.
 */

export interface InvoicedPeriodRow {
  contractId: string;
  periodStart: Date;
  currency: string;
  /** The usage the engine saw when the invoice was computed (`usage.usage` of the invoice). */
  usage: Record<string, unknown> | null;
}

/** Of each contract, the latest `count` periods that ended by `now` and have a period invoice that is not void. */
export async function latestInvoicedPeriods(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
  now: Date,
  count: number,
): Promise<InvoicedPeriodRow[]> {
  if (contractIds.length === 0) return [];
  const rows = await queryRows<{
    contract_id: string;
    period_start: string | Date;
    currency: string;
    usage: Record<string, unknown> | null;
  }>(
    db,
    // A consolidated invoice keeps each contract's usage under `contracts` (its lead's also at the top).
    sql`SELECT contract_id, period_start, currency, usage FROM (
        SELECT ic.contract_id, i.period_start, i.currency,
          coalesce(i.usage -> 'contracts' -> ic.contract_id -> 'usage', i.usage) -> 'usage' AS usage,
          row_number() OVER (PARTITION BY ic.contract_id ORDER BY i.period_start DESC) AS rank
        FROM invoice_contracts ic JOIN invoices i ON i.tenant_id = ic.tenant_id AND i.id = ic.invoice_id
        WHERE ic.tenant_id = ${tenantId} AND ic.kind = 'period' AND i.status <> 'void'
          AND ic.contract_id = ANY(${textArrayLiteral(contractIds)}::text[])
          AND i.period_end <= ${now.toISOString()}::timestamptz) latest
      WHERE rank <= ${count}
      ORDER BY contract_id, period_start`,
  );
  return rows.map((r) => ({
    contractId: r.contract_id,
    periodStart: new Date(r.period_start),
    currency: r.currency,
    usage: r.usage,
  }));
}

/**
 * Per contract and service period from `since`: the sum of its base plan's charge lines on invoices that are not
 * void (adjustments and add-on lines left out: a plan's backtest re-prices the base plan alone), and the credit
 * those lines drew — their amount before credits is the sum of both.
 */
export async function chargesByServicePeriod(
  db: Db,
  tenantId: string,
  contractIds: readonly string[],
  since: Date,
): Promise<{ contractId: string; servicePeriodStart: Date; amount: string; drawn: string }[]> {
  if (contractIds.length === 0) return [];
  const ids = textArrayLiteral(contractIds);
  const rows = await queryRows<{
    contract_id: string;
    service_period_start: string | Date;
    amount: string;
    drawn: string;
  }>(
    db,
    sql`SELECT l.contract_id, l.service_period_start, sum(l.amount)::text AS amount,
        coalesce(sum(d.drawn), 0)::text AS drawn
      FROM invoice_lines l
      JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
      LEFT JOIN (SELECT invoice_line_id, -sum(amount) AS drawn FROM credit_ledger
          WHERE tenant_id = ${tenantId} AND contract_id = ANY(${ids}::text[]) GROUP BY invoice_line_id) d
        ON d.invoice_line_id = l.id
      WHERE l.tenant_id = ${tenantId} AND l.contract_id = ANY(${ids}::text[]) AND l.kind = 'charge'
        AND l.component_id IS NULL AND i.status <> 'void' AND l.service_period_start >= ${since.toISOString()}::timestamptz
      GROUP BY l.contract_id, l.service_period_start`,
  );
  return rows.map((r) => ({
    contractId: r.contract_id,
    servicePeriodStart: new Date(r.service_period_start),
    amount: r.amount,
    drawn: r.drawn,
  }));
}
