import { z } from "zod";
import { dateTime, optionalText, text } from "./common.ts";
import { aggregations, roundingModes } from "./enums.ts";

export const metricKey = text(100).regex(
  /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/,
  "must start with a letter, digit or _ and hold only letters, digits, _ . : -",
);

const filterSchema = z.strictObject({
  property: text(255),
  values: z
    .array(optionalText(1000))
    .min(1)
    .max(100)
    .describe("the event matches when the property equals one of them"),
});

const roundingSchema = z
  .strictObject({
    mode: z.enum(roundingModes),
    precision: z
      .number()
      .int()
      .min(-30)
      .max(30)
      .describe("decimal places; negative rounds to tens, hundreds…"),
  })
  .describe("applied to the aggregated value");

const groupBySchema = z
  .array(text(255))
  .max(10)
  .refine((dims) => new Set(dims).size === dims.length, "dimensions must be distinct");

const metricFields = {
  name: text(200),
  description: optionalText(2000).nullish(),
  eventType: text(255).describe("events of this `type` count for the metric"),
  aggregation: z.enum(aggregations),
  property: text(255).nullish().describe("the event property aggregated (not for count)"),
  filters: z.array(filterSchema).max(20),
  groupBy: groupBySchema,
  rounding: roundingSchema.nullish(),
};

export const createMetricBody = z.strictObject({
  key: metricKey.describe("what a plan's usage nodes name"),
  ...metricFields,
  name: metricFields.name.optional(),
  filters: metricFields.filters.default([]),
  groupBy: metricFields.groupBy.default([]),
});
export type CreateMetric = z.infer<typeof createMetricBody>;

export const updateMetricBody = z.strictObject({
  name: metricFields.name.optional(),
  description: metricFields.description,
  eventType: metricFields.eventType.optional(),
  aggregation: metricFields.aggregation.optional(),
  property: metricFields.property,
  filters: metricFields.filters.optional(),
  groupBy: metricFields.groupBy.optional(),
  rounding: metricFields.rounding,
});
export type UpdateMetric = z.infer<typeof updateMetricBody>;

export const metricSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    eventType: z.string(),
    aggregation: z.enum(aggregations),
    property: z.string().nullable(),
    filters: z.array(z.object({ property: z.string(), values: z.array(z.string()) })),
    groupBy: z.array(z.string()),
    rounding: z.object({ mode: z.enum(roundingModes), precision: z.number().int() }).nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: "Metric" });
export type Metric = z.infer<typeof metricSchema>;

export const metricKeyParams = z.object({ key: metricKey });

export const metricPreviewBody = z.strictObject({
  definition: z
    .strictObject({
      eventType: metricFields.eventType,
      aggregation: metricFields.aggregation,
      property: metricFields.property,
      filters: metricFields.filters.default([]),
      groupBy: metricFields.groupBy.default([]),
      rounding: metricFields.rounding,
    })
    .describe("a metric as the form holds it, saved or not"),
  days: z.number().int().min(1).max(90).default(30).describe("the window: this many days up to now"),
});
export type MetricPreviewBody = z.input<typeof metricPreviewBody>;
export type MetricPreviewRequest = z.infer<typeof metricPreviewBody>;

export const metricPreviewSchema = z
  .object({
    from: dateTime,
    to: dateTime,
    events: z.number().int().describe("events in the window the definition reads (type and filters)"),
    customers: z.number().int().describe("external ids with a value"),
    values: z
      .array(
        z.object({
          customer: z.string().describe("the external id the events name"),
          known: z
            .boolean()
            .describe("whether a customer has this external id (else the usage bills nobody)"),
          value: z.string().describe("decimal, after the metric's rounding"),
          groups: z
            .array(z.object({ group: z.record(z.string(), z.string()), value: z.string() }))
            .optional(),
        }),
      )
      .describe("the 20 largest values"),
  })
  .meta({ id: "MetricPreview" });
export type MetricPreview = z.infer<typeof metricPreviewSchema>;
