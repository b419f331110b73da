CREATE TABLE "invoice_contracts" (
	"tenant_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "invoice_contracts_invoice_id_contract_id_pk" PRIMARY KEY("invoice_id","contract_id")
);
--> statement-breakpoint
ALTER TABLE "billing_settings" ADD COLUMN "invoice_consolidation" text DEFAULT 'per_contract' NOT NULL;--> statement-breakpoint
ALTER TABLE "invoice_contracts" ADD CONSTRAINT "invoice_contracts_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_contracts" ADD CONSTRAINT "invoice_contracts_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_contracts_period_uq" ON "invoice_contracts" USING btree ("tenant_id","contract_id","period_start") WHERE "invoice_contracts"."kind" = 'period';--> statement-breakpoint
CREATE INDEX "invoice_contracts_contract_idx" ON "invoice_contracts" USING btree ("tenant_id","contract_id");--> statement-breakpoint
-- Every existing invoice bills its own contract: one link row each, its lead.
INSERT INTO "invoice_contracts" ("tenant_id", "invoice_id", "contract_id", "period_start", "kind", "position")
SELECT "tenant_id", "id", "contract_id", "period_start", "kind", 0 FROM "invoices";
