import { index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    email: text("email"),
    timezone: text("timezone").notNull(),
    currency: text("currency"),
    /** The account this one is a child of now: its events count toward the parent (see customer_parent_links). */
    parentId: text("parent_id"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
    /** Set while the customer is archived: hidden from pickers, contracts and invoices kept. */
    archivedAt: timestamp("archived_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("customers_tenant_external_id_uq").on(t.tenantId, t.externalId),
    index("customers_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("customers_tenant_parent_idx").on(t.tenantId, t.parentId),
  ],
);

/**
 * When a customer was a child of which parent: usage is routed by the event's timestamp, so moving a child
 * re-routes only what happens after the move. `validFrom` null: since always (a child created under its
 * parent brings its earlier events along); `validTo` null: still so. A customer's links never overlap.
 */
export const customerParentLinks = pgTable(
  "customer_parent_links",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    parentId: text("parent_id")
      .notNull()
      .references(() => customers.id),
    validFrom: timestamp("valid_from", { withTimezone: true, mode: "date" }),
    validTo: timestamp("valid_to", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    index("customer_parent_links_customer_idx").on(t.tenantId, t.customerId),
    index("customer_parent_links_parent_idx").on(t.tenantId, t.parentId),
  ],
);
