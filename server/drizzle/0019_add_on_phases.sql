DROP INDEX "contract_phases_contract_date_idx";--> statement-breakpoint
ALTER TABLE "contract_phases" ADD COLUMN "component_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "contract_phases_component_date_idx" ON "contract_phases" USING btree ("tenant_id","contract_id","component_id","effective_date") WHERE "contract_phases"."component_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "contract_phases_contract_date_idx" ON "contract_phases" USING btree ("tenant_id","contract_id","effective_date") WHERE "contract_phases"."component_id" IS NULL;