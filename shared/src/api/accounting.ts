import { z } from "zod";
import { dateTime, paginationQuery, text } from "./common.ts";

const money = z.string().describe("decimal string at the currency's minor unit");
const isoDate = z.iso.date().describe("calendar date, YYYY-MM-DD");
const month = z
  .string()
  .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "must be a month as YYYY-MM")
  .describe("calendar month, YYYY-MM");

export const accountTypes = ["asset", "liability", "equity", "revenue", "expense"] as const;
export type AccountType = (typeof accountTypes)[number];

/** What an account is for in the posting rules; `revenue_product` accounts carry the product they book. */
export const accountRoles = [
  "cash",
  "receivables",
  "deferred_revenue",
  "tax_payable",
  "credit_liability",
  "customer_balance",
  "revenue",
  "revenue_product",
  "promotional_credits",
] as const;
export type AccountRole = (typeof accountRoles)[number];

export const accountSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    type: z.enum(accountTypes),
    role: z.enum(accountRoles),
    product: z.string().nullable().describe("the product a `revenue_product` account books"),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: "Account" });
export type Account = z.infer<typeof accountSchema>;

const accountCode = text(20).regex(/^[0-9A-Za-z.-]+$/, "letters, digits, dots and dashes only");

export const createAccountBody = z
  .object({
    code: accountCode,
    name: text(200),
    product: text(200).describe("book this product's revenue to the new account"),
  })
  .strict();
export type CreateAccountBody = z.infer<typeof createAccountBody>;

export const updateAccountBody = z
  .object({ code: accountCode.optional(), name: text(200).optional() })
  .strict()
  .refine((b) => b.code !== undefined || b.name !== undefined, "change the code or the name");
export type UpdateAccountBody = z.infer<typeof updateAccountBody>;

export const journalEntryKinds = [
  "invoice",
  "credit_note",
  "invoice_void",
  "balance_applied",
  "payment",
  "payment_reversal",
  "credit_grant",
  "credit_expiry",
  "recognition",
] as const;
export type JournalEntryKind = (typeof journalEntryKinds)[number];

export const journalLineSchema = z.object({
  account: z.string().describe("the account's code"),
  accountName: z.string(),
  debit: money,
  credit: money,
  customerId: z.string().nullable(),
  invoiceId: z.string().nullable(),
  product: z.string().nullable(),
});

export const journalEntrySchema = z
  .object({
    id: z.string(),
    date: isoDate,
    kind: z.enum(journalEntryKinds),
    currency: z.string(),
    source: z.object({ type: z.string(), id: z.string() }),
    memo: z.string(),
    lines: z.array(journalLineSchema),
    createdAt: dateTime,
  })
  .meta({ id: "JournalEntry" });
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const journalQuery = z.object({
  ...paginationQuery,
  from: isoDate.optional().describe("entries dated on or after"),
  to: isoDate.optional().describe("entries dated on or before"),
  kind: z.enum(journalEntryKinds).optional(),
  account: text(20).optional().describe("entries with a line on this account code"),
  customerId: text(100).optional(),
  invoiceId: text(100).optional(),
  sourceId: text(100).optional(),
});
export type JournalQuery = z.infer<typeof journalQuery>;

export const journalExportQuery = z.object({
  format: z.enum(["csv", "quickbooks", "xero"]).default("csv"),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type JournalExportQuery = z.infer<typeof journalExportQuery>;

export const trialBalanceQuery = z.object({ date: isoDate.optional().describe("as of (inclusive); today") });
export const trialBalanceSchema = z.object({
  date: isoDate,
  currencies: z.array(
    z.object({
      currency: z.string(),
      accounts: z.array(
        z.object({
          account: z.string(),
          name: z.string(),
          type: z.enum(accountTypes),
          debit: money,
          credit: money,
        }),
      ),
      totalDebit: money,
      totalCredit: money,
    }),
  ),
});
export type TrialBalance = z.infer<typeof trialBalanceSchema>;

export const reportRangeQuery = z.object({
  from: month.optional().describe("first month; twelve months back by default"),
  to: month.optional().describe("last month; the current month by default"),
  customerId: text(100).optional(),
});
export type ReportRangeQuery = z.infer<typeof reportRangeQuery>;

const revenueRow = z.object({
  month,
  currency: z.string(),
  product: z.string().nullable(),
  customerId: z.string().nullable(),
  timing: z.enum(["recurring", "usage"]).nullable(),
  invoiced: money,
  recognised: money,
});
export const revenueReportSchema = z.object({ rows: z.array(revenueRow) });
export type RevenueReport = z.infer<typeof revenueReportSchema>;
export const revenueReportQuery = reportRangeQuery.extend({
  by: z
    .enum(["product", "customer", "timing", "month"])
    .default("product")
    .describe("split each month by product, by customer, by recurring vs usage, or not at all"),
  top: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(20)
    .describe("by customer: only the customers with the most invoiced over the range (per currency)"),
});
export type RevenueReportQuery = z.infer<typeof revenueReportQuery>;

export const receivablesSchema = z.object({
  date: isoDate,
  rows: z.array(
    z.object({
      customerId: z.string(),
      customerName: z.string(),
      currency: z.string(),
      outstanding: money,
      overdue: money.describe("outstanding on invoices past their due date (receivables)"),
      invoices: z.number().int(),
    }),
  ),
});
export type Receivables = z.infer<typeof receivablesSchema>;

export const creditLiabilitySchema = z.object({
  date: isoDate,
  rows: z.array(z.object({ customerId: z.string().nullable(), currency: z.string(), balance: money })),
});

export const deferredWaterfallSchema = z.object({
  closedThrough: month.nullable(),
  rows: z.array(
    z.object({
      month,
      currency: z.string(),
      opening: money,
      deferred: money.describe("added to deferred revenue in the month"),
      recognised: money.describe("recognised out of deferred revenue in the month"),
      closing: money,
    }),
  ),
  scheduled: z
    .array(z.object({ month, currency: z.string(), amount: money }))
    .describe("deferred revenue still to recognise, by the month it will be recognised in"),
});
export type DeferredWaterfall = z.infer<typeof deferredWaterfallSchema>;

export const accountingPeriodSchema = z
  .object({
    month,
    closedAt: dateTime,
    recognitionEntryIds: z.array(z.string()),
  })
  .meta({ id: "AccountingPeriod" });
export type AccountingPeriod = z.infer<typeof accountingPeriodSchema>;
export const monthParams = z.object({ month });

export const invoicesBehindQuery = reportRangeQuery.extend({
  product: text(200).optional(),
  timing: z.enum(["recurring", "usage"]).optional(),
  measure: z.enum(["invoiced", "recognised", "outstanding", "overdue"]).default("invoiced"),
});
export type InvoicesBehindQuery = z.infer<typeof invoicesBehindQuery>;
export const invoicesBehindSchema = z.object({
  invoiceIds: z.array(z.string()).describe("the invoices behind a figure (up to 500)"),
});
