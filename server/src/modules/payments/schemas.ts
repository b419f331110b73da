import { decimalString } from "@pricegraph/shared";
import { currencySchema, dateTime, optionalText, text } from "@pricegraph/shared/api";
import { z } from "zod";

const money = z.string().describe("decimal string in the payment currency");

export const paymentSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    amount: money,
    currency: z.string(),
    receivedAt: dateTime,
    method: z.string(),
    reference: z.string().nullable(),
    allocations: z.array(
      z.object({
        invoiceId: z.string(),
        number: z.string().nullable(),
        amount: money.describe("allocated to the invoice (what the reversal took back is not subtracted)"),
      }),
    ),
    toBalance: money.describe("the overpayment credited to the customer's balance"),
    reversed: z.boolean(),
    reversedAt: dateTime.nullable(),
    reversalReason: z.string().nullable(),
    createdAt: dateTime,
  })
  .meta({ id: "Payment" });
export type Payment = z.infer<typeof paymentSchema>;

export const paymentMethods = ["bank_transfer", "card", "check", "cash", "direct_debit", "other"] as const;

export const createPaymentBody = z.strictObject({
  customerId: text(100),
  amount: decimalString,
  currency: currencySchema,
  receivedAt: z.iso.datetime({ offset: true }).or(z.iso.date()),
  method: z.enum(paymentMethods).default("bank_transfer"),
  reference: optionalText(500).nullish(),
  allocations: z
    .array(z.strictObject({ invoiceId: text(100), amount: decimalString }))
    .max(500)
    .optional()
    .describe("the invoices to settle; without it, the customer's open invoices oldest due first"),
});
export type CreatePayment = z.infer<typeof createPaymentBody>;

export const reversePaymentBody = z.strictObject({ reason: text(1000).default("reversed") });

export const listPaymentsQuery = z.object({
  customerId: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const importResultSchema = z.object({ imported: z.number().int(), data: z.array(paymentSchema) });
