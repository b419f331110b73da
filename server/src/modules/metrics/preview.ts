import type { GroupedUsage } from "@pricegraph/shared";
import type { MetricPreview, MetricPreviewRequest } from "@pricegraph/shared/api";
import type { Deps } from "../../context.ts";
import { knownExternalIds } from "../unmatched-usage/queries.ts";
import { largestValues, roundValue, totalOf } from "../usage/aggregate.ts";
import { checkProperty } from "./service.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const SHOWN = 20;

/**
 * A definition's value over the last days, per external id, by the same statement billing runs: what the
 * metric form shows while it is edited. Stores nothing.
 */
export async function previewMetric(
  deps: Deps,
  tenantId: string,
  input: MetricPreviewRequest,
): Promise<MetricPreview> {
  const { definition } = input;
  const property = definition.property ?? null;
  const metric = {
    eventType: definition.eventType,
    aggregation: definition.aggregation,
    property,
    filters: definition.filters,
    rounding: definition.rounding ?? null,
  };
  checkProperty(metric, "$.definition");
  const to = deps.clock();
  const from = new Date(to.getTime() - input.days * DAY_MS);
  const window = { from, to };
  const totals = await largestValues(deps.db, tenantId, {
    ...window,
    request: { metric, groupBy: null },
    limit: SHOWN,
  });
  const events = await totalOf(deps.db, tenantId, {
    ...window,
    request: { metric: { ...metric, aggregation: "count", property: null, rounding: null }, groupBy: null },
  });
  const shown = totals.map((row) => row.customer);
  const groups = new Map<string, GroupedUsage>();
  if (definition.groupBy.length && shown.length) {
    const grouped = await largestValues(deps.db, tenantId, {
      ...window,
      request: { metric, groupBy: definition.groupBy },
      externalIds: shown,
      limit: SHOWN * 50,
    });
    for (const row of grouped) {
      const keys = JSON.parse(row.grp ?? "[]") as string[];
      const list = groups.get(row.customer) ?? [];
      list.push({
        group: Object.fromEntries(definition.groupBy.map((dim, i) => [dim, keys[i]])),
        value: roundValue(row.value ?? "0", metric.rounding),
      });
      groups.set(row.customer, list);
    }
    // Groups in key order, as the usage API lists them.
    const key = (g: { group: Record<string, string> }) => JSON.stringify(Object.values(g.group));
    for (const list of groups.values()) list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
  const known = await knownExternalIds(deps.db, tenantId, shown);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    events: Number(events),
    customers: totals.length ? Number(totals[0].customers) : 0,
    values: totals.map((row) => ({
      customer: row.customer,
      known: known.has(row.customer),
      value: roundValue(row.value ?? "0", metric.rounding),
      ...(definition.groupBy.length ? { groups: groups.get(row.customer) ?? [] } : {}),
    })),
  };
}
