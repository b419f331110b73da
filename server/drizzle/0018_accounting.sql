CREATE TABLE "accounting_periods" (
	"tenant_id" text NOT NULL,
	"month" text NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "accounting_periods_tenant_id_month_pk" PRIMARY KEY("tenant_id","month")
);
--> statement-breakpoint
CREATE TABLE "journal_customer_receivables" (
	"tenant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"outstanding" numeric NOT NULL,
	"open_invoices" integer NOT NULL,
	CONSTRAINT "journal_customer_receivables_tenant_id_customer_id_currency_pk" PRIMARY KEY("tenant_id","customer_id","currency")
);
--> statement-breakpoint
CREATE TABLE "journal_customer_revenue" (
	"tenant_id" text NOT NULL,
	"month" text NOT NULL,
	"currency" text NOT NULL,
	"customer_id" text NOT NULL,
	"invoiced" numeric NOT NULL,
	"recognised" numeric NOT NULL,
	CONSTRAINT "journal_customer_revenue_tenant_id_month_currency_customer_id_pk" PRIMARY KEY("tenant_id","month","currency","customer_id")
);
--> statement-breakpoint
CREATE TABLE "journal_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "journal_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"date" date NOT NULL,
	"kind" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"currency" text NOT NULL,
	"memo" text NOT NULL,
	"activity_id" text,
	"txid" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal_invoice_balances" (
	"tenant_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"due_date" date NOT NULL,
	"open" numeric NOT NULL,
	CONSTRAINT "journal_invoice_balances_tenant_id_invoice_id_currency_pk" PRIMARY KEY("tenant_id","invoice_id","currency")
);
--> statement-breakpoint
CREATE TABLE "journal_lines" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "journal_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"position" integer NOT NULL,
	"account_id" text NOT NULL,
	"date" date NOT NULL,
	"currency" text NOT NULL,
	"debit" numeric NOT NULL,
	"credit" numeric NOT NULL,
	"customer_id" text,
	"invoice_id" text,
	"product" text,
	"timing" text,
	"credit_grant_id" text
);
--> statement-breakpoint
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
CREATE TABLE "journal_position" (
	"consumer" text PRIMARY KEY NOT NULL,
	"txid" bigint NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"role" text NOT NULL,
	"product" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revenue_schedule" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "revenue_schedule_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"invoice_line_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"product" text NOT NULL,
	"timing" text NOT NULL,
	"currency" text NOT NULL,
	"month" text NOT NULL,
	"amount" numeric NOT NULL,
	"deferred" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounting_periods" ADD CONSTRAINT "accounting_periods_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "journal_customer_revenue_customer_idx" ON "journal_customer_revenue" USING btree ("tenant_id","customer_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "journal_entries_source_uq" ON "journal_entries" USING btree ("tenant_id","kind","source_type","source_id","currency");--> statement-breakpoint
CREATE INDEX "journal_entries_tenant_seq_idx" ON "journal_entries" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE INDEX "journal_entries_tenant_date_idx" ON "journal_entries" USING btree ("tenant_id","date");--> statement-breakpoint
CREATE INDEX "journal_invoice_balances_open_idx" ON "journal_invoice_balances" USING btree ("tenant_id","customer_id") WHERE "journal_invoice_balances"."open" <> 0;--> statement-breakpoint
CREATE INDEX "journal_invoice_balances_due_idx" ON "journal_invoice_balances" USING btree ("tenant_id","due_date") WHERE "journal_invoice_balances"."open" <> 0;--> statement-breakpoint
CREATE INDEX "journal_lines_entry_idx" ON "journal_lines" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "journal_lines_tenant_account_date_idx" ON "journal_lines" USING btree ("tenant_id","account_id","date");--> statement-breakpoint
CREATE INDEX "journal_lines_tenant_invoice_idx" ON "journal_lines" USING btree ("tenant_id","invoice_id");--> statement-breakpoint
CREATE INDEX "journal_lines_tenant_customer_idx" ON "journal_lines" USING btree ("tenant_id","customer_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_code_uq" ON "ledger_accounts" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_role_uq" ON "ledger_accounts" USING btree ("tenant_id","role") WHERE "ledger_accounts"."role" <> 'revenue_product';--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_product_uq" ON "ledger_accounts" USING btree ("tenant_id","product");--> statement-breakpoint
CREATE INDEX "revenue_schedule_month_idx" ON "revenue_schedule" USING btree ("tenant_id","month");--> statement-breakpoint
CREATE INDEX "revenue_schedule_line_idx" ON "revenue_schedule" USING btree ("tenant_id","invoice_line_id");
--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_one_side" CHECK (
  (debit > 0 AND credit = 0) OR (credit > 0 AND debit = 0)
);
--> statement-breakpoint
INSERT INTO "journal_position" ("consumer", "txid", "seq") VALUES ('journal', 0, 0);
--> statement-breakpoint
-- Journal entries, their lines, revenue schedules and closed periods are never changed or removed: a correction
-- is a new entry that reverses, and a closed month stays closed.
CREATE OR REPLACE FUNCTION pricegraph_guard_books() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = '55000';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_immutable BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_books();
--> statement-breakpoint
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_books();
--> statement-breakpoint
CREATE TRIGGER journal_lines_immutable BEFORE UPDATE OR DELETE ON journal_lines
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_books();
--> statement-breakpoint
CREATE TRIGGER journal_lines_no_truncate BEFORE TRUNCATE ON journal_lines
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_books();
--> statement-breakpoint
CREATE TRIGGER revenue_schedule_immutable BEFORE UPDATE OR DELETE ON revenue_schedule
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_books();
--> statement-breakpoint
CREATE TRIGGER revenue_schedule_no_truncate BEFORE TRUNCATE ON revenue_schedule
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_books();
--> statement-breakpoint
CREATE TRIGGER accounting_periods_immutable BEFORE UPDATE OR DELETE ON accounting_periods
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_books();
--> statement-breakpoint
CREATE TRIGGER accounting_periods_no_truncate BEFORE TRUNCATE ON accounting_periods
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_books();
--> statement-breakpoint
-- Σ debit = Σ credit for every entry, with at least two lines, checked at commit (lines arrive after their
-- entry, in the same transaction; the trigger below keeps lines from joining an entry of another transaction).
CREATE OR REPLACE FUNCTION pricegraph_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  entry text := NEW.id;
  debits numeric;
  credits numeric;
  lines integer;
BEGIN
  SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) INTO debits, credits, lines
    FROM journal_lines WHERE entry_id = entry;
  IF lines < 2 OR debits <> credits THEN
    RAISE EXCEPTION 'journal entry % does not balance (debits %, credits %, % lines)', entry, debits, credits, lines
      USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT ON journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pricegraph_check_entry_balanced();
--> statement-breakpoint
-- Lines may only join an existing entry written by the same transaction (a posted entry cannot grow), on an
-- account of the entry's tenant: checked once per insert statement, set-based, instead of per-row foreign keys.
CREATE OR REPLACE FUNCTION pricegraph_guard_journal_line_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_lines n LEFT JOIN journal_entries e ON e.id = n.entry_id
    WHERE e.id IS NULL OR e.tenant_id <> n.tenant_id OR e.txid <> (pg_current_xact_id()::text)::bigint
  ) THEN
    RAISE EXCEPTION 'lines can only be added to a journal entry of their tenant being posted' USING ERRCODE = '55000';
  END IF;
  IF EXISTS (
    SELECT 1 FROM new_lines n LEFT JOIN ledger_accounts a ON a.id = n.account_id
    WHERE a.id IS NULL OR a.tenant_id <> n.tenant_id
  ) THEN
    RAISE EXCEPTION 'journal lines must name an account of their tenant' USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journal_lines_same_transaction AFTER INSERT ON journal_lines
  REFERENCING NEW TABLE AS new_lines
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_journal_line_insert();
--> statement-breakpoint
-- Schedule rows belong to an entry of their tenant posted in the same transaction (checked per statement).
CREATE OR REPLACE FUNCTION pricegraph_guard_schedule_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_rows n LEFT JOIN journal_entries e ON e.id = n.entry_id
    WHERE e.id IS NULL OR e.tenant_id <> n.tenant_id OR e.txid <> (pg_current_xact_id()::text)::bigint
  ) THEN
    RAISE EXCEPTION 'revenue schedule rows can only be added with their journal entry' USING ERRCODE = '55000';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER revenue_schedule_with_entry AFTER INSERT ON revenue_schedule
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_schedule_insert();
--> statement-breakpoint
-- No entry may be dated in a closed month (the close's own recognition entries are written before the period):
-- checked once per insert statement (a billing run posts thousands of entries in one).
CREATE OR REPLACE FUNCTION pricegraph_guard_closed_period() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  closed text;
BEGIN
  SELECT p.month INTO closed FROM new_entries n
    JOIN accounting_periods p ON p.tenant_id = n.tenant_id AND p.month = to_char(n.date, 'YYYY-MM')
    LIMIT 1;
  IF closed IS NOT NULL THEN
    RAISE EXCEPTION 'accounting period % is closed', closed USING ERRCODE = '55000';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_open_period AFTER INSERT ON journal_entries
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_closed_period();
