import { type SQL, sql } from "drizzle-orm";
import type { RequestParts } from "./aggregate.ts";
import { numericProperty } from "./numeric-value.ts";

/**
 * The `weightedSum` branch of an aggregation statement: the time-weighted average of a level over the window.
 *
 * Each event's property is a change of the level (+5 seats, -2 GB). The level at the window's start is the sum
 * of every earlier change (it carries across periods: nothing resets it); after each event it is the running
 * sum. The value is Σ level × seconds it held ÷ the window's seconds — 10 GB held for the whole month is 10,
 * 20 GB held for half of it is 10. Per customer and group key, like every other aggregation; per day in the
 * daily statement (each day's average over that day's own length). docs/metrics.md gives the examples.
 *
 * Rows of the inner union: the start level at `from` (seq 0), zero changes at each day start (seq 1, daily
 * statement only, so no segment crosses a day), and the window's events (seq 2). Events at one instant all
 * apply before the level is held: only the last row of an instant has a non-zero duration.
 */
export function weightedSumQuery(parts: RequestParts): SQL {
  const { index, metric, scope, groupColumn, conditions, safe, source, customer } = parts;
  // Per account of a hierarchy (`byAccount`): each account's own level, returned in the `day` column.
  const account = scope.byAccount ? sql`r.account` : sql`NULL::text`;
  const change = numericProperty(metric.property ?? "", safe);
  const from = sql`${scope.from.toISOString()}::timestamptz`;
  const to = sql`${scope.to.toISOString()}::timestamptz`;
  const sameType = sql`e.tenant_id = ${scope.tenantId} AND e.type = ${metric.eventType}`;
  // Day starts apply to one customer, ungrouped (the daily statement); each customer gets a zero row per day.
  // The customer is as the other rows name it: its external id, or the routes' owner in a hierarchy.
  const boundaryCustomers = scope.routes
    ? sql`(SELECT DISTINCT r.owner AS customer FROM json_to_recordset(${scope.routes}::json) AS r(owner text)) AS c`
    : sql`unnest(${scope.externalIds}::text[]) AS c(customer)`;
  const dayBoundaries =
    scope.dayStarts && (scope.externalIds || scope.routes)
      ? sql`UNION ALL
        SELECT c.customer, NULL::text, NULL::text, d.t, 1, 0::numeric
        FROM ${boundaryCustomers}, unnest(${scope.dayStarts}::timestamptz[]) AS d(t)`
      : sql``;
  const day = scope.dayStarts ? sql`width_bucket(s.t, ${scope.dayStarts}::timestamptz[])` : sql`1`;
  const extra = scope.dayStarts ? sql`, w.day::text AS day` : scope.byAccount ? sql`, w.acct AS day` : sql``;
  const extraGroup = scope.dayStarts ? sql`, w.day` : scope.byAccount ? sql`, w.acct` : sql``;
  // Each day's own length (the last one ends at `to`); a period's is to - from.
  const length = scope.dayStarts
    ? sql`extract(epoch FROM (coalesce((${scope.dayStarts}::timestamptz[])[w.day + 1], ${to}) - (${scope.dayStarts}::timestamptz[])[w.day]))`
    : sql`extract(epoch FROM (${to} - ${from}))`;
  return sql`SELECT ${index}::int AS request, w.customer, w.grp,
      (sum(w.level * w.seconds) / ${length})::text AS value${extra}
    FROM (
      SELECT s.customer, s.grp, s.acct, ${day} AS day,
        coalesce(sum(s.change) OVER running, 0) AS level,
        extract(epoch FROM (lead(s.t, 1, ${to}) OVER running - s.t)) AS seconds
      FROM (
        SELECT ${customer} AS customer, ${groupColumn} AS grp, ${account} AS acct, ${from} AS t, 0 AS seq,
          sum(${change}) AS change
        FROM ${source}
        WHERE ${sameType} AND e.timestamp < ${from} ${conditions}
        GROUP BY 1, 2, 3
        ${dayBoundaries}
        UNION ALL
        SELECT ${customer}, ${groupColumn}, ${account}, e.timestamp, 2, ${change}
        FROM ${source}
        WHERE ${sameType} AND e.timestamp >= ${from} AND e.timestamp < ${to} ${conditions}
      ) s
      WINDOW running AS (PARTITION BY s.customer, s.grp, s.acct ORDER BY s.t, s.seq ROWS UNBOUNDED PRECEDING)
    ) w
    GROUP BY 2, 3${extraGroup}`;
}
