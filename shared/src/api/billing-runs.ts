import { z } from "zod";
import { dateTime } from "./common.ts";
import { billingRunStatuses } from "./enums.ts";

export const billingRunSchema = z
  .object({
    id: z.string(),
    asOf: dateTime,
    status: z.enum(billingRunStatuses),
    done: z.number().int().describe("contracts processed"),
    total: z.number().int().describe("contracts in the run"),
    invoicesCreated: z.number().int(),
    error: z.string().nullable(),
    createdAt: dateTime,
    finishedAt: dateTime.nullable(),
  })
  .meta({ id: "BillingRun" });
export type BillingRun = z.infer<typeof billingRunSchema>;

export const createBillingRunBody = z.strictObject({
  asOf: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("bill every contract-period that ended by then (default now)"),
});
export type CreateBillingRun = z.infer<typeof createBillingRunBody>;
