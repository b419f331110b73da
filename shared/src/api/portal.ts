import { z } from "zod";
import { dateTime } from "./common.ts";
import { timestampSchema } from "./events.ts";
import { invoiceSchema } from "./invoices.ts";
import { paymentStatusSchema } from "./receivables.ts";

const decimal = z.string().describe("decimal");

export const portalLinkSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    expiresAt: dateTime,
    revokedAt: dateTime.nullable(),
    active: z.boolean(),
    createdAt: dateTime,
  })
  .meta({ id: "PortalLink" });
export type PortalLink = z.infer<typeof portalLinkSchema>;

export const createdPortalLinkSchema = portalLinkSchema
  .extend({ url: z.string().describe("the link to give the customer: shown in this response only") })
  .meta({ id: "CreatedPortalLink" });
export type CreatedPortalLink = z.infer<typeof createdPortalLinkSchema>;

export const createPortalLinkBody = z
  .strictObject({
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(90 * 24)
      .default(7 * 24)
      .describe("1 hour to 90 days"),
  })
  .optional();

export const portalPeriodSchema = z.object({
  contractId: z.string(),
  currency: z.string(),
  periodStart: dateTime,
  periodEnd: dateTime,
  periodStartDate: z.string().describe("the period's first day in the customer's time zone"),
  periodEndDate: z.string().describe("the day after its last (exclusive)"),
  metrics: z.array(z.object({ key: z.string(), value: decimal })),
  freeUnits: z.array(
    z.object({
      nodeId: z.string(),
      label: z.string().nullable(),
      metric: z.string().nullable(),
      used: decimal,
      free: decimal,
      billable: decimal,
      allowance: decimal.nullable(),
      remaining: decimal.nullable(),
    }),
  ),
  lines: z.array(z.object({ description: z.string(), quantity: decimal.nullable(), amount: decimal })),
  total: decimal,
  credits: z.array(z.object({ pool: z.string(), opening: decimal, used: decimal, closing: decimal })),
});
export type PortalPeriod = z.infer<typeof portalPeriodSchema>;

/** Where the customer stands with one invoice: null for a void invoice, which asks for nothing. */
export const portalPaymentSchema = z
  .object({
    status: paymentStatusSchema,
    dueDate: z.string().describe("YYYY-MM-DD"),
    paid: decimal,
    outstanding: decimal,
  })
  .nullable();

export const portalInvoiceSchema = invoiceSchema.extend({ payment: portalPaymentSchema });
export type PortalInvoice = z.infer<typeof portalInvoiceSchema>;

export const portalCreditNoteSchema = z.object({
  id: z.string(),
  number: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string().nullable(),
  currency: z.string(),
  amount: decimal,
  reason: z.string().nullable(),
  createdAt: dateTime,
});
export type PortalCreditNote = z.infer<typeof portalCreditNoteSchema>;

export const portalOverviewSchema = z
  .object({
    customer: z.object({ name: z.string(), externalId: z.string(), timezone: z.string() }),
    expiresAt: dateTime,
    periods: z.array(portalPeriodSchema),
    invoices: z.array(portalInvoiceSchema),
    creditNotes: z.array(portalCreditNoteSchema),
  })
  .meta({ id: "PortalOverview" });
export type PortalOverview = z.infer<typeof portalOverviewSchema>;

export const portalDailyUsageQuery = z.object({ from: timestampSchema, to: timestampSchema });

export const portalDailyUsageSchema = z.object({
  from: dateTime,
  to: dateTime,
  timezone: z.string(),
  days: z.array(
    z.object({ date: z.string(), metrics: z.array(z.object({ key: z.string(), value: decimal })) }),
  ),
});
export type PortalDailyUsage = z.infer<typeof portalDailyUsageSchema>;
