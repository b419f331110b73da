import { dateTime, optionalText, paymentStatusSchema, text } from "@pricegraph/shared/api";
import { z } from "zod";
import { taxTreatments, usageReportSchedules } from "../../db/schema/index.ts";

const money = z.string().describe("decimal string in the invoice currency");
const localDate = z.iso.date().describe("YYYY-MM-DD");

export const customerBillingSchema = z
  .object({
    customerId: z.string(),
    address: z.string(),
    emails: z.array(z.string()).describe("where invoices, receipts and reminders go"),
    paymentTermsDays: z.number().int().nullable().describe("null: the tenant's default terms"),
    taxTreatment: z
      .enum(taxTreatments)
      .describe("`default` tenant rate, `rate` the given rate, `exempt` no tax"),
    taxRateId: z.string().nullable(),
    usageReports: z.enum(usageReportSchedules).describe("opt-in usage report e-mails"),
    balances: z
      .array(z.object({ currency: z.string(), amount: money }))
      .describe("credit from overpayments, applied to the next invoices"),
    updatedAt: dateTime.nullable(),
  })
  .meta({ id: "CustomerBilling" });
export type CustomerBilling = z.infer<typeof customerBillingSchema>;

export const putCustomerBillingBody = z.strictObject({
  address: optionalText(2000).default(""),
  emails: z.array(z.email().max(320)).max(20).default([]),
  paymentTermsDays: z.number().int().min(0).max(365).nullish(),
  taxTreatment: z.enum(taxTreatments).default("default"),
  taxRateId: text(100).nullish(),
  usageReports: z.enum(usageReportSchedules).default("off"),
});
export type PutCustomerBilling = z.infer<typeof putCustomerBillingBody>;

export const taxLineSchema = z.object({
  taxRateId: z.string().nullable(),
  name: z.string(),
  percentage: z.string(),
  taxableAmount: money,
  amount: money,
});

export const receivableSchema = z
  .object({
    invoiceId: z.string(),
    number: z.string(),
    customerId: z.string(),
    customerName: z.string(),
    currency: z.string(),
    issueDate: localDate,
    dueDate: localDate,
    subtotal: money,
    tax: money,
    total: money.describe("subtotal + tax"),
    credited: money.describe("credit notes"),
    balanceApplied: money.describe("customer balance applied at finalize"),
    paid: money.describe("payments allocated (net of reversals) + balance applied"),
    outstanding: money,
    daysOverdue: z.number().int().describe("days past the due date (negative: not yet due)"),
    paymentStatus: paymentStatusSchema,
  })
  .meta({ id: "Receivable" });
export type Receivable = z.infer<typeof receivableSchema>;

export const receivableDetailSchema = receivableSchema
  .extend({
    paymentTermsDays: z.number().int(),
    taxLines: z.array(taxLineSchema),
    payments: z.array(
      z.object({
        paymentId: z.string(),
        amount: money.describe("allocated to this invoice (negative: a reversal)"),
        receivedAt: dateTime,
        method: z.string(),
        reference: z.string().nullable(),
        reversed: z.boolean(),
      }),
    ),
  })
  .meta({ id: "ReceivableDetail" });

export const listReceivablesQuery = z.object({
  customerId: text(100).optional(),
  currency: z.string().length(3).optional(),
  paymentStatus: paymentStatusSchema.optional(),
  open: z.enum(["true", "false"]).optional().describe("only invoices with something outstanding"),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const buckets = {
  current: money.describe("not yet due"),
  days1to30: money,
  days31to60: money,
  days61to90: money,
  over90: money,
  total: money,
};

export const agingSchema = z
  .object({
    asOf: localDate,
    currencies: z.array(
      z.object({
        currency: z.string(),
        totals: z.object(buckets),
        customers: z.array(z.object({ customerId: z.string(), name: z.string(), ...buckets })),
      }),
    ),
  })
  .meta({ id: "ReceivablesAging" });
export type Aging = z.infer<typeof agingSchema>;

export const agingQuery = z.object({
  asOf: localDate.optional().describe("the date to age at (default: today, UTC)"),
});
