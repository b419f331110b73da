import {
  type BillingRunStatus,
  billingRunStatuses,
  type CreditLedgerKind,
  type InvoiceConsolidation,
  type InvoiceKind,
  type InvoiceStatus,
  invoiceKinds,
  invoiceLineKinds,
  invoiceStatuses,
} from "@pricegraph/shared";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { contractCreditGrants, contracts } from "./contracts.ts";
import { customers } from "./customers.ts";
import { tenants } from "./tenants.ts";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export { type InvoiceStatus, invoiceStatuses };

/** Per-tenant billing settings; a tenant without a row uses the defaults. */
export const billingSettings = pgTable("billing_settings", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  /** Hours after a period's end during which its draft invoice stays open to late events. */
  gracePeriodHours: integer("grace_period_hours").notNull(),
  /** Whether billing runs start by themselves once a day after a period closes (on by default). */
  scheduledRuns: boolean("scheduled_runs").notNull().default(true),
  /** The hour of the day (UTC, 0–23) at which the scheduled run starts. */
  scheduledRunHour: integer("scheduled_run_hour").notNull().default(2),
  /**
   * `per_contract`: one invoice per contract and period. `per_customer`: contracts of one customer whose periods
   * coincide (same start, end and currency) are billed on one invoice per period (docs/catalog.md).
   */
  invoiceConsolidation: text("invoice_consolidation")
    .$type<InvoiceConsolidation>()
    .notNull()
    .default("per_contract"),
  updatedAt: instant("updated_at").notNull(),
});

/** Gap-free document numbers: one row per tenant and kind ("invoice", "credit_note"), bumped in the same transaction. */
export const documentCounters = pgTable(
  "document_counters",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    kind: text("kind").notNull(),
    lastValue: bigint("last_value", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

export { type InvoiceKind, invoiceKinds };

/**
 * One period invoice per contract and period (unique on tenant, contract, period_start where kind = 'period';
 * adjustment invoices carry the contract's end as their empty period). Finalized invoices are
 * protected by a trigger (migration `invoice_immutability`): only status → void, voided_at, credited_amount,
 * amount_due and updated_at may change, and they cannot be deleted.
 */
export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    contractId: text("contract_id")
      .notNull()
      .references(() => contracts.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    planId: text("plan_id").notNull(),
    planVersion: integer("plan_version").notNull(),
    currency: text("currency").notNull(),
    /** The served period [start, end) this invoice closes (its arrears lines). */
    periodStart: instant("period_start").notNull(),
    periodEnd: instant("period_end").notNull(),
    /** The same period as local dates in the customer's zone (end exclusive). */
    periodStartDate: text("period_start_date").notNull(),
    periodEndDate: text("period_end_date").notNull(),
    periodIndex: integer("period_index").notNull(),
    proration: numeric("proration").notNull(),
    status: text("status").$type<InvoiceStatus>().notNull(),
    number: text("number"),
    total: numeric("total").notNull(),
    creditedAmount: numeric("credited_amount").notNull(),
    amountDue: numeric("amount_due").notNull(),
    /** What the engine saw: usage per metric and credit balances, for explanation and audits. */
    usage: jsonb("usage").$type<Record<string, unknown>>().notNull(),
    /** When usage was read; events received after it (less a margin) are late for this invoice. */
    usageComputedAt: instant("usage_computed_at").notNull(),
    billingRunId: text("billing_run_id"),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    finalizedAt: instant("finalized_at"),
    voidedAt: instant("voided_at"),
    kind: text("kind").$type<InvoiceKind>().notNull().default("period"),
  },
  (t) => [
    uniqueIndex("invoices_contract_period_uq")
      .on(t.tenantId, t.contractId, t.periodStart)
      .where(sql`${t.kind} = 'period'`),
    uniqueIndex("invoices_number_uq").on(t.tenantId, t.number),
    index("invoices_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("invoices_tenant_status_idx").on(t.tenantId, t.status, t.periodEnd),
  ],
);

/**
 * Which contracts each invoice bills: one row per contract (a consolidated invoice has several; `invoices.contract_id`
 * names its lead). Unique per contract and period start for period invoices: whichever invoice bills a
 * contract-period, no other can, whatever the tenant's consolidation setting was when it was made.
 */
export const invoiceContracts = pgTable(
  "invoice_contracts",
  {
    tenantId: text("tenant_id").notNull(),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id),
    contractId: text("contract_id")
      .notNull()
      .references(() => contracts.id),
    periodStart: instant("period_start").notNull(),
    kind: text("kind").$type<InvoiceKind>().notNull(),
    /** The contract's place on the invoice: 0 is the lead (the customer's earliest contract), its lines first. */
    position: integer("position").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.contractId] }),
    uniqueIndex("invoice_contracts_period_uq")
      .on(t.tenantId, t.contractId, t.periodStart)
      .where(sql`${t.kind} = 'period'`),
    index("invoice_contracts_contract_idx").on(t.tenantId, t.contractId),
  ],
);

export { invoiceLineKinds };

/** One account's part of an invoice line (decimal strings). */
export interface InvoiceLineAccount {
  customerId: string;
  externalId: string;
  quantity: string;
  amount: string;
}

/** Lines of an invoice; `servicePeriod*` names the period a line bills (P arrears, P+1 advance, or an adjusted one). */
export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id),
    contractId: text("contract_id").notNull(),
    /** The contract add-on the line bills; null: the contract's base plan. */
    componentId: text("component_id"),
    position: integer("position").notNull(),
    kind: text("kind").$type<(typeof invoiceLineKinds)[number]>().notNull(),
    nodeId: text("node_id").notNull(),
    description: text("description").notNull(),
    product: text("product"),
    timing: text("timing").$type<"arrears" | "advance">().notNull(),
    quantity: numeric("quantity"),
    amount: numeric("amount").notNull(),
    unrounded: numeric("unrounded").notNull(),
    servicePeriodStart: instant("service_period_start").notNull(),
    servicePeriodEnd: instant("service_period_end").notNull(),
    servicePeriodStartDate: text("service_period_start_date").notNull(),
    servicePeriodEndDate: text("service_period_end_date").notNull(),
    explanation: jsonb("explanation").$type<unknown[]>().notNull(),
    /** Usage by child account whose events count toward the customer, with the amount split by it. */
    accounts: jsonb("accounts").$type<InvoiceLineAccount[]>().notNull().default([]),
  },
  (t) => [
    index("invoice_lines_invoice_idx").on(t.invoiceId, t.position),
    index("invoice_lines_contract_service_idx").on(t.contractId, t.servicePeriodStart),
  ],
);

/**
 * Credit movements against grants (`contract_credit_grants` holds the grants themselves): a draw-down is
 * negative and names the invoice line that used it; a reversal (void, refresh) gives it back.
 */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    contractId: text("contract_id").notNull(),
    grantId: text("grant_id")
      .notNull()
      .references(() => contractCreditGrants.id),
    pool: text("pool").notNull(),
    kind: text("kind").$type<CreditLedgerKind>().notNull(),
    amount: numeric("amount").notNull(),
    invoiceId: text("invoice_id").references(() => invoices.id),
    invoiceLineId: text("invoice_line_id"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    index("credit_ledger_contract_idx").on(t.tenantId, t.contractId),
    index("credit_ledger_grant_idx").on(t.grantId),
  ],
);

export const creditNotes = pgTable(
  "credit_notes",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id),
    number: text("number").notNull(),
    amount: numeric("amount").notNull(),
    reason: text("reason").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("credit_notes_number_uq").on(t.tenantId, t.number),
    index("credit_notes_invoice_idx").on(t.invoiceId),
  ],
);

/** How a credit note splits over invoice lines (one row with a null line for a note by amount). */
export const creditNoteLines = pgTable(
  "credit_note_lines",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    creditNoteId: text("credit_note_id")
      .notNull()
      .references(() => creditNotes.id),
    invoiceLineId: text("invoice_line_id"),
    amount: numeric("amount").notNull(),
  },
  (t) => [index("credit_note_lines_note_idx").on(t.creditNoteId)],
);

export { type BillingRunStatus, billingRunStatuses };

export const billingRuns = pgTable(
  "billing_runs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    asOf: instant("as_of").notNull(),
    status: text("status").$type<BillingRunStatus>().notNull(),
    /** Contracts in the run, and those processed so far. */
    total: integer("total").notNull(),
    done: integer("done").notNull(),
    invoicesCreated: integer("invoices_created").notNull(),
    /** The batches (pg-boss jobs, by `seq`) already counted in `done`: a redelivered batch counts once. */
    doneBatches: integer("done_batches").array().notNull().default(sql`'{}'::integer[]`),
    error: text("error"),
    createdAt: instant("created_at").notNull(),
    finishedAt: instant("finished_at"),
    /**
     * The UTC date a scheduled run was started for (null for runs started by hand): unique per tenant, so two
     * server processes starting the day's run at once create it once.
     */
    scheduledFor: text("scheduled_for"),
  },
  (t) => [
    index("billing_runs_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    uniqueIndex("billing_runs_tenant_scheduled_idx")
      .on(t.tenantId, t.scheduledFor)
      .where(sql`scheduled_for IS NOT NULL`),
  ],
);
