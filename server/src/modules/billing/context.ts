import { type CompiledPlan, compile } from "@pricegraph/engine";
import type { ContractTerms, PlanDocument } from "@pricegraph/shared";
import type { Deps } from "../../context.ts";
import { BillingEvaluationError } from "./compute.ts";
import type { ContractContextRow } from "./queries.ts";

/** Time spent in each phase of billing, accumulated over calls (the benchmark prints them). */
export interface BillingTimings {
  aggregateMs: number;
  evaluateMs: number;
  persistMs: number;
  /** Of persist: building the rows, then storing invoices, lines, draws and activity records. */
  rowsMs: number;
  invoicesMs: number;
}

/**
 * What billing keeps between calls, one per app (created where the billing routes are registered) and passed
 * in, never a module global: the compiled plans, the phase timings, and how a run lets the event loop breathe.
 */
export interface BillingContext {
  /** Published plan versions never change, so their compiled form is kept by tenant, plan and version. */
  plans: Map<string, CompiledPlan>;
  timings: BillingTimings;
  /**
   * Awaited between contracts while a run evaluates them, so HTTP requests of the same process are answered
   * in between (default: one turn of the event loop through `setImmediate`).
   */
  breathe: () => Promise<void>;
  /** How long billing computes before it breathes (milliseconds; 0: between every two contracts). */
  breatheEveryMs: number;
}

/** Services that bill: the usual dependencies and the billing context. */
export interface BillingDeps extends Deps {
  billing: BillingContext;
}

const PLAN_CACHE_SIZE = 500;

export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createBillingContext(
  options: Partial<Pick<BillingContext, "breathe" | "breatheEveryMs">> = {},
): BillingContext {
  return {
    plans: new Map(),
    timings: { aggregateMs: 0, evaluateMs: 0, persistMs: 0, rowsMs: 0, invoicesMs: 0 },
    breathe: options.breathe ?? nextTurn,
    // A few milliseconds of billing between two turns of the event loop: requests wait at most that long for
    // billing's own computing, and a run of 10,000 contracts breathes hundreds of times, not 10,000.
    breatheEveryMs: options.breatheEveryMs ?? 10,
  };
}

export function compiledPlan(
  billing: BillingContext,
  tenantId: string,
  planId: string,
  version: number,
  document: PlanDocument,
): CompiledPlan {
  const key = `${tenantId}\u0000${planId}\u0000${version}`;
  let plan = billing.plans.get(key);
  if (!plan) {
    const result = compile(document);
    if (!result.ok) throw new BillingEvaluationError(result.problems);
    if (billing.plans.size >= PLAN_CACHE_SIZE) billing.plans.clear();
    plan = result.plan;
    billing.plans.set(key, plan);
  }
  return plan;
}

/** One phase of a contract as billing prices it: from its effective date, this plan version and parameters. */
export interface PricedPhase {
  effectiveDate: string;
  planVersion: number;
  plan: CompiledPlan;
  params: Record<string, string>;
}

/**
 * A contract as billing works with it: its row, its first phase's compiled plan, its period terms and its phases
 * (the first being the contract's own terms).
 */
export interface ContractContext {
  row: ContractContextRow;
  plan: CompiledPlan;
  terms: ContractTerms;
  phases: PricedPhase[];
  /** Add-on plans billed on the same invoices (see add-ons.ts). */
  addOns: PricedAddOn[];
}

/** A contract add-on as billing prices it: its own plan and parameters over its own days. */
export interface PricedAddOn {
  id: string;
  startDate: string;
  /** Last day served, inclusive; null: as long as the contract. */
  endDate: string | null;
  plan: CompiledPlan;
  params: Record<string, string>;
  /** Its phases: the add-on's own terms from its start, then its amendments by effective date. */
  phases: PricedPhase[];
}

export function toContext(
  billing: BillingContext,
  tenantId: string,
  row: ContractContextRow,
): ContractContext {
  const { contract } = row;
  const plan = compiledPlan(billing, tenantId, contract.planId, contract.planVersion, row.document);
  const first: PricedPhase = {
    effectiveDate: contract.startDate,
    planVersion: contract.planVersion,
    plan,
    params: contract.paramOverrides,
  };
  return {
    row,
    plan,
    phases: [
      first,
      ...row.phases.map((phase) => ({
        effectiveDate: phase.effectiveDate,
        planVersion: phase.planVersion,
        plan: compiledPlan(billing, tenantId, phase.planId, phase.planVersion, phase.document),
        params: phase.paramOverrides,
      })),
    ],
    addOns: (row.addOns ?? []).map((addOn) => {
      const addOnPlan = compiledPlan(billing, tenantId, addOn.planId, addOn.planVersion, addOn.document);
      return {
        id: addOn.id,
        startDate: addOn.startDate,
        endDate: addOn.endDate,
        plan: addOnPlan,
        params: addOn.paramOverrides,
        phases: [
          {
            effectiveDate: addOn.startDate,
            planVersion: addOn.planVersion,
            plan: addOnPlan,
            params: addOn.paramOverrides,
          },
          ...(addOn.phases ?? []).map((phase) => ({
            effectiveDate: phase.effectiveDate,
            planVersion: phase.planVersion,
            plan: compiledPlan(billing, tenantId, phase.planId, phase.planVersion, phase.document),
            params: phase.paramOverrides,
          })),
        ],
      };
    }),
    terms: {
      startDate: contract.startDate,
      endDate: contract.endDate,
      billingPeriod: contract.billingPeriod,
      timezone: row.timezone,
    },
  };
}
