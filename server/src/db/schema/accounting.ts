import type { AccountRole, AccountType, JournalEntryKind } from "@pricegraph/shared/api";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** The chart of accounts: a default set per tenant (created on first use), editable, one account per product. */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    type: text("type").$type<AccountType>().notNull(),
    role: text("role").$type<AccountRole>().notNull(),
    product: text("product"),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("ledger_accounts_code_uq").on(t.tenantId, t.code),
    uniqueIndex("ledger_accounts_role_uq").on(t.tenantId, t.role).where(sql`${t.role} <> 'revenue_product'`),
    uniqueIndex("ledger_accounts_product_uq").on(t.tenantId, t.product),
  ],
);

/**
 * Journal entries, derived from the activity log (and month-end closes). Immutable (migration
 * `accounting_journal`: triggers refuse UPDATE, DELETE, TRUNCATE); one entry per kind and source document.
 */
export const journalEntries = pgTable(
  "journal_entries",
  {
    id: text("id").primaryKey(),
    /** Insertion order: the listing's cursor. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    date: date("date", { mode: "string" }).notNull(),
    kind: text("kind").$type<JournalEntryKind>().notNull(),
    sourceType: text("source_type").notNull(),
    sourceId: text("source_id").notNull(),
    currency: text("currency").notNull(),
    memo: text("memo").notNull(),
    /** The activity record the entry was derived from (none for recognition and expiry at a close). */
    activityId: text("activity_id"),
    /** The writing transaction: lines may join an entry only in the transaction that wrote it. */
    txid: bigint("txid", { mode: "number" }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("journal_entries_source_uq").on(t.tenantId, t.kind, t.sourceType, t.sourceId, t.currency),
    index("journal_entries_tenant_seq_idx").on(t.tenantId, t.seq),
    index("journal_entries_tenant_date_idx").on(t.tenantId, t.date),
  ],
);

/**
 * Lines of an entry: exactly one of debit and credit is positive. The entry's date and the dimensions (customer,
 * invoice, product, credit grant) are kept on the line so the reports read one table. The entry and account
 * are checked once per insert statement by a trigger (migration `accounting`), not by foreign keys: a billing
 * run posts tens of thousands of lines, and a per-row foreign key check cost more than the insert itself.
 */
export const journalLines = pgTable(
  "journal_lines",
  {
    tenantId: text("tenant_id").notNull(),
    entryId: text("entry_id").notNull(),
    position: integer("position").notNull(),
    accountId: text("account_id").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    currency: text("currency").notNull(),
    debit: numeric("debit").notNull(),
    credit: numeric("credit").notNull(),
    customerId: text("customer_id"),
    invoiceId: text("invoice_id"),
    product: text("product"),
    /** `advance` or `arrears` for revenue lines: recurring fees versus usage on the dashboard. */
    timing: text("timing"),
    creditGrantId: text("credit_grant_id"),
  },
  (t) => [
    // Three indexes, as each costs every posted line: the entry's lines in order (its key), per account and date
    // (migration `accounting_day_totals` adds product and invoice to its leaves for the invoices behind a
    // figure), per customer and date. Filters by invoice go through the entry's lines.
    primaryKey({ columns: [t.entryId, t.position] }),
    index("journal_lines_tenant_account_date_idx").on(t.tenantId, t.accountId, t.date),
    index("journal_lines_tenant_customer_idx").on(t.tenantId, t.customerId, t.date),
  ],
);

/** How far the journal has read the activity log: (txid, seq) of the last record handled. */
export const journalPosition = pgTable("journal_position", {
  consumer: text("consumer").primaryKey(),
  txid: bigint("txid", { mode: "number" }).notNull(),
  seq: bigint("seq", { mode: "number" }).notNull(),
});

/**
 * Revenue schedules: what each invoice line earns per month. `deferred` rows wait in deferred revenue until the
 * close of their month; the others were booked to revenue when posted. Credit notes and voids add negative rows.
 */
export const revenueSchedule = pgTable(
  "revenue_schedule",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    tenantId: text("tenant_id").notNull(),
    /** Checked per insert statement by a trigger, like the lines' entry. */
    entryId: text("entry_id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    invoiceLineId: text("invoice_line_id").notNull(),
    customerId: text("customer_id").notNull(),
    product: text("product").notNull(),
    timing: text("timing").notNull(),
    currency: text("currency").notNull(),
    month: text("month").notNull(),
    amount: numeric("amount").notNull(),
    deferred: boolean("deferred").notNull(),
  },
  (t) => [
    index("revenue_schedule_month_idx").on(t.tenantId, t.month),
    index("revenue_schedule_line_idx").on(t.tenantId, t.invoiceLineId),
  ],
);

/** Closed months: recognition posted, no entry may be dated in them any more; a close is never undone. */
export const accountingPeriods = pgTable(
  "accounting_periods",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    month: text("month").notNull(),
    closedAt: instant("closed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.month] })],
);

/**
 * Monthly totals of the journal per account, currency, product and timing, kept in the posting transaction:
 * the reports read these instead of every line (a derived cache of `journal_lines`, rebuilt from them at will).
 */
export const journalMonthTotals = pgTable(
  "journal_month_totals",
  {
    tenantId: text("tenant_id").notNull(),
    month: text("month").notNull(),
    currency: text("currency").notNull(),
    accountId: text("account_id").notNull(),
    product: text("product").notNull(),
    timing: text("timing").notNull(),
    debit: numeric("debit").notNull(),
    credit: numeric("credit").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.month, t.currency, t.accountId, t.product, t.timing] })],
);

/**
 * Invoiced and recognised revenue per customer and month (lines of the revenue and deferred revenue accounts),
 * kept in the posting transaction like `journal_month_totals`: revenue by customer and a customer's trend read
 * one row per customer and month.
 */
export const journalCustomerRevenue = pgTable(
  "journal_customer_revenue",
  {
    tenantId: text("tenant_id").notNull(),
    month: text("month").notNull(),
    currency: text("currency").notNull(),
    customerId: text("customer_id").notNull(),
    /** Credits less debits on revenue and deferred revenue (net of credit notes and voids). */
    invoiced: numeric("invoiced").notNull(),
    /** Credits less debits on revenue. */
    recognised: numeric("recognised").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.month, t.currency, t.customerId] }),
    index("journal_customer_revenue_customer_idx").on(t.tenantId, t.customerId, t.month),
  ],
);

/**
 * What each invoice still owes in the journal's receivables (debits less credits), kept in the posting
 * transaction: receivables by customer read the open invoices here instead of every receivables line.
 * `dueDate` is the invoice's due date from receivables (finalize date + 30 days for an invoice without one).
 */
export const journalInvoiceBalances = pgTable(
  "journal_invoice_balances",
  {
    tenantId: text("tenant_id").notNull(),
    invoiceId: text("invoice_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    open: numeric("open").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.invoiceId, t.currency] }),
    index("journal_invoice_balances_open_idx").on(t.tenantId, t.customerId).where(sql`${t.open} <> 0`),
    // Customer, currency and open amount ride in the leaves (migration `accounting_day_totals`): the part of
    // receivables not yet due is summed from this index alone.
    index("journal_invoice_balances_due_idx").on(t.tenantId, t.dueDate).where(sql`${t.open} <> 0`),
    // The largest open invoices first (the invoices behind outstanding and overdue).
    index("journal_invoice_balances_largest_idx")
      .on(t.tenantId, t.open.desc(), t.invoiceId)
      .where(sql`${t.open} <> 0`),
  ],
);

/**
 * Each customer's receivables per currency (Σ open of their invoices, and how many are open), kept in the
 * posting transaction from the changes to `journal_invoice_balances`: receivables by customer read one row
 * per customer.
 */
export const journalCustomerReceivables = pgTable(
  "journal_customer_receivables",
  {
    tenantId: text("tenant_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: text("currency").notNull(),
    outstanding: numeric("outstanding").notNull(),
    openInvoices: integer("open_invoices").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId, t.currency] })],
);

/**
 * The journal's totals per day, account and currency, kept in the posting transaction like the monthly ones: the
 * trial balance on a date adds the months before its month and the days of its month up to it.
 */
export const journalDayTotals = pgTable(
  "journal_day_totals",
  {
    tenantId: text("tenant_id").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    currency: text("currency").notNull(),
    accountId: text("account_id").notNull(),
    debit: numeric("debit").notNull(),
    credit: numeric("credit").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.date, t.currency, t.accountId] })],
);

/**
 * Deferred revenue still scheduled per month and currency (the deferred rows of `revenue_schedule`, reversals
 * included), kept in the posting transaction: the waterfall's schedule reads one row per month.
 */
export const journalDeferredSchedule = pgTable(
  "journal_deferred_schedule",
  {
    tenantId: text("tenant_id").notNull(),
    month: text("month").notNull(),
    currency: text("currency").notNull(),
    amount: numeric("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.month, t.currency] })],
);
