import type { Aggregation, CreateMetric, Metric, RoundingMode, UpdateMetric } from "@pricegraph/shared/api";

/** What each aggregation means, in the words the form shows. */
export const aggregationCopy: Record<Aggregation, { label: string; help: string }> = {
  count: { label: "Count of events", help: "How many matching events the period holds." },
  sum: { label: "Sum", help: "The property's values added up." },
  min: { label: "Minimum", help: "The smallest value of the property in the period." },
  max: { label: "Maximum", help: "The largest value of the property in the period (peak usage)." },
  uniqueCount: { label: "Unique count", help: "How many distinct values the property takes (active users)." },
  latest: { label: "Latest value", help: "The value of the event with the latest timestamp." },
  weightedSum: {
    label: "Weighted sum (time-weighted level)",
    help:
      "Each event changes a level by its value (+5 seats, −2 GB); the usage is the level's average over the " +
      "period, weighted by how long each level held. 10 GB for the whole month is 10 GB-months; the level " +
      "carries into the next period.",
  },
};

/** The form's own state: text as typed, turned into the API's shape on save and preview. */
export interface MetricFormState {
  key: string;
  name: string;
  description: string;
  eventType: string;
  aggregation: Aggregation;
  property: string;
  filters: { property: string; values: string }[];
  groupBy: string;
  roundingMode: RoundingMode | "";
  roundingPrecision: string;
}

export const emptyMetricForm: MetricFormState = {
  key: "",
  name: "",
  description: "",
  eventType: "",
  aggregation: "count",
  property: "",
  filters: [],
  groupBy: "",
  roundingMode: "",
  roundingPrecision: "0",
};

export function formOf(metric: Metric): MetricFormState {
  return {
    key: metric.key,
    name: metric.name,
    description: metric.description ?? "",
    eventType: metric.eventType,
    aggregation: metric.aggregation,
    property: metric.property ?? "",
    filters: metric.filters.map((f) => ({ property: f.property, values: f.values.join(", ") })),
    groupBy: metric.groupBy.join(", "),
    roundingMode: metric.rounding?.mode ?? "",
    roundingPrecision: String(metric.rounding?.precision ?? 0),
  };
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** The definition fields every request carries (create, update, preview). */
export function definitionOf(form: MetricFormState) {
  const precision = Number(form.roundingPrecision);
  return {
    eventType: form.eventType.trim(),
    aggregation: form.aggregation,
    property: form.aggregation === "count" ? null : form.property.trim() || null,
    filters: form.filters
      .filter((f) => f.property.trim())
      .map((f) => ({ property: f.property.trim(), values: list(f.values) })),
    groupBy: list(form.groupBy),
    rounding:
      form.roundingMode === ""
        ? null
        : { mode: form.roundingMode, precision: Number.isInteger(precision) ? precision : 0 },
  };
}

export function createBody(form: MetricFormState): CreateMetric {
  return {
    key: form.key.trim(),
    name: form.name.trim() || form.key.trim(),
    description: form.description.trim() || null,
    ...definitionOf(form),
  };
}

export function updateBody(form: MetricFormState): UpdateMetric {
  return {
    name: form.name.trim() || form.key,
    description: form.description.trim() || null,
    ...definitionOf(form),
  };
}

/** Enough to ask for a preview: a type, and a property when the aggregation reads one. */
export function previewable(form: MetricFormState): boolean {
  return form.eventType.trim() !== "" && (form.aggregation === "count" || form.property.trim() !== "");
}
