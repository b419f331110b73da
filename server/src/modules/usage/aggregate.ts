import type { GroupedUsage } from "@pricegraph/shared";
import Decimal from "decimal.js";
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import type { MetricRounding } from "../../db/schema/index.ts";
import type { MetricRow } from "../metrics/queries.ts";

// Exact arithmetic for rounding aggregated values; precision far above any stored numeric's digits.
const Exact = Decimal.clone({ precision: 1000, rounding: Decimal.ROUND_HALF_UP });

/** One value to compute: a metric, ungrouped (`groupBy` null or empty) or per group of the given dimensions. */
export interface AggregationRequest {
  metric: Pick<MetricRow, "eventType" | "aggregation" | "property" | "filters" | "rounding">;
  groupBy: string[] | null;
}

export type UsageValue = string | GroupedUsage;

/** A Postgres array literal of text; passed as one parameter however many customers there are. */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

/** A property as numeric: JSON numbers directly, decimal strings parsed, anything else (or missing) 0. */
function numericProperty(property: string): SQL {
  return sql`CASE jsonb_typeof(e.properties -> ${property})
    WHEN 'number' THEN (e.properties -> ${property})::numeric
    WHEN 'string' THEN CASE WHEN (e.properties ->> ${property}) ~ '^-?[0-9]+(\\.[0-9]+)?$'
      THEN (e.properties ->> ${property})::numeric ELSE 0 END
    ELSE 0 END`;
}

function aggregateExpression(metric: AggregationRequest["metric"]): SQL {
  const property = metric.property ?? "";
  switch (metric.aggregation) {
    case "count":
      return sql`count(*)`;
    case "sum":
      return sql`coalesce(sum(${numericProperty(property)}), 0)`;
    case "min":
      return sql`min(${numericProperty(property)})`;
    case "max":
      return sql`max(${numericProperty(property)})`;
    case "uniqueCount":
      return sql`count(DISTINCT e.properties ->> ${property})`;
    case "latest":
      return sql`(array_agg(${numericProperty(property)} ORDER BY e.timestamp DESC, e.received_at DESC, e.event_id DESC))[1]`;
  }
}

function requestQuery(
  index: number,
  request: AggregationRequest,
  tenantId: string,
  ids: string,
  from: Date,
  to: Date,
): SQL {
  const { metric } = request;
  const dims = request.groupBy ?? [];
  const groupExprs = dims.map((dim) => sql`coalesce(e.properties ->> ${dim}, '')`);
  // Grouped by position (customer, group key): the same expression written twice would carry different
  // parameters and Postgres would not recognise it as the grouping key.
  const groupColumn = dims.length
    ? sql`json_build_array(${sql.join(groupExprs, sql`, `)})::text`
    : sql`NULL::text`;
  const filters = metric.filters.map(
    (filter) =>
      sql` AND (e.properties ->> ${filter.property}) = ANY(${textArrayLiteral(filter.values)}::text[])`,
  );
  return sql`SELECT ${index}::int AS request, c.id AS customer_id, ${groupColumn} AS grp, (${aggregateExpression(metric)})::text AS value
    FROM events e
    JOIN customers c ON c.tenant_id = e.tenant_id AND c.external_id = e.customer_external_id
    WHERE e.tenant_id = ${tenantId} AND c.tenant_id = ${tenantId} AND c.id = ANY(${ids}::text[])
      AND e.type = ${metric.eventType}
      AND e.timestamp >= ${from.toISOString()}::timestamptz AND e.timestamp < ${to.toISOString()}::timestamptz
      ${sql.join(filters, sql``)}
    GROUP BY 2, 3`;
}

export function roundValue(value: string, rounding: MetricRounding | null | undefined): string {
  const exact = new Exact(value);
  if (!rounding) return exact.toFixed();
  const mode = { round: Exact.ROUND_HALF_UP, ceil: Exact.ROUND_CEIL, floor: Exact.ROUND_FLOOR }[
    rounding.mode
  ];
  if (rounding.precision >= 0) return exact.toDecimalPlaces(rounding.precision, mode).toFixed();
  const unit = new Exact(10).pow(-rounding.precision);
  return exact.div(unit).toDecimalPlaces(0, mode).mul(unit).toFixed();
}

/**
 * Usage of many customers over [from, to) for many metrics, in ONE grouped SQL statement (a UNION ALL with one
 * branch per request). Events join customers on the external id, so events sent before the customer existed
 * count. Result: per request, customer id → value (a decimal string, or groups when grouped). Customers without
 * events get "0" (or no groups).
 */
export async function aggregateUsage(
  db: Db,
  tenantId: string,
  options: { customerIds: readonly string[]; from: Date; to: Date; requests: readonly AggregationRequest[] },
): Promise<Map<string, UsageValue>[]> {
  const { customerIds, requests } = options;
  const results = requests.map((request) => {
    const map = new Map<string, UsageValue>();
    for (const id of customerIds) map.set(id, request.groupBy?.length ? [] : "0");
    return map;
  });
  if (customerIds.length === 0 || requests.length === 0 || options.from >= options.to) return results;
  const ids = textArrayLiteral([...new Set(customerIds)]);
  const branches = requests.map((request, index) =>
    requestQuery(index, request, tenantId, ids, options.from, options.to),
  );
  const rows = await queryRows<{
    request: number;
    customer_id: string;
    grp: string | null;
    value: string | null;
  }>(db, sql.join(branches, sql` UNION ALL `));
  for (const row of rows) {
    const request = requests[Number(row.request)];
    const value = roundValue(row.value ?? "0", request.metric.rounding);
    const map = results[Number(row.request)];
    const dims = request.groupBy ?? [];
    if (dims.length === 0) {
      map.set(row.customer_id, value);
      continue;
    }
    const keys = JSON.parse(row.grp ?? "[]") as string[];
    const group = Object.fromEntries(dims.map((dim, i) => [dim, keys[i]]));
    (map.get(row.customer_id) as GroupedUsage).push({ group, value });
  }
  for (const [index, request] of requests.entries()) {
    if (!request.groupBy?.length) continue;
    for (const groups of results[index].values()) {
      (groups as GroupedUsage).sort((a, b) => {
        const x = JSON.stringify(Object.values(a.group));
        const y = JSON.stringify(Object.values(b.group));
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
  }
  return results;
}
