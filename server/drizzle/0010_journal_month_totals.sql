CREATE TABLE "journal_month_totals" (
	"tenant_id" text NOT NULL,
	"month" text NOT NULL,
	"currency" text NOT NULL,
	"account_id" text NOT NULL,
	"product" text NOT NULL,
	"timing" text NOT NULL,
	"debit" numeric NOT NULL,
	"credit" numeric NOT NULL,
	CONSTRAINT "journal_month_totals_tenant_id_month_currency_account_id_product_timing_pk" PRIMARY KEY("tenant_id","month","currency","account_id","product","timing")
);
--> statement-breakpoint
CREATE INDEX "journal_lines_tenant_customer_idx" ON "journal_lines" USING btree ("tenant_id","customer_id","date");--> statement-breakpoint
INSERT INTO "journal_month_totals"
  SELECT tenant_id, to_char(date, 'YYYY-MM'), currency, account_id, coalesce(product, ''), coalesce(timing, ''),
         sum(debit), sum(credit)
  FROM journal_lines GROUP BY 1, 2, 3, 4, 5, 6;
