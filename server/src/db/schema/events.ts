import { index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Usage events, idempotent on (tenant_id, event_id) forever. Events name the customer by external id and are
 * kept even when no such customer exists yet; aggregation joins on the external id.
 */
export const events = pgTable(
  "events",
  {
    // No foreign key: ingestion is the hot path and the tenant always comes from an authenticated key.
    tenantId: text("tenant_id").notNull(),
    eventId: text("event_id").notNull(),
    customerExternalId: text("customer_external_id").notNull(),
    type: text("type").notNull(),
    timestamp: timestamp("timestamp", { withTimezone: true, mode: "date" }).notNull(),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.eventId] }),
    index("events_customer_type_time_idx").on(t.tenantId, t.customerExternalId, t.type, t.timestamp),
    index("events_type_time_idx").on(t.tenantId, t.type, t.timestamp),
    index("events_time_idx").on(t.tenantId, t.timestamp),
  ],
);
