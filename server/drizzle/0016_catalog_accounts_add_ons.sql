CREATE TABLE "contract_components" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"position" integer NOT NULL,
	"plan_id" text NOT NULL,
	"plan_version" integer NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"param_overrides" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "products" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"accounting_code" text,
	"parent_id" text,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "component_id" text;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "accounts" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contract_credit_grants" ADD COLUMN "component_id" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "contract_components" ADD CONSTRAINT "contract_components_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_components" ADD CONSTRAINT "contract_components_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_components" ADD CONSTRAINT "contract_components_plan_id_plan_version_plan_versions_plan_id_version_fk" FOREIGN KEY ("plan_id","plan_version") REFERENCES "public"."plan_versions"("plan_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_parent_links" ADD CONSTRAINT "customer_parent_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_parent_links" ADD CONSTRAINT "customer_parent_links_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_parent_links" ADD CONSTRAINT "customer_parent_links_parent_id_customers_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_parent_id_products_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contract_components_contract_idx" ON "contract_components" USING btree ("tenant_id","contract_id");--> statement-breakpoint
CREATE INDEX "customer_parent_links_customer_idx" ON "customer_parent_links" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "customer_parent_links_parent_idx" ON "customer_parent_links" USING btree ("tenant_id","parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_tenant_code_uq" ON "products" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE INDEX "products_tenant_parent_idx" ON "products" USING btree ("tenant_id","parent_id");--> statement-breakpoint
CREATE INDEX "customers_tenant_parent_idx" ON "customers" USING btree ("tenant_id","parent_id");