import { z } from "zod";
import { dateOrInstantInRange } from "./common.ts";
import { invoiceConsolidations } from "./enums.ts";
import { evaluationLineSchema } from "./plans.ts";

export const usageReportQuery = z.object({
  periodStart: dateOrInstantInRange
    .optional()
    .describe("a date or instant within the period (default: the current period)"),
});
export type UsageReportQuery = z.infer<typeof usageReportQuery>;

/** The days of the phase a part of a report was priced on, when a phase change splits the period. */
const phaseLabel = z
  .string()
  .nullable()
  .describe("the phase's days (like an invoice line's label) when an amendment splits the period; else null");

const componentIdField = z
  .string()
  .nullable()
  .describe("the contract add-on whose plan prices it; null: the base plan");

export const usageReportSchema = z
  .object({
    contractId: z.string(),
    currency: z.string(),
    period: z.object({
      start: z.string(),
      end: z.string(),
      startDate: z.string(),
      endDate: z.string(),
      proration: z.string(),
      complete: z.boolean(),
      today: z.string(),
    }),
    metrics: z.array(
      z.object({
        key: z.string(),
        groupBy: z.array(z.string()),
        value: z.unknown(),
        accounts: z
          .array(z.object({ customerId: z.string(), externalId: z.string(), value: z.string() }))
          .describe(
            "the usage by account when child accounts' events count toward the customer (its own events under " +
              "its own id; before the metric's rounding); empty otherwise",
          ),
      }),
    ),
    freeUnits: z.array(
      z.object({
        nodeId: z.string(),
        label: z.string().nullable(),
        metric: z.string().nullable(),
        used: z.string(),
        free: z.string(),
        billable: z.string(),
        allowance: z.string().nullable(),
        remaining: z.string().nullable(),
        phase: phaseLabel,
        componentId: componentIdField,
      }),
    ),
    lines: z.array(
      evaluationLineSchema
        .pick({
          nodeId: true,
          description: true,
          product: true,
          timing: true,
          quantity: true,
          amount: true,
        })
        .extend({ phase: phaseLabel, componentId: componentIdField }),
    ),
    total: z.string(),
  })
  .meta({ id: "UsageReport" });
export type UsageReport = z.infer<typeof usageReportSchema>;

const gracePeriodHours = z
  .number()
  .int()
  .min(0)
  .max(24 * 90);

const scheduledRuns = z
  .boolean()
  .describe("billing runs start by themselves once a day after a period closes (default true)");
const scheduledRunHour = z
  .number()
  .int()
  .min(0)
  .max(23)
  .describe("the hour of the day (UTC) at which the scheduled run starts (default 2)");

const invoiceConsolidation = z
  .enum(invoiceConsolidations)
  .describe(
    "`per_contract` (default): one invoice per contract and period. `per_customer`: a customer's contracts whose " +
      "periods coincide (same start, end and currency) are billed on one consolidated invoice per period; " +
      "applies to invoices created after the change",
  );

export const billingSettingsSchema = z
  .object({ gracePeriodHours, scheduledRuns, scheduledRunHour, invoiceConsolidation })
  .meta({ id: "BillingSettings" });
export type BillingSettings = z.infer<typeof billingSettingsSchema>;

/** Settings left out keep their value. */
export const updateBillingSettingsBody = z.strictObject({
  gracePeriodHours: gracePeriodHours.optional(),
  scheduledRuns: scheduledRuns.optional(),
  scheduledRunHour: scheduledRunHour.optional(),
  invoiceConsolidation: invoiceConsolidation.optional(),
});
export type UpdateBillingSettings = z.infer<typeof updateBillingSettingsBody>;
