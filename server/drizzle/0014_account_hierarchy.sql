CREATE TABLE "customer_parent_links" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"parent_id" text NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "accounts" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "customer_parent_links" ADD CONSTRAINT "customer_parent_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_parent_links" ADD CONSTRAINT "customer_parent_links_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_parent_links" ADD CONSTRAINT "customer_parent_links_parent_id_customers_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_parent_links_customer_idx" ON "customer_parent_links" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "customer_parent_links_parent_idx" ON "customer_parent_links" USING btree ("tenant_id","parent_id");--> statement-breakpoint
CREATE INDEX "customers_tenant_parent_idx" ON "customers" USING btree ("tenant_id","parent_id");