CREATE TABLE "contract_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"renewal_policy" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "term_months" integer;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "renewal_policy" text;--> statement-breakpoint
ALTER TABLE "contract_settings" ADD CONSTRAINT "contract_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;