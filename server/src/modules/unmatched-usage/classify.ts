import type { EventInput, IngestUnmatched, UnmatchedReason } from "@pricegraph/shared/api";
import { NUMERIC_AGGREGATIONS } from "../metrics/service.ts";
import { beyondDecimalBound, countsAsNumber } from "../usage/numeric-value.ts";
import type { MatchingMetric } from "./queries.ts";

/**
 * What an event is matched against: the tenant's metrics and which of the batch's customer external ids name a
 * customer. Routing an event to a customer (an account hierarchy, aliases) changes only `knownCustomers`.
 */
export interface MatchingContext {
  metrics: readonly MatchingMetric[];
  knownCustomers: ReadonlySet<string>;
}

const MAX_REASONS = 20;
const MAX_SAMPLES = 3;

/** A property as the metric filters compare it: text as itself, numbers and booleans as their JSON text. */
function filterText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function passesFilters(metric: MatchingMetric, properties: Record<string, unknown>): boolean {
  return metric.filters.every((filter) => {
    const value = filterText(properties[filter.property]);
    return value !== undefined && filter.values.includes(value);
  });
}

/** Why one event counts for nothing today, with what is missing: [] when it counts. */
export function unmatchedReasonsOf(
  event: EventInput,
  context: MatchingContext,
  metricsOfType: readonly MatchingMetric[],
): { reason: UnmatchedReason; subject: string }[] {
  const reasons: { reason: UnmatchedReason; subject: string }[] = [];
  if (metricsOfType.length === 0) reasons.push({ reason: "noMetric", subject: event.type });
  if (!context.knownCustomers.has(event.customer)) {
    reasons.push({ reason: "unknownCustomer", subject: event.customer });
  }
  for (const metric of metricsOfType) {
    if (!metric.property || !NUMERIC_AGGREGATIONS.has(metric.aggregation)) continue;
    const value = event.properties[metric.property];
    // Missing (or null) counts as 0 by the aggregation's rule; only a present non-number is lost.
    if (countsAsNumber(value)) continue;
    if (passesFilters(metric, event.properties))
      reasons.push({ reason: "nonNumericValue", subject: metric.key });
  }
  return reasons;
}

/** A group's explanation; `metrics` gives the property a nonNumericValue metric reads. */
export function unmatchedMessage(
  reason: UnmatchedReason,
  subject: string,
  metrics: readonly MatchingMetric[],
): string {
  switch (reason) {
    case "noMetric":
      return `type "${subject}" matches no metric`;
    case "unknownCustomer":
      return `no customer has the external id "${subject}"`;
    case "nonNumericValue": {
      const property = metrics.find((m) => m.key === subject)?.property ?? "";
      return `metric "${subject}" reads "${property}", which is not a number here`;
    }
  }
}

/** The ingest response's account of events that count for nothing: how many, and why. */
export function classifyBatch(events: readonly EventInput[], context: MatchingContext): IngestUnmatched {
  const byType = new Map<string, MatchingMetric[]>();
  for (const metric of context.metrics) {
    const list = byType.get(metric.eventType) ?? [];
    list.push(metric);
    byType.set(metric.eventType, list);
  }
  const groups = new Map<
    string,
    { reason: UnmatchedReason; subject: string; events: number; sampleIds: string[] }
  >();
  let unmatched = 0;
  for (const event of events) {
    const reasons = unmatchedReasonsOf(event, context, byType.get(event.type) ?? []);
    if (reasons.length === 0) continue;
    unmatched++;
    for (const { reason, subject } of reasons) {
      const key = `${reason}\u0000${subject}`;
      let group = groups.get(key);
      if (!group) {
        group = { reason, subject, events: 0, sampleIds: [] };
        groups.set(key, group);
      }
      group.events++;
      if (group.sampleIds.length < MAX_SAMPLES) group.sampleIds.push(event.id);
    }
  }
  const reasons = [...groups.values()]
    .sort((a, b) => b.events - a.events || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
    .slice(0, MAX_REASONS)
    .map((group) => ({ ...group, message: unmatchedMessage(group.reason, group.subject, context.metrics) }));
  return { events: unmatched, reasons };
}

/** Values beyond the 40-digit bound where a numeric metric reads: per event index, the property and metric. */
export function valuesBeyondBound(
  events: readonly EventInput[],
  metrics: readonly MatchingMetric[],
): { index: number; property: string; metric: string }[] {
  const numeric = metrics.filter((m) => m.property && NUMERIC_AGGREGATIONS.has(m.aggregation));
  if (numeric.length === 0) return [];
  const found: { index: number; property: string; metric: string }[] = [];
  events.forEach((event, index) => {
    for (const metric of numeric) {
      const property = metric.property as string;
      if (metric.eventType === event.type && beyondDecimalBound(event.properties[property])) {
        found.push({ index, property, metric: metric.key });
      }
    }
  });
  return found;
}
