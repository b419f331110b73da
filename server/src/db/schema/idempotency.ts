import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

/**
 * `Idempotency-Key` of POST requests, per tenant: the first request claims the key (`in_progress`), and its answer
 * is kept (`done`) for 24 hours so a retry gets the same answer instead of a second change.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    key: text("key").notNull(),
    requestMethod: text("request_method").notNull(),
    requestPath: text("request_path").notNull(),
    /** SHA-256 of the raw body; null while a streamed (CSV) body is still being read by its first request. */
    requestHash: text("request_hash"),
    status: text("status", { enum: ["in_progress", "done"] }).notNull(),
    /** The request that holds the claim: only it may complete or release the key. */
    claimId: text("claim_id").notNull(),
    /** An `in_progress` claim not renewed by then belongs to a process that stopped: the key is free again. */
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    responseStatus: integer("response_status"),
    responseContentType: text("response_content_type"),
    responseBody: text("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    primaryKey({ name: "idempotency_keys_pk", columns: [t.tenantId, t.key] }),
    index("idempotency_keys_tenant_expires_idx").on(t.tenantId, t.expiresAt),
    check("idempotency_keys_status_check", sql`${t.status} in ('in_progress', 'done')`),
    check(
      "idempotency_keys_done_check",
      sql`${t.status} = 'in_progress' or (${t.responseStatus} is not null and ${t.requestHash} is not null)`,
    ),
  ],
);
