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
ALTER TABLE "invoice_lines" ADD COLUMN "component_id" text;--> statement-breakpoint
ALTER TABLE "contract_credit_grants" ADD COLUMN "component_id" text;--> statement-breakpoint
ALTER TABLE "contract_components" ADD CONSTRAINT "contract_components_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_components" ADD CONSTRAINT "contract_components_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_components" ADD CONSTRAINT "contract_components_plan_id_plan_version_plan_versions_plan_id_version_fk" FOREIGN KEY ("plan_id","plan_version") REFERENCES "public"."plan_versions"("plan_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contract_components_contract_idx" ON "contract_components" USING btree ("tenant_id","contract_id");