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
