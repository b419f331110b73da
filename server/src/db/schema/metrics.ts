import { type Aggregation, aggregations, type RoundingMode, roundingModes } from "@pricegraph/shared";
import { jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

export { type Aggregation, aggregations, type RoundingMode, roundingModes };

export interface MetricFilter {
  property: string;
  values: string[];
}

export interface MetricRounding {
  mode: RoundingMode;
  precision: number;
}

/** A billable metric: how events of one type aggregate into a usage value. Keyed per tenant by `key`. */
export const metrics = pgTable(
  "metrics",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    eventType: text("event_type").notNull(),
    aggregation: text("aggregation").$type<Aggregation>().notNull(),
    property: text("property"),
    filters: jsonb("filters").$type<MetricFilter[]>().notNull(),
    groupBy: jsonb("group_by").$type<string[]>().notNull(),
    rounding: jsonb("rounding").$type<MetricRounding | null>(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);
