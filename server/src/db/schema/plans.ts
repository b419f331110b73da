import type { PlanDocument } from "@pricegraph/shared";
import { index, integer, json, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

// Documents are `json`, not `jsonb`: the stored text keeps the key order the editor saved.
export const plans = pgTable(
  "plans",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    name: text("name").notNull(),
    description: text("description"),
    draft: json("draft").$type<PlanDocument>().notNull(),
    latestVersion: integer("latest_version"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
    /** Set while the plan is archived: hidden from pickers and new contracts, its history kept. */
    archivedAt: timestamp("archived_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("plans_tenant_created_idx").on(t.tenantId, t.createdAt, t.id)],
);

/** A published, immutable plan version. Rows are only ever inserted. */
export const planVersions = pgTable(
  "plan_versions",
  {
    planId: text("plan_id")
      .notNull()
      .references(() => plans.id),
    version: integer("version").notNull(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    document: json("document").$type<PlanDocument>().notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.version] })],
);
