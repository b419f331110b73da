ALTER TABLE "billing_runs" ADD COLUMN "scheduled_for" text;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD COLUMN "scheduled_runs" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD COLUMN "scheduled_run_hour" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_runs_tenant_scheduled_idx" ON "billing_runs" USING btree ("tenant_id","scheduled_for") WHERE scheduled_for IS NOT NULL;