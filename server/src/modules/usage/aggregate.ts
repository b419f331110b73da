import { Decimal, type GroupedUsage } from "@pricegraph/shared";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { type Db, queryRows, sqlState } from "../../db/index.ts";
import { customers, type MetricRounding } from "../../db/schema/index.ts";
import type { MetricRow } from "../metrics/queries.ts";
import { type UsageRoute, usageRoutes } from "./routing.ts";

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

/**
 * A property as numeric. The fast form casts directly: ingestion refuses non-numeric values for every metric
 * that sums, so it nearly always succeeds. The safe form (used when the fast one fails on older events sent
 * before the metric existed) counts anything Postgres cannot read as a finite number as 0. Missing is 0 in both.
 */
function numericProperty(property: string, safe: boolean): SQL {
  if (!safe) return sql`coalesce((e.properties ->> ${property})::numeric, 0)`;
  return sql`CASE jsonb_typeof(e.properties -> ${property})
    WHEN 'number' THEN (e.properties -> ${property})::numeric
    WHEN 'string' THEN CASE WHEN (e.properties ->> ${property}) ~ '^ *[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]{1,4})? *$'
      THEN (e.properties ->> ${property})::numeric ELSE 0 END
    ELSE 0 END`;
}

function aggregateExpression(metric: AggregationRequest["metric"], safe: boolean): SQL {
  const property = metric.property ?? "";
  switch (metric.aggregation) {
    case "count":
      return sql`count(*)`;
    case "sum":
      return sql`coalesce(sum(${numericProperty(property, safe)}), 0)`;
    case "min":
      return sql`min(${numericProperty(property, safe)})`;
    case "max":
      return sql`max(${numericProperty(property, safe)})`;
    case "uniqueCount":
      return sql`count(DISTINCT e.properties ->> ${property})`;
    case "latest":
      return sql`(array_agg(${numericProperty(property, safe)} ORDER BY e.timestamp DESC, e.received_at DESC, e.event_id DESC))[1]`;
  }
}

/** Above this many customers one scan of the period's events beats looking customers up one by one. */
const CUSTOMER_LOOKUP_LIMIT = 200;

interface Scope {
  tenantId: string;
  /** A text[] literal of external ids, or null to aggregate every customer of the tenant. */
  externalIds: string | null;
  from: Date;
  to: Date;
  /**
   * A timestamptz[] literal of ascending day starts (the first is `from`): values per day (the `day` column,
   * the 1-based day index), not one per range.
   */
  dayStarts?: string;
  /**
   * Account hierarchies: a JSON array of routes (owner customer id, account customer id, external id and the
   * event times they cover). With it, events count toward their route's owner (the `customer` column is then
   * the owner's customer id), and `byAccount` adds the account as a column.
   */
  routes?: string;
  byAccount?: boolean;
}

/** Routes as the query's recordset: only what SQL reads. */
function routesJson(routes: readonly UsageRoute[]): string {
  return JSON.stringify(
    routes.map((r) => ({
      owner: r.owner,
      account: r.accountId,
      source: r.externalId,
      since: r.since?.toISOString() ?? null,
      until: r.until?.toISOString() ?? null,
    })),
  );
}

function requestQuery(index: number, request: AggregationRequest, scope: Scope, safe: boolean): SQL {
  const { metric } = request;
  const dims = request.groupBy ?? [];
  // Grouped by position (customer, group key): the same expression written twice would carry different
  // parameters and Postgres would not recognise it as the grouping key.
  const groupColumn = dims.length
    ? sql`json_build_array(${sql.join(
        dims.map((dim) => sql`coalesce(e.properties ->> ${dim}, '')`),
        sql`, `,
      )})::text`
    : sql`NULL::text`;
  const filters = metric.filters.map(
    (filter) =>
      sql` AND (e.properties ->> ${filter.property}) = ANY(${textArrayLiteral(filter.values)}::text[])`,
  );
  const customers = scope.externalIds
    ? sql` AND e.customer_external_id = ANY(${scope.externalIds}::text[])`
    : sql``;
  // Only per-day queries carry the day column: billing's statement stays exactly as benchmarked.
  const day = scope.dayStarts
    ? sql`, width_bucket(e.timestamp, ${scope.dayStarts}::timestamptz[])::text AS day`
    : scope.byAccount
      ? sql`, r.account AS day`
      : sql``;
  // With an account hierarchy, events reach their owner through the routes (by external id and time).
  const source = scope.routes
    ? sql`events e JOIN json_to_recordset(${scope.routes}::json)
        AS r(owner text, account text, source text, since timestamptz, until timestamptz)
        ON e.customer_external_id = r.source AND (r.since IS NULL OR e.timestamp >= r.since)
          AND (r.until IS NULL OR e.timestamp < r.until)`
    : sql`events e`;
  const customer = scope.routes ? sql`r.owner` : sql`e.customer_external_id`;
  return sql`SELECT ${index}::int AS request, ${customer} AS customer, ${groupColumn} AS grp,
      (${aggregateExpression(metric, safe)})::text AS value${day}
    FROM ${source}
    WHERE e.tenant_id = ${scope.tenantId} AND e.type = ${metric.eventType}
      AND e.timestamp >= ${scope.from.toISOString()}::timestamptz AND e.timestamp < ${scope.to.toISOString()}::timestamptz
      ${customers}${sql.join(filters, sql``)}
    GROUP BY 2, 3${scope.dayStarts || scope.byAccount ? sql`, 5` : sql``}`;
}

interface AggregateRow {
  request: number;
  customer: string;
  grp: string | null;
  value: string | null;
  /** Per-day queries: the 1-based index of the day; per-account queries: the account's customer id. */
  day?: string;
}

const FINITE = /^-?\d+(\.\d+)?$/;

async function runAggregation(
  db: Db,
  requests: readonly AggregationRequest[],
  scope: Scope,
): Promise<AggregateRow[]> {
  const statement = (safe: boolean) =>
    sql.join(
      requests.map((request, index) => requestQuery(index, request, scope, safe)),
      sql` UNION ALL `,
    );
  try {
    // Inside a caller's transaction a savepoint keeps it usable if the fast cast fails; outside, no wrapper.
    const rows =
      (db as unknown) instanceof PgTransaction
        ? await db.transaction((tx) => queryRows<AggregateRow>(tx as unknown as Db, statement(false)))
        : await queryRows<AggregateRow>(db, statement(false));
    if (rows.every((row) => row.value === null || FINITE.test(row.value))) return rows;
  } catch (error) {
    const code = sqlState(error);
    if (code !== "22P02" && code !== "22003") throw error;
  }
  return queryRows<AggregateRow>(db, statement(true));
}

/**
 * Rounds an aggregated value exactly, whatever its digits: the constructor, toDecimalPlaces and toNearest never
 * round to the configured precision, so the one Decimal configuration serves here too.
 */
export function roundValue(value: string, rounding: MetricRounding | null | undefined): string {
  const exact = new Decimal(value);
  if (!rounding) return exact.toFixed();
  const mode = { round: Decimal.ROUND_HALF_UP, ceil: Decimal.ROUND_CEIL, floor: Decimal.ROUND_FLOOR }[
    rounding.mode
  ];
  if (rounding.precision >= 0) return exact.toDecimalPlaces(rounding.precision, mode).toFixed();
  return exact.toNearest(new Decimal(10).pow(-rounding.precision), mode).toFixed();
}

/**
 * Where the events of the customers `ids` come from. Events name customers by external id: without an account
 * hierarchy, `idOf` maps external id → customer id; with one, `routes` say which events count toward whom
 * (a child's events go to its parent for the times it was one) and rows already carry the owner's id.
 */
async function customerSources(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<{ idOf: Map<string, string>; routes: UsageRoute[] | null }> {
  const routes = await usageRoutes(db, tenantId, [...new Set(ids)]);
  if (routes) return { idOf: new Map(ids.map((id) => [id, id])), routes };
  return { idOf: await externalIds(db, tenantId, ids), routes: null };
}

/** Events name customers by external id: external id → customer id, for the tenant's customers among `ids`. */
async function externalIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: customers.id, externalId: customers.externalId })
    .from(customers)
    .where(
      and(
        eq(customers.tenantId, tenantId),
        sql`${customers.id} = ANY(${textArrayLiteral([...new Set(ids)])}::text[])`,
      ),
    );
  return new Map(rows.map((row) => [row.externalId, row.id]));
}

/**
 * One customer's usage per day over [days[0].start, to), ungrouped, in one statement: per request, one value per
 * day ("0" where it has no events). Each day is aggregated on its own, so a max or a unique count is that day's,
 * not a share of the range's. Values are before the metric's rounding, which applies to a billing period's
 * total, not to its days. Day starts come from the caller (local midnights of the customer's zone), so days
 * follow the same calendar as billing periods.
 */
export async function aggregateUsageByDay(
  db: Db,
  tenantId: string,
  options: { customerId: string; days: readonly Date[]; to: Date; requests: readonly AggregationRequest[] },
): Promise<string[][]> {
  const { days, to } = options;
  const results = options.requests.map(() => days.map(() => "0"));
  if (options.requests.length === 0 || days.length === 0 || days[0] >= to) return results;
  const { idOf, routes } = await customerSources(db, tenantId, [options.customerId]);
  if (idOf.size === 0 || routes?.length === 0) return results;
  const scope: Scope = {
    tenantId,
    externalIds: routes ? null : textArrayLiteral([...idOf.keys()]),
    routes: routes ? routesJson(routes) : undefined,
    from: days[0],
    to,
    dayStarts: `{${days.map((d) => d.toISOString()).join(",")}}`,
  };
  const requests = options.requests.map((request) => ({ ...request, groupBy: null }));
  for (const row of await runAggregation(db, requests, scope)) {
    results[Number(row.request)][Number(row.day) - 1] = roundValue(row.value ?? "0", null);
  }
  return results;
}

/**
 * Usage of many customers over [from, to) for many metrics, in ONE grouped SQL statement (a UNION ALL with one
 * branch per request), after one lookup of the customers' external ids. Events are matched on the external id,
 * so events sent before the customer existed count. Result: per request, customer id → value (a decimal string,
 * or groups when grouped). Customers without events get "0" (or no groups).
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
  const { idOf, routes } = await customerSources(db, tenantId, customerIds);
  if (idOf.size === 0 || routes?.length === 0) return results;
  const scope: Scope = {
    tenantId,
    externalIds: !routes && idOf.size <= CUSTOMER_LOOKUP_LIMIT ? textArrayLiteral([...idOf.keys()]) : null,
    routes: routes ? routesJson(routes) : undefined,
    from: options.from,
    to: options.to,
  };
  const rows = await runAggregation(db, requests, scope);
  for (const row of rows) {
    const customerId = idOf.get(row.customer);
    if (customerId === undefined) continue;
    const request = requests[Number(row.request)];
    const value = roundValue(row.value ?? "0", request.metric.rounding);
    const map = results[Number(row.request)];
    const dims = request.groupBy ?? [];
    if (dims.length === 0) {
      map.set(customerId, value);
      continue;
    }
    const keys = JSON.parse(row.grp ?? "[]") as string[];
    const group = Object.fromEntries(dims.map((dim, i) => [dim, keys[i]]));
    (map.get(customerId) as GroupedUsage).push({ group, value });
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

/** One account's part of a customer's usage of a metric (before the metric's rounding, which is the total's). */
export interface AccountUsage {
  customerId: string;
  externalId: string;
  value: string;
}

/**
 * Usage of the customers `customerIds` split by the account whose events made it — only for customers with
 * child accounts (others are missing from the result): per request (ungrouped), customer id → accounts, the
 * customer's own events under its own id. For sum and count the parts add up to the total.
 */
export async function aggregateUsageByAccount(
  db: Db,
  tenantId: string,
  options: { customerIds: readonly string[]; from: Date; to: Date; requests: readonly AggregationRequest[] },
): Promise<Map<string, AccountUsage[]>[]> {
  const results = options.requests.map(() => new Map<string, AccountUsage[]>());
  if (options.customerIds.length === 0 || options.requests.length === 0 || options.from >= options.to)
    return results;
  const routes = await usageRoutes(db, tenantId, [...new Set(options.customerIds)]);
  const withChildren = new Set((routes ?? []).filter((r) => r.accountId !== r.owner).map((r) => r.owner));
  if (!routes || withChildren.size === 0) return results;
  const kept = routes.filter((r) => withChildren.has(r.owner));
  const externalIdOf = new Map(kept.map((r) => [r.accountId, r.externalId]));
  const scope: Scope = {
    tenantId,
    externalIds: null,
    routes: routesJson(kept),
    byAccount: true,
    from: options.from,
    to: options.to,
  };
  const requests = options.requests.map((request) => ({ ...request, groupBy: null }));
  for (const row of await runAggregation(db, requests, scope)) {
    const map = results[Number(row.request)];
    const accounts = map.get(row.customer) ?? [];
    const accountId = row.day ?? "";
    accounts.push({
      customerId: accountId,
      externalId: externalIdOf.get(accountId) ?? "",
      value: roundValue(row.value ?? "0", null),
    });
    map.set(row.customer, accounts);
  }
  for (const map of results)
    for (const accounts of map.values()) accounts.sort((a, b) => a.externalId.localeCompare(b.externalId));
  return results;
}
