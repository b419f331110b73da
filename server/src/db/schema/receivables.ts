import { index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { invoices } from "./billing.ts";
import { customers } from "./customers.ts";
import { tenants } from "./tenants.ts";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Who bills: the tenant's company as it appears on invoices, and its payment and tax defaults. */
export const companyProfiles = pgTable("company_profiles", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  legalName: text("legal_name").notNull(),
  address: text("address").notNull(),
  taxId: text("tax_id"),
  /** A `data:image/png;base64,…` or `data:image/jpeg;base64,…` URL, drawn at the top of documents. */
  logo: text("logo"),
  invoiceFooter: text("invoice_footer").notNull(),
  paymentInstructions: text("payment_instructions").notNull(),
  /** Net days between issue and due date for customers without their own terms. */
  paymentTermsDays: integer("payment_terms_days").notNull(),
  defaultTaxRateId: text("default_tax_rate_id"),
  updatedAt: instant("updated_at").notNull(),
});

export const taxRates = pgTable(
  "tax_rates",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    name: text("name").notNull(),
    /** Percent of the taxable amount, e.g. "20" or "8.875". */
    percentage: numeric("percentage").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [uniqueIndex("tax_rates_tenant_name_uq").on(t.tenantId, t.name)],
);

export const taxTreatments = ["default", "rate", "exempt"] as const;
export type TaxTreatment = (typeof taxTreatments)[number];
export const usageReportSchedules = ["off", "weekly", "monthly"] as const;

/** Whom is billed: a customer's billing address, e-mails, terms and tax treatment (absent row = defaults). */
export const customerBilling = pgTable("customer_billing", {
  customerId: text("customer_id")
    .primaryKey()
    .references(() => customers.id),
  tenantId: text("tenant_id")
    .notNull()
    .references(() => tenants.id),
  address: text("address").notNull(),
  emails: jsonb("emails").$type<string[]>().notNull(),
  /** Null: the tenant's default terms. */
  paymentTermsDays: integer("payment_terms_days"),
  taxTreatment: text("tax_treatment").$type<TaxTreatment>().notNull(),
  /** The rate used when the treatment is `rate`. */
  taxRateId: text("tax_rate_id"),
  usageReports: text("usage_reports").$type<(typeof usageReportSchedules)[number]>().notNull(),
  updatedAt: instant("updated_at").notNull(),
});

/**
 * What finalizing fixed about an invoice for getting paid: dates, tax and the customer balance applied. Written
 * once in the finalize transaction and never changed (trigger in the migration), like the invoice itself.
 */
export const invoiceReceivables = pgTable(
  "invoice_receivables",
  {
    invoiceId: text("invoice_id")
      .primaryKey()
      .references(() => invoices.id),
    tenantId: text("tenant_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    /** The invoice's total before tax. */
    subtotal: numeric("subtotal").notNull(),
    tax: numeric("tax").notNull(),
    /** subtotal + tax. */
    total: numeric("total").notNull(),
    /** Customer balance (earlier overpayments) applied at finalize. */
    balanceApplied: numeric("balance_applied").notNull(),
    /** Local dates in the customer's zone. */
    issueDate: text("issue_date").notNull(),
    dueDate: text("due_date").notNull(),
    paymentTermsDays: integer("payment_terms_days").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [index("invoice_receivables_customer_idx").on(t.tenantId, t.customerId, t.dueDate)],
);

/** One line per tax rate applied to an invoice, stored at finalize. */
export const invoiceTaxLines = pgTable(
  "invoice_tax_lines",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id),
    position: integer("position").notNull(),
    taxRateId: text("tax_rate_id"),
    name: text("name").notNull(),
    percentage: numeric("percentage").notNull(),
    taxableAmount: numeric("taxable_amount").notNull(),
    amount: numeric("amount").notNull(),
  },
  (t) => [index("invoice_tax_lines_invoice_idx").on(t.invoiceId, t.position)],
);

/** Money received from a customer. Never edited: a mistake is undone by a reversal. */
export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    amount: numeric("amount").notNull(),
    currency: text("currency").notNull(),
    receivedAt: instant("received_at").notNull(),
    method: text("method").notNull(),
    reference: text("reference"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [index("payments_tenant_customer_idx").on(t.tenantId, t.customerId, t.createdAt)],
);

export const paymentReversals = pgTable("payment_reversals", {
  paymentId: text("payment_id")
    .primaryKey()
    .references(() => payments.id),
  tenantId: text("tenant_id").notNull(),
  reason: text("reason").notNull(),
  reversedAt: instant("reversed_at").notNull(),
});

/** How payments settle invoices: positive when allocated, the same amount negative when the payment is reversed. */
export const paymentAllocations = pgTable(
  "payment_allocations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    paymentId: text("payment_id")
      .notNull()
      .references(() => payments.id),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id),
    amount: numeric("amount").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    index("payment_allocations_invoice_idx").on(t.invoiceId),
    index("payment_allocations_payment_idx").on(t.paymentId),
  ],
);

/** `restored`: the balance applied to an invoice, given back when that invoice is voided. */
export const balanceEntryKinds = ["overpayment", "applied", "reversal", "restored"] as const;

/** A customer's balance per currency: overpayments in (+), applied to invoices or reversed (−). */
export const customerBalanceEntries = pgTable(
  "customer_balance_entries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    currency: text("currency").notNull(),
    kind: text("kind").$type<(typeof balanceEntryKinds)[number]>().notNull(),
    amount: numeric("amount").notNull(),
    paymentId: text("payment_id"),
    invoiceId: text("invoice_id"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [index("customer_balance_customer_idx").on(t.tenantId, t.customerId, t.currency)],
);
