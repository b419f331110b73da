import { and, eq, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import { customers, events, metrics } from "../../db/schema/index.ts";
import type { MetricRow } from "../metrics/queries.ts";
import { NUMERIC_AGGREGATIONS } from "../metrics/service.ts";
import { textArrayLiteral } from "../usage/aggregate.ts";
import { numericProperty } from "../usage/numeric-value.ts";

export type MatchingMetric = Pick<MetricRow, "key" | "eventType" | "aggregation" | "property" | "filters">;

export async function matchingMetrics(db: Db, tenantId: string): Promise<MatchingMetric[]> {
  return db
    .select({
      key: metrics.key,
      eventType: metrics.eventType,
      aggregation: metrics.aggregation,
      property: metrics.property,
      filters: metrics.filters,
    })
    .from(metrics)
    .where(eq(metrics.tenantId, tenantId));
}

/** Which of `externalIds` name a customer of the tenant (one indexed lookup). */
export async function knownExternalIds(db: Db, tenantId: string, externalIds: readonly string[]) {
  if (externalIds.length === 0) return new Set<string>();
  const rows = await db
    .select({ externalId: customers.externalId })
    .from(customers)
    .where(
      and(
        eq(customers.tenantId, tenantId),
        sql`${customers.externalId} = ANY(${textArrayLiteral(externalIds)}::text[])`,
      ),
    );
  return new Set(rows.map((row) => row.externalId));
}

export interface UnmatchedGroupRow {
  reason: "noMetric" | "unknownCustomer" | "nonNumericValue";
  customer: string;
  subject: string;
  events: number;
  first_at: string;
  last_at: string;
  sample_ids: string[];
  reason_events: number;
  reason_groups: number;
}

const GROUPS_PER_REASON = 100;

/**
 * Unmatched events over [from, to), grouped per reason, customer and subject, computed from what exists now:
 * events count again as soon as their metric or customer is created. One statement: a branch per reason (one per
 * numeric metric for non-numeric values), each reason's totals over all its groups, its largest groups kept.
 */
export async function unmatchedGroups(
  db: Db,
  tenantId: string,
  options: { from: Date; to: Date; metrics: readonly MatchingMetric[] },
): Promise<UnmatchedGroupRow[]> {
  const window = sql`e.tenant_id = ${tenantId}
    AND e.timestamp >= ${options.from.toISOString()}::timestamptz AND e.timestamp < ${options.to.toISOString()}::timestamptz`;
  const columns = (reason: string, subject: SQL) =>
    sql`${reason}::text AS reason, e.customer_external_id AS customer, ${subject} AS subject, count(*)::int AS events,
      min(e.timestamp) AS first_at, max(e.timestamp) AS last_at,
      (array_agg(e.event_id ORDER BY e.timestamp DESC, e.event_id DESC))[1:3] AS sample_ids`;
  const types = textArrayLiteral([...new Set(options.metrics.map((m) => m.eventType))]);
  const branches: SQL[] = [
    sql`SELECT ${columns("noMetric", sql`e.type`)} FROM events e
      WHERE ${window} AND e.type <> ALL(${types}::text[]) GROUP BY 2, 3`,
    sql`SELECT ${columns("unknownCustomer", sql`e.type`)} FROM events e
      WHERE ${window} AND NOT EXISTS (SELECT 1 FROM customers c
        WHERE c.tenant_id = ${tenantId} AND c.external_id = e.customer_external_id)
      GROUP BY 2, 3`,
  ];
  for (const metric of options.metrics) {
    if (!metric.property || !NUMERIC_AGGREGATIONS.has(metric.aggregation)) continue;
    const filters = metric.filters.map(
      (filter) =>
        sql` AND (e.properties ->> ${filter.property}) = ANY(${textArrayLiteral(filter.values)}::text[])`,
    );
    branches.push(
      sql`SELECT ${columns("nonNumericValue", sql`${metric.key}::text`)} FROM events e
        WHERE ${window} AND e.type = ${metric.eventType}${sql.join(filters, sql``)}
          AND ${numericProperty(metric.property, true)} IS NULL
        GROUP BY 2, 3`,
    );
  }
  return queryRows<UnmatchedGroupRow>(
    db,
    sql`SELECT * FROM (
      SELECT u.*, (sum(u.events) OVER per_reason)::int AS reason_events, (count(*) OVER per_reason)::int AS reason_groups,
        row_number() OVER (PARTITION BY u.reason ORDER BY u.events DESC, u.customer, u.subject) AS rank
      FROM (${sql.join(branches, sql` UNION ALL `)}) u
      WINDOW per_reason AS (PARTITION BY u.reason)
    ) ranked
    WHERE rank <= ${GROUPS_PER_REASON}
    ORDER BY events DESC, reason, customer, subject`,
  );
}

/** Events by id, for a group's samples. */
export async function eventsByIds(db: Db, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(events)
    .where(
      and(eq(events.tenantId, tenantId), sql`${events.eventId} = ANY(${textArrayLiteral(ids)}::text[])`),
    );
}
