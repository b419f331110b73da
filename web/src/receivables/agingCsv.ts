import { stringify } from "csv-stringify/browser/esm/sync";
import type { Aging } from "../api/receivables.ts";

export const agingColumns = [
  ["current", "Current"],
  ["days1to30", "1–30 days"],
  ["days31to60", "31–60 days"],
  ["days61to90", "61–90 days"],
  ["over90", "90+ days"],
] as const;

/** The aging report as CSV: one row per customer and currency, then a total row per currency. */
export function agingCsv(aging: Aging): string {
  const rows: string[][] = [];
  for (const block of aging.currencies) {
    for (const c of block.customers) {
      rows.push([
        aging.asOf,
        block.currency,
        c.name,
        c.customerId,
        ...agingColumns.map(([k]) => c[k]),
        c.total,
      ]);
    }
    rows.push([
      aging.asOf,
      block.currency,
      "Total",
      "",
      ...agingColumns.map(([k]) => block.totals[k]),
      block.totals.total,
    ]);
  }
  return stringify(rows, {
    header: true,
    columns: ["as_of", "currency", "customer", "customer_id", ...agingColumns.map(([k]) => k), "total"],
  });
}
