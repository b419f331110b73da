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
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
    /** Set while the customer is archived: hidden from pickers, contracts and invoices kept. */
    archivedAt: timestamp("archived_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("customers_tenant_external_id_uq").on(t.tenantId, t.externalId),
    index("customers_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
  ],
);
