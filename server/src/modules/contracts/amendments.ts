import type { CompiledPlan } from "@pricegraph/engine";
import { type PlanDocument, phaseOn } from "@pricegraph/shared";
import type { AmendContract, Contract, ContractPhase } from "@pricegraph/shared/api";
import type { Caller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, type ErrorDetail, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import type { BillingDeps } from "../billing/context.ts";
import { asEvaluationError, recomputeDraft } from "../billing/drafts.ts";
import { lockContractsWithDrafts } from "../invoices/contract-locks.ts";
import { draftsOfContract, lastClosedPeriodInvoice } from "../invoices/service.ts";
import { compileOrThrow, refuseArchivedPlan, requirePlan, requireVersion } from "../plans/service.ts";
import {
  type ComponentRow,
  type ContractRow,
  type CreditGrantRow,
  grantsOf,
  insertPhase,
  type PhaseRow,
  phasesOf,
} from "./queries.ts";
import { overrideProblems, requireContract, toContract, toPhase } from "./service.ts";

/**
 * Amendments: a contract is a sequence of phases, each with a plan version of the contract's plan and parameter
 * overrides, from its effective date to the next one's. An amendment adds a phase. Periods on finalized invoices
 * never change, so an amendment dated into one is refused (409); one in a period whose invoice is still a draft
 * re-prices that draft at once; later periods are priced per phase when they are billed. See docs/contracts.md.
 *
 * Contract changes orchestrate billing (they re-price drafts), so this file calls billing/, never the reverse.
 */

/** What a phase change resolves to before it is stored (or quoted): the version, its plan and the overrides. */
export interface ResolvedPhase {
  effectiveDate: string;
  planVersion: number;
  document: PlanDocument;
  plan: CompiledPlan;
  paramOverrides: Record<string, string>;
}

/**
 * What phases change: a contract's base plan, or one of its add-ons. Both follow the same rules; an add-on's
 * phases change versions of its own plan, within its own dates.
 */
export interface PhaseOwner {
  /** The add-on's id; null for the contract's base plan. */
  componentId: string | null;
  /** The contract's or the add-on's id: its first phase's. */
  id: string;
  planId: string;
  /** The version of the owner's first phase (its own terms): the currency every later phase must bill in. */
  planVersion: number;
  paramOverrides: Record<string, string>;
  createdAt: Date;
  startDate: string;
  /** Last day served (inclusive); null: open-ended. */
  endDate: string | null;
  /** How messages name it: "contract" or "add-on". */
  noun: "contract" | "add-on";
}

export const baseOwner = (contract: ContractRow): PhaseOwner => ({
  componentId: null,
  id: contract.id,
  planId: contract.planId,
  planVersion: contract.planVersion,
  paramOverrides: contract.paramOverrides,
  createdAt: contract.createdAt,
  startDate: contract.startDate,
  endDate: contract.endDate,
  noun: "contract",
});

export const addOnOwner = (contract: ContractRow, component: ComponentRow): PhaseOwner => ({
  componentId: component.id,
  id: component.id,
  planId: component.planId,
  planVersion: component.planVersion,
  paramOverrides: component.paramOverrides,
  createdAt: component.createdAt,
  startDate: component.startDate,
  endDate: component.endDate ?? contract.endDate,
  noun: "add-on",
});

/**
 * Checks an amendment against its owner (the contract's base plan or an add-on) and resolves what it leaves
 * unsaid from the phase in effect on its date (400 naming the field for anything invalid, 404 for a version that
 * does not exist).
 */
export async function resolveAmendment(
  db: Db,
  tenantId: string,
  owner: PhaseOwner,
  phases: readonly ContractPhase[],
  input: Pick<AmendContract, "effectiveDate" | "planVersion" | "paramOverrides"> & {
    creditGrants?: AmendContract["creditGrants"];
  },
): Promise<ResolvedPhase> {
  const problems: ErrorDetail[] = [];
  if (input.effectiveDate <= owner.startDate) {
    problems.push({
      path: "$.effectiveDate",
      message: `must be after the ${owner.noun}'s start date ${owner.startDate} (the first phase holds its own terms)`,
    });
  }
  if (owner.endDate && input.effectiveDate > owner.endDate) {
    problems.push({
      path: "$.effectiveDate",
      message: `must not be after the ${owner.noun}'s last day ${owner.endDate}`,
    });
  }
  if (problems.length) throw validationFailed(problems);
  const current = phaseOn(phases, input.effectiveDate);
  const number = input.planVersion ?? current.planVersion;
  if (number !== current.planVersion) {
    refuseArchivedPlan(await requirePlan(db, tenantId, owner.planId), "$.planVersion");
  }
  const version = await requireVersion(db, tenantId, owner.planId, number, "$.planVersion");
  const plan = compileOrThrow(version.document);
  const first = await requireVersion(db, tenantId, owner.planId, owner.planVersion, "$.planVersion");
  if (version.document.currency !== first.document.currency) {
    problems.push({
      path: "$.planVersion",
      message: `version ${number} bills in ${version.document.currency}, the ${owner.noun} in ${first.document.currency}`,
    });
  }
  const paramOverrides = input.paramOverrides ?? current.paramOverrides;
  problems.push(...overrideProblems(version.document, paramOverrides));
  (input.creditGrants ?? []).forEach((grant, index) => {
    if (!plan.creditPools.includes(grant.pool)) {
      problems.push({
        path: `$.creditGrants[${index}].pool`,
        message: `the plan has no credit pool "${grant.pool}" (pools: ${plan.creditPools.join(", ") || "none"})`,
      });
    }
  });
  if (problems.length) throw validationFailed(problems);
  return {
    effectiveDate: input.effectiveDate,
    planVersion: number,
    document: version.document,
    plan,
    paramOverrides,
  };
}

/**
 * Refuses a change that would reach into a period a finalized (or void) invoice closed: 409 with code
 * `PERIOD_FINALIZED`, naming the field and the invoice.
 */
export async function requireOpenPeriod(
  tx: Db,
  tenantId: string,
  contractId: string,
  date: string,
  field: string,
  what: string,
): Promise<void> {
  const closed = await lastClosedPeriodInvoice(tx, tenantId, contractId);
  if (closed && date < closed.periodEndDate) {
    const name = closed.number ?? closed.id;
    throw new ApiError(
      409,
      "PERIOD_FINALIZED",
      `${what} would change a period already invoiced on ${closed.status} invoice ${name}`,
      [
        {
          path: field,
          message: `falls in or before the period ${closed.periodStartDate} – ${closed.periodEndDate} (end exclusive) of invoice ${name}; the first open day is ${closed.periodEndDate}`,
        },
      ],
    );
  }
}

/**
 * Re-prices every draft invoice of the contract with its terms as they now stand (caller holds the locks of the
 * contract and of every contract its drafts bill: `lockContractsWithDrafts`).
 */
export async function repriceDrafts(deps: BillingDeps, tx: Db, caller: Caller, contractId: string) {
  for (const draft of await draftsOfContract(tx, caller.tenantId, contractId)) {
    await recomputeDraft(deps, tx, caller, draft).catch(asEvaluationError);
  }
}

/**
 * POST /v1/contracts/:id/amendments: adds a phase from `effectiveDate` with a new plan version, new overrides
 * and/or new credit grants, re-prices the contract's drafts and records `contract.amended`. Other modules (plan
 * migration) create amendments through this function.
 */
export async function amendContract(
  deps: BillingDeps,
  caller: Caller,
  contractId: string,
  input: AmendContract,
): Promise<Contract> {
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    await lockContractsWithDrafts(tx, caller.tenantId, [contractId]);
    const contract = await requireContract(tx, caller.tenantId, contractId);
    const existing = await phasesOf(tx, caller.tenantId, [contractId]);
    const { phase } = await addPhase(deps, tx, caller, contract, baseOwner(contract), existing, input);
    const amended = toContract(contract, await grantsOf(tx, caller.tenantId, [contractId]), [
      ...existing,
      phase,
    ]);
    await recordActivity(deps, tx, caller, {
      type: "contract.amended",
      objectId: contractId,
      object: {
        ...amended,
        amendment: { ...amended.phases.find((p) => p.id === phase.id), creditGrants: input.creditGrants },
      },
    });
    return amended;
  });
}

/**
 * Adds a phase to the base plan or an add-on of a locked contract, with the rules every phase change follows:
 * PHASE_EXISTS on a day a phase of the same owner starts, nothing unchanged, PERIOD_FINALIZED into an invoiced
 * period; stores it with its grants and re-prices the contract's drafts in the caller's transaction.
 */
export async function addPhase(
  deps: BillingDeps,
  tx: Db,
  caller: Caller,
  contract: ContractRow,
  owner: PhaseOwner,
  existing: readonly PhaseRow[],
  input: AmendContract,
): Promise<{ phase: PhaseRow; grants: CreditGrantRow[] }> {
  const { tenantId } = caller;
  const phases = phasesOfOwner(owner, existing);
  const resolved = await resolveAmendment(tx, tenantId, owner, phases, input);
  const current = phaseOn(phases, input.effectiveDate);
  if (phases.some((phase, index) => index > 0 && phase.effectiveDate === input.effectiveDate)) {
    throw new ApiError(409, "PHASE_EXISTS", `The ${owner.noun} already changes on that date`, [
      {
        path: "$.effectiveDate",
        message: `a phase starts on ${input.effectiveDate}; amend from another day`,
      },
    ]);
  }
  const unchanged =
    resolved.planVersion === current.planVersion &&
    sameOverrides(resolved.paramOverrides, current.paramOverrides) &&
    input.creditGrants.length === 0;
  if (unchanged) {
    throw validationFailed([
      { path: "$", message: "changes neither the plan version, the parameters nor the credit grants" },
    ]);
  }
  await requireOpenPeriod(tx, tenantId, contract.id, input.effectiveDate, "$.effectiveDate", "The amendment");

  const phase: PhaseRow = {
    id: deps.ids("phs"),
    tenantId,
    contractId: contract.id,
    componentId: owner.componentId,
    effectiveDate: input.effectiveDate,
    planId: owner.planId,
    planVersion: resolved.planVersion,
    paramOverrides: resolved.paramOverrides,
    reason: input.reason,
    createdAt: deps.clock(),
  };
  const before = (await grantsOf(tx, tenantId, [contract.id])).filter(
    (grant) => grant.componentId === owner.componentId,
  );
  const nextPosition = before.reduce((max, grant) => Math.max(max, grant.position + 1), 0);
  const grants: CreditGrantRow[] = input.creditGrants.map((grant, index) => ({
    id: deps.ids("crg"),
    tenantId,
    contractId: contract.id,
    position: nextPosition + index,
    pool: grant.pool,
    amount: grant.amount,
    expiresAt: grant.expiresAt ? new Date(grant.expiresAt) : null,
    phaseId: phase.id,
    componentId: owner.componentId,
  }));
  await insertPhase(tx, phase, grants);
  await repriceDrafts(deps, tx, caller, contract.id);
  return { phase, grants };
}

/** An owner's phases as the API shows them: its own terms first, then its amendments by effective date. */
export function phasesOfOwner(owner: PhaseOwner, rows: readonly PhaseRow[]): ContractPhase[] {
  return [
    {
      id: owner.id,
      effectiveDate: owner.startDate,
      planVersion: owner.planVersion,
      paramOverrides: owner.paramOverrides,
      reason: null,
      createdAt: owner.createdAt.toISOString(),
    },
    ...rows.filter((row) => row.componentId === owner.componentId).map(toPhase),
  ];
}

function sameOverrides(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
