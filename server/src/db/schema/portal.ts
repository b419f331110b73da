import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

/**
 * A customer's read-only portal link. The token itself is shown once (in the link); the database keeps its
 * sha256, so a leaked database does not leak working links. Expired or revoked links open nothing.
 */
export const portalLinks = pgTable(
  "portal_links",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    customerId: text("customer_id").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("portal_links_customer_idx").on(t.tenantId, t.customerId, t.createdAt)],
);
