import { z } from "zod";
import { decimalString } from "../decimal-string.ts";
import { dateTime, paginationQuery, text } from "./common.ts";
import { invoiceKinds, invoiceLineKinds, invoiceStatuses } from "./enums.ts";
import { paymentStatusSchema } from "./receivables.ts";

const money = z.string().describe("decimal string in the invoice currency");

const servicePeriodSchema = z.object({
  start: dateTime,
  end: dateTime,
  startDate: z.string(),
  endDate: z.string(),
});

export const invoiceLineSchema = z
  .object({
    id: z.string(),
    position: z.number().int(),
    kind: z.enum(invoiceLineKinds),
    contractId: z.string().describe("the contract the line bills (a consolidated invoice bills several)"),
    componentId: z.string().nullable().describe("the contract add-on the line bills; null: the base plan"),
    nodeId: z.string(),
    description: z.string(),
    product: z.string().nullable(),
    timing: z.enum(["arrears", "advance"]),
    quantity: z.string().nullable(),
    amount: money,
    unrounded: z.string(),
    servicePeriod: servicePeriodSchema.describe("the period this line bills (end exclusive)"),
    creditsApplied: z.string().describe("credit drawn from grants by this line"),
    credited: money.describe("credited by credit notes so far"),
    explanation: z.array(z.unknown()),
    accounts: z
      .array(
        z.object({
          customerId: z.string(),
          externalId: z.string(),
          quantity: z.string().describe("the account's share of the line's usage"),
          amount: money.describe("the line's amount split by usage share; the shares sum to the line"),
        }),
      )
      .describe(
        "usage by account when the customer has child accounts whose events count toward it (the customer's " +
          "own events under its own id); empty otherwise",
      ),
  })
  .meta({ id: "InvoiceLine" });
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

export const invoiceSchema = z
  .object({
    id: z.string(),
    number: z.string().nullable(),
    status: z.enum(invoiceStatuses),
    kind: z
      .enum(invoiceKinds)
      .describe(
        "`period`: closes a billing period. `adjustment`: late events of a contract that has ended; its period " +
          "is empty, at the contract's end",
      ),
    customerId: z.string(),
    contractId: z
      .string()
      .describe(
        "the contract billed; on a consolidated invoice its lead contract (the first of `contractIds`)",
      ),
    contractIds: z
      .array(z.string())
      .describe("every contract the invoice bills: one, or several on a consolidated invoice (lead first)"),
    consolidated: z.boolean().describe("whether the invoice bills several contracts of the customer"),
    planId: z.string().describe("the (lead) contract's base plan"),
    planVersion: z.number().int(),
    currency: z.string(),
    periodStart: dateTime,
    periodEnd: dateTime,
    periodStartDate: z.string(),
    periodEndDate: z.string().describe("local date, exclusive"),
    proration: z.string(),
    total: money,
    creditedAmount: money,
    amountDue: money,
    billingRunId: z.string().nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
    finalizedAt: dateTime.nullable(),
    voidedAt: dateTime.nullable(),
  })
  .meta({ id: "Invoice" });
export type Invoice = z.infer<typeof invoiceSchema>;

export const creditNoteSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    amount: money,
    reason: z.string(),
    createdAt: dateTime,
    lines: z.array(z.object({ lineId: z.string().nullable(), amount: money })),
  })
  .meta({ id: "CreditNote" });
export type CreditNote = z.infer<typeof creditNoteSchema>;

export const invoiceProductGroupSchema = z
  .object({
    product: z.string().nullable().describe("the product code the lines name; null for lines naming none"),
    name: z.string().describe('the catalog product\'s name, else the code, else "Other"'),
    accountingCode: z.string().nullable(),
    parentProduct: z.string().nullable().describe("code of the product this one is a sub-product of"),
    lineIds: z.array(z.string()),
    amount: money.describe("the sum of the group's lines"),
  })
  .meta({ id: "InvoiceProductGroup" });
export type InvoiceProductGroup = z.infer<typeof invoiceProductGroupSchema>;

export const invoiceContractGroupSchema = z
  .object({
    contractId: z.string(),
    planId: z.string().nullable().describe("the contract's base plan"),
    planVersion: z.number().int().nullable().describe("the plan version that priced the contract's lines"),
    planName: z.string().nullable(),
    lineIds: z.array(z.string()),
    amount: money.describe("the sum of the contract's lines"),
  })
  .meta({ id: "InvoiceContractGroup" });
export type InvoiceContractGroup = z.infer<typeof invoiceContractGroupSchema>;

export const invoiceDetailSchema = invoiceSchema
  .extend({
    lines: z.array(invoiceLineSchema),
    productGroups: z
      .array(invoiceProductGroupSchema)
      .describe("the lines grouped by product, in the order each product first appears"),
    contractGroups: z
      .array(invoiceContractGroupSchema)
      .describe("the lines grouped by the contract they bill, in the order of `contractIds`"),
    creditNotes: z.array(creditNoteSchema),
  })
  .meta({ id: "InvoiceDetail" });
export type InvoiceDetail = z.infer<typeof invoiceDetailSchema>;

export const listInvoicesQuery = z.object({
  ...paginationQuery,
  status: z.enum(invoiceStatuses).optional(),
  customerId: text(100).optional(),
  contractId: text(100).optional(),
  periodStart: z.iso.datetime({ offset: true }).optional().describe("the invoice's period start instant"),
  paymentStatus: paymentStatusSchema
    .optional()
    .describe("finalized invoices in this payment status (receivables)"),
});
export type ListInvoicesQuery = z.infer<typeof listInvoicesQuery>;

export const createCreditNoteBody = z
  .strictObject({
    lines: z
      .array(z.strictObject({ lineId: text(100), amount: decimalString }))
      .min(1)
      .max(1000)
      .optional(),
    amount: decimalString.optional(),
    reason: text(1000),
  })
  .refine((b) => (b.lines === undefined) !== (b.amount === undefined), {
    message: "give either lines or amount",
    path: ["amount"],
  });
export type CreateCreditNote = z.infer<typeof createCreditNoteBody>;
export type CreateCreditNoteRequest = z.input<typeof createCreditNoteBody>;
