CREATE TABLE "journal_day_totals" (
	"tenant_id" text NOT NULL,
	"date" date NOT NULL,
	"currency" text NOT NULL,
	"account_id" text NOT NULL,
	"debit" numeric NOT NULL,
	"credit" numeric NOT NULL,
	CONSTRAINT "journal_day_totals_tenant_id_date_currency_account_id_pk" PRIMARY KEY("tenant_id","date","currency","account_id")
);
--> statement-breakpoint
CREATE TABLE "journal_deferred_schedule" (
	"tenant_id" text NOT NULL,
	"month" text NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric NOT NULL,
	CONSTRAINT "journal_deferred_schedule_tenant_id_month_currency_pk" PRIMARY KEY("tenant_id","month","currency")
);
--> statement-breakpoint
DROP INDEX "journal_lines_entry_idx";--> statement-breakpoint
DROP INDEX "journal_lines_tenant_invoice_idx";--> statement-breakpoint
ALTER TABLE "journal_lines" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_entry_id_position_pk" PRIMARY KEY("entry_id","position");--> statement-breakpoint
CREATE INDEX "journal_invoice_balances_largest_idx" ON "journal_invoice_balances" USING btree ("tenant_id","open" DESC NULLS LAST,"invoice_id") WHERE "journal_invoice_balances"."open" <> 0;
--> statement-breakpoint
-- Indexes whose leaves carry what their reports read, so those read the index alone (drizzle's index builder has
-- no INCLUDE; the schema names the same indexes): product and invoice for the invoices behind a figure, customer,
-- currency and open amount for receivables not yet due.
DROP INDEX "journal_lines_tenant_account_date_idx";
--> statement-breakpoint
CREATE INDEX "journal_lines_tenant_account_date_idx" ON "journal_lines" USING btree ("tenant_id","account_id","date")
  INCLUDE ("product", "invoice_id");
--> statement-breakpoint
DROP INDEX "journal_invoice_balances_due_idx";
--> statement-breakpoint
CREATE INDEX "journal_invoice_balances_due_idx" ON "journal_invoice_balances" USING btree ("tenant_id","due_date")
  INCLUDE ("customer_id", "currency", "open") WHERE "open" <> 0;
--> statement-breakpoint
-- The totals of the books posted before these tables existed (derived caches of journal_lines and revenue_schedule).
INSERT INTO "journal_day_totals" ("tenant_id", "date", "currency", "account_id", "debit", "credit")
SELECT "tenant_id", "date", "currency", "account_id", sum("debit"), sum("credit")
FROM "journal_lines" GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO "journal_deferred_schedule" ("tenant_id", "month", "currency", "amount")
SELECT "tenant_id", "month", "currency", sum("amount") FROM "revenue_schedule" WHERE "deferred" GROUP BY 1, 2, 3;
