import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

/**
 * The activity log: one immutable record per state change, written in the transaction that makes the change
 * (the outbox). Webhooks, e-mail, the journal and the audit view read it; nothing else keeps a change feed.
 */
export const activity = pgTable(
  "activity",
  {
    id: text("id").primaryKey(),
    /** Insertion order inside the database; the API's cursor and the tie-breaker of `txid`. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    /**
     * The writing transaction (`pg_current_xact_id()`). Consumers read in (txid, seq) order and only below the
     * oldest transaction still running, so a record committed late can never land behind their cursor.
     */
    txid: bigint("txid", { mode: "number" }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    /** `object.verb`, e.g. `invoice.finalized`. */
    type: text("type").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    /** The object as the API answers it, right after the change. */
    object: jsonb("object").notNull(),
    /** `api_key`, `user` or `system` (scheduled jobs, billing runs started by the scheduler). */
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    index("activity_tenant_seq_idx").on(t.tenantId, t.seq),
    index("activity_tenant_object_idx").on(t.tenantId, t.objectId, t.seq),
    index("activity_tenant_type_idx").on(t.tenantId, t.type, t.seq),
    index("activity_txid_seq_idx").on(t.txid, t.seq),
  ],
);

/** How far each consumer of the log (webhooks, e-mail, …) has read it: the (txid, seq) of its last record. */
export const activityConsumers = pgTable("activity_consumers", {
  name: text("name").primaryKey(),
  txid: bigint("txid", { mode: "number" }).notNull(),
  seq: bigint("seq", { mode: "number" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
});
