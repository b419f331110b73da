import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

/** Where a tenant wants activity records delivered, and the secret that signs them. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    url: text("url").notNull(),
    description: text("description").notNull(),
    /** Activity types to send, or `["*"]` for every type. */
    eventTypes: jsonb("event_types").$type<string[]>().notNull(),
    enabled: boolean("enabled").notNull(),
    /** Kept in clear: signing needs it (like an API key of the receiver's, not ours). */
    secret: text("secret").notNull(),
    /** The secret before the last rotation: deliveries carry a second signature with it until it expires. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("webhook_endpoints_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** One event for one endpoint: its body is fixed when it is created, its id is the same on every attempt. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** The activity record's id (or a `webhook.test` event's own id). */
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    /** The exact bytes signed and sent on every attempt. */
    body: text("body").notNull(),
    /** `pending` (an attempt is queued), `succeeded`, `failed` (retries gave up) or `canceled` (endpoint disabled). */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull(),
    /** Which queued job may attempt: a resend queues a new one and retires the retries still waiting. */
    jobSeq: integer("job_seq").notNull(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }),
    firstAttemptAt: timestamp("first_attempt_at", { withTimezone: true, mode: "date" }),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true, mode: "date" }),
    lastStatusCode: integer("last_status_code"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_idx").on(t.endpointId, t.eventId),
    index("webhook_deliveries_tenant_endpoint_idx").on(t.tenantId, t.endpointId, t.createdAt, t.id),
  ],
);

/** Every HTTP attempt of a delivery: what the receiver answered (or why there was no answer) and how fast. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: timestamp("attempted_at", { withTimezone: true, mode: "date" }).notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    manual: boolean("manual").notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attemptedAt)],
);
