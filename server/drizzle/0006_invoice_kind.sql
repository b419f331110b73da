DROP INDEX "invoices_contract_period_uq";--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "kind" text DEFAULT 'period' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_contract_period_uq" ON "invoices" USING btree ("tenant_id","contract_id","period_start") WHERE "invoices"."kind" = 'period';