import { z } from "zod";
import { dateTime, text } from "./common.ts";

const threshold = z
  .string()
  .max(40)
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string such as "100"');

export const createAlertBody = z
  .strictObject({
    name: text(200),
    kind: z
      .enum(["usage", "spend", "credit_balance"])
      .describe("usage of `metricKey`, spend so far in the period, or credits left (fires at or below)"),
    metricKey: text(100).optional().describe("the metric, for `usage` alerts"),
    customerId: text(100)
      .optional()
      .describe("one customer; absent: every customer of the tenant, each on its own"),
    thresholds: z.array(threshold).min(1).max(20),
  })
  .superRefine((body, ctx) => {
    if (body.kind === "usage" && !body.metricKey) {
      ctx.addIssue({ code: "custom", path: ["metricKey"], message: "is required for a usage alert" });
    }
    if (body.kind !== "usage" && body.metricKey) {
      ctx.addIssue({ code: "custom", path: ["metricKey"], message: "is only for usage alerts" });
    }
  });
export type CreateAlert = z.infer<typeof createAlertBody>;

export const alertSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["usage", "spend", "credit_balance"]),
    metricKey: z.string().nullable(),
    customerId: z.string().nullable(),
    thresholds: z.array(z.string()),
    createdAt: dateTime,
  })
  .meta({ id: "Alert" });
export type Alert = z.infer<typeof alertSchema>;

export const firingSchema = z
  .object({
    id: z.string(),
    alertId: z.string(),
    alertName: z.string(),
    kind: z.string(),
    metricKey: z.string().nullable(),
    customerId: z.string(),
    contractId: z.string(),
    periodStart: dateTime,
    threshold: z.string(),
    value: z.string().describe("the measured value that crossed the threshold"),
    firedAt: dateTime,
  })
  .meta({ id: "AlertFiring" });
export type AlertFiring = z.infer<typeof firingSchema>;

export const firingsQuery = z.object({
  alertId: z.string().max(100).optional(),
  customerId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1000).optional(),
});
