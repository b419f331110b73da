CREATE TABLE "activity" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "activity_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"txid" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL,
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"object" jsonb NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activity" ADD CONSTRAINT "activity_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_tenant_seq_idx" ON "activity" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE INDEX "activity_tenant_object_idx" ON "activity" USING btree ("tenant_id","object_id","seq");--> statement-breakpoint
CREATE INDEX "activity_tenant_type_idx" ON "activity" USING btree ("tenant_id","type","seq");--> statement-breakpoint
CREATE INDEX "activity_txid_seq_idx" ON "activity" USING btree ("txid","seq");--> statement-breakpoint
-- The activity log is append-only: records are never changed, deleted or truncated.
CREATE OR REPLACE FUNCTION pricegraph_guard_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'activity records are append-only' USING ERRCODE = '55000';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER activity_append_only BEFORE UPDATE OR DELETE ON activity
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_activity();
--> statement-breakpoint
CREATE TRIGGER activity_no_truncate BEFORE TRUNCATE ON activity
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_activity();
