CREATE TABLE "contract_phases" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"effective_date" date NOT NULL,
	"plan_id" text NOT NULL,
	"plan_version" integer NOT NULL,
	"param_overrides" jsonb NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contract_credit_grants" ADD COLUMN "phase_id" text;--> statement-breakpoint
ALTER TABLE "contract_phases" ADD CONSTRAINT "contract_phases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_phases" ADD CONSTRAINT "contract_phases_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_phases" ADD CONSTRAINT "contract_phases_plan_id_plan_version_plan_versions_plan_id_version_fk" FOREIGN KEY ("plan_id","plan_version") REFERENCES "public"."plan_versions"("plan_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contract_phases_contract_date_idx" ON "contract_phases" USING btree ("tenant_id","contract_id","effective_date");