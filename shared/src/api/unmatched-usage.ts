import { z } from "zod";
import { dateTime } from "./common.ts";
import { unmatchedReasons } from "./enums.ts";
import { eventSchema, timestampSchema } from "./events.ts";

export const unmatchedUsageQuery = z.object({
  from: timestampSchema.optional().describe("events at or after (default: 30 days before now)"),
  to: timestampSchema.optional().describe("events before (default: 24 hours after now)"),
});
export type UnmatchedUsageQuery = z.infer<typeof unmatchedUsageQuery>;

export const unmatchedUsageSchema = z
  .object({
    from: dateTime,
    to: dateTime,
    reasons: z
      .array(
        z.object({
          reason: z.enum(unmatchedReasons),
          events: z.number().int(),
          groups: z.number().int().describe("how many (customer, subject) groups hold them"),
          message: z.string(),
        }),
      )
      .describe("every reason, in the order noMetric, unknownCustomer, nonNumericValue"),
    groups: z
      .array(
        z.object({
          reason: z.enum(unmatchedReasons),
          customer: z.string().describe("the external id the events name"),
          subject: z.string().describe("the event type (noMetric, unknownCustomer) or the metric key"),
          events: z.number().int(),
          firstTimestamp: dateTime,
          lastTimestamp: dateTime,
          message: z.string(),
          samples: z.array(eventSchema).describe("up to 3 of the group's events, latest first"),
        }),
      )
      .describe("per reason the 100 groups with most events, most first"),
  })
  .meta({ id: "UnmatchedUsage" });
export type UnmatchedUsage = z.infer<typeof unmatchedUsageSchema>;
