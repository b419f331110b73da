import { z } from "zod";
import { dateTime } from "./common.ts";
import { timestampSchema } from "./events.ts";

export const customerUsageQuery = z.object({
  from: timestampSchema.optional(),
  to: timestampSchema.optional(),
});
export type CustomerUsageQuery = z.infer<typeof customerUsageQuery>;

export const customerUsageSchema = z
  .object({
    from: dateTime,
    to: dateTime,
    metrics: z.array(
      z.object({
        key: z.string(),
        value: z.string().describe("decimal"),
        groups: z.array(z.object({ group: z.record(z.string(), z.string()), value: z.string() })).optional(),
      }),
    ),
  })
  .meta({ id: "CustomerUsage" });
export type CustomerUsage = z.infer<typeof customerUsageSchema>;

export const customerDailyUsageQuery = z.object({ from: timestampSchema, to: timestampSchema });
export type CustomerDailyUsageQuery = z.infer<typeof customerDailyUsageQuery>;

export const customerDailyUsageSchema = z
  .object({
    from: dateTime,
    to: dateTime,
    timezone: z.string().describe("the customer's IANA time zone, whose calendar days these are"),
    days: z.array(
      z.object({
        date: z.string().describe("YYYY-MM-DD in the customer's time zone"),
        metrics: z.array(z.object({ key: z.string(), value: z.string().describe("decimal") })),
      }),
    ),
  })
  .meta({ id: "CustomerDailyUsage" });
export type CustomerDailyUsage = z.infer<typeof customerDailyUsageSchema>;
