import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.ts";

/**
 * A threshold rule on a customer's current period: a metric's usage, the spend so far, or the credits left. With
 * no customer it applies to every customer of the tenant, each on its own.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    name: text("name").notNull(),
    /** `usage` (of `metricKey`), `spend` (the period so far) or `credit_balance` (credits left, all pools). */
    kind: text("kind").notNull(),
    metricKey: text("metric_key"),
    customerId: text("customer_id"),
    /** Decimal strings, ascending; each fires once per customer, contract and period. */
    thresholds: jsonb("thresholds").$type<string[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("alerts_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** One threshold crossed in one period: unique, so concurrent evaluations fire it exactly once. */
export const alertFirings = pgTable(
  "alert_firings",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    alertId: text("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    customerId: text("customer_id").notNull(),
    contractId: text("contract_id").notNull(),
    periodStart: timestamp("period_start", { withTimezone: true, mode: "date" }).notNull(),
    threshold: text("threshold").notNull(),
    /** The measured value that crossed it. */
    value: text("value").notNull(),
    firedAt: timestamp("fired_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    uniqueIndex("alert_firings_once_idx").on(
      t.alertId,
      t.customerId,
      t.contractId,
      t.periodStart,
      t.threshold,
    ),
    index("alert_firings_tenant_idx").on(t.tenantId, t.firedAt, t.id),
  ],
);

/** How far the alert evaluator has scanned ingested events (by `received_at`). */
export const alertScans = pgTable("alert_scans", {
  name: text("name").primaryKey(),
  scannedUntil: timestamp("scanned_until", { withTimezone: true, mode: "date" }).notNull(),
});
