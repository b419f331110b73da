DROP TABLE "billing_jobs" CASCADE;--> statement-breakpoint
ALTER TABLE "billing_runs" ADD COLUMN "done_batches" integer[] DEFAULT '{}'::integer[] NOT NULL;