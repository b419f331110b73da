import { type BillingPeriod, billingPeriods, type RenewalPolicy, renewalPolicies } from "@pricegraph/shared";
import { sql } from "drizzle-orm";
import {
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { customers } from "./customers.ts";
import { plans, planVersions } from "./plans.ts";
import { tenants } from "./tenants.ts";

export { type BillingPeriod, billingPeriods, type RenewalPolicy, renewalPolicies };

/** Per-tenant contract settings; a tenant without a row uses the defaults. */
export const contractSettings = pgTable("contract_settings", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  /** The renewal policy of contracts with a term that do not name their own. */
  renewalPolicy: text("renewal_policy").$type<RenewalPolicy>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
});

export const contracts = pgTable(
  "contracts",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    planId: text("plan_id")
      .notNull()
      .references(() => plans.id),
    planVersion: integer("plan_version").notNull(),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }),
    billingPeriod: text("billing_period").$type<BillingPeriod>().notNull(),
    /** Parameter key → decimal string, validated against the plan version's declared params. */
    paramOverrides: jsonb("param_overrides").$type<Record<string, string>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    /** Length of one term in months; null for a contract without a term (open-ended or with a plain end date). */
    termMonths: integer("term_months"),
    /** What happens when the term ends; null: the tenant's default (`contract_settings`). */
    renewalPolicy: text("renewal_policy").$type<RenewalPolicy>(),
  },
  (t) => [
    foreignKey({
      columns: [t.planId, t.planVersion],
      foreignColumns: [planVersions.planId, planVersions.version],
    }),
    index("contracts_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("contracts_tenant_customer_idx").on(t.tenantId, t.customerId),
  ],
);

/** Credits granted by a contract to a pool that the plan's `credits` nodes draw from. */
export const contractCreditGrants = pgTable(
  "contract_credit_grants",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    contractId: text("contract_id")
      .notNull()
      .references(() => contracts.id),
    position: integer("position").notNull(),
    pool: text("pool").notNull(),
    amount: numeric("amount").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    /** The amendment (phase) that granted it; null for grants made with the contract or on their own. */
    phaseId: text("phase_id"),
    /** The add-on (contract component) whose plan draws it; null: the contract's base plan. */
    componentId: text("component_id"),
  },
  (t) => [index("contract_credit_grants_contract_idx").on(t.contractId)],
);

/**
 * A contract's phases after its first: from `effective_date` (a local date in the customer's zone, inclusive) to
 * the next phase, the contract is priced on `plan_version` of its plan with `param_overrides`. The first phase is
 * the contract row's own terms. Keyed per contract and effective date, so that a later owner of phases (a
 * contract component) can take its own column without reshaping them. An add-on's phases name it in
 * `component_id` (its first phase is the add-on row's own terms).
 */
export const contractPhases = pgTable(
  "contract_phases",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    contractId: text("contract_id")
      .notNull()
      .references(() => contracts.id),
    effectiveDate: date("effective_date", { mode: "string" }).notNull(),
    /** The add-on (contract component) the phase changes; null: the contract's base plan. */
    componentId: text("component_id"),
    planId: text("plan_id").notNull(),
    planVersion: integer("plan_version").notNull(),
    paramOverrides: jsonb("param_overrides").$type<Record<string, string>>().notNull(),
    /** Why it changed, as sales ops wrote it (or the job that made it). */
    reason: text("reason").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.planId, t.planVersion],
      foreignColumns: [planVersions.planId, planVersions.version],
    }),
    // One phase per day and component: the base plan's, and each add-on's (add-ons change on their own dates).
    uniqueIndex("contract_phases_contract_date_idx")
      .on(t.tenantId, t.contractId, t.effectiveDate)
      .where(sql`${t.componentId} IS NULL`),
    uniqueIndex("contract_phases_component_date_idx")
      .on(t.tenantId, t.contractId, t.componentId, t.effectiveDate)
      .where(sql`${t.componentId} IS NOT NULL`),
  ],
);

/**
 * A contract's add-on plans: each priced on its own plan version with its own parameter overrides, credit
 * grants (`contract_credit_grants.component_id`) and dates within the contract's; the contract's own plan is its
 * base. One invoice per contract and period carries the base's lines and every add-on's.
 */
export const contractComponents = pgTable(
  "contract_components",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    contractId: text("contract_id")
      .notNull()
      .references(() => contracts.id),
    position: integer("position").notNull(),
    planId: text("plan_id").notNull(),
    planVersion: integer("plan_version").notNull(),
    /** First day served (local date, inclusive) and last day served (inclusive; null: as long as the contract). */
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }),
    paramOverrides: jsonb("param_overrides").$type<Record<string, string>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.planId, t.planVersion],
      foreignColumns: [planVersions.planId, planVersions.version],
    }),
    index("contract_components_contract_idx").on(t.tenantId, t.contractId),
  ],
);
