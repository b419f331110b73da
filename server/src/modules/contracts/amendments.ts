import type { CompiledPlan } from "@pricegraph/engine";
import { type PlanDocument, phaseOn } from "@pricegraph/shared";
import type { AmendContract, Contract, ContractPhase } from "@pricegraph/shared/api";
import type { Caller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, type ErrorDetail, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import type { BillingDeps } from "../billing/context.ts";
import { asEvaluationError, recomputeDraft } from "../billing/drafts.ts";
import { draftsOfContract, lastClosedPeriodInvoice } from "../invoices/service.ts";
import { compileOrThrow, refuseArchivedPlan, requirePlan, requireVersion } from "../plans/service.ts";
import {
  type ContractRow,
  type CreditGrantRow,
  grantsOf,
  insertPhase,
  lockContracts,
  type PhaseRow,
  phasesOf,
} from "./queries.ts";
import { overrideProblems, phasesOfContract, requireContract, toContract } from "./service.ts";

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
 * Checks an amendment against the contract and resolves what it leaves unsaid from the phase in effect on its
 * date (400 naming the field for anything invalid, 404 for a version that does not exist).
 */
export async function resolveAmendment(
  db: Db,
  tenantId: string,
  contract: ContractRow,
  phases: readonly ContractPhase[],
  input: Pick<AmendContract, "effectiveDate" | "planVersion" | "paramOverrides"> & {
    creditGrants?: AmendContract["creditGrants"];
  },
): Promise<ResolvedPhase> {
  const problems: ErrorDetail[] = [];
  if (input.effectiveDate <= contract.startDate) {
    problems.push({
      path: "$.effectiveDate",
      message: `must be after the contract's start date ${contract.startDate} (the first phase holds its own terms)`,
    });
  }
  if (contract.endDate && input.effectiveDate > contract.endDate) {
    problems.push({
      path: "$.effectiveDate",
      message: `must not be after the contract's last day ${contract.endDate}`,
    });
  }
  if (problems.length) throw validationFailed(problems);
  const current = phaseOn(phases, input.effectiveDate);
  const number = input.planVersion ?? current.planVersion;
  if (number !== current.planVersion) {
    refuseArchivedPlan(await requirePlan(db, tenantId, contract.planId), "$.planVersion");
  }
  const version = await requireVersion(db, tenantId, contract.planId, number, "$.planVersion");
  const plan = compileOrThrow(version.document);
  const first = await requireVersion(db, tenantId, contract.planId, contract.planVersion, "$.planVersion");
  if (version.document.currency !== first.document.currency) {
    problems.push({
      path: "$.planVersion",
      message: `version ${number} bills in ${version.document.currency}, the contract in ${first.document.currency}`,
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

/** Re-prices every draft invoice of the contract with its terms as they now stand (caller holds the lock). */
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
  const { tenantId } = caller;
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    await lockContracts(tx, [contractId]);
    const contract = await requireContract(tx, tenantId, contractId);
    const existing = await phasesOf(tx, tenantId, [contractId]);
    const phases = phasesOfContract(contract, existing);
    const resolved = await resolveAmendment(tx, tenantId, contract, phases, input);
    const current = phaseOn(phases, input.effectiveDate);
    if (existing.some((phase) => phase.effectiveDate === input.effectiveDate)) {
      throw new ApiError(409, "PHASE_EXISTS", "The contract already changes on that date", [
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
    await requireOpenPeriod(
      tx,
      tenantId,
      contractId,
      input.effectiveDate,
      "$.effectiveDate",
      "The amendment",
    );

    const now = deps.clock();
    const phase: PhaseRow = {
      id: deps.ids("phs"),
      tenantId,
      contractId,
      effectiveDate: input.effectiveDate,
      planId: contract.planId,
      planVersion: resolved.planVersion,
      paramOverrides: resolved.paramOverrides,
      reason: input.reason,
      createdAt: now,
    };
    const before = await grantsOf(tx, tenantId, [contractId]);
    const nextPosition = before.reduce((max, grant) => Math.max(max, grant.position + 1), 0);
    const grants: CreditGrantRow[] = input.creditGrants.map((grant, index) => ({
      id: deps.ids("crg"),
      tenantId,
      contractId,
      position: nextPosition + index,
      pool: grant.pool,
      amount: grant.amount,
      expiresAt: grant.expiresAt ? new Date(grant.expiresAt) : null,
      phaseId: phase.id,
      componentId: null,
    }));
    await insertPhase(tx, phase, grants);
    await repriceDrafts(deps, tx, caller, contractId);
    const amended = toContract(contract, [...before, ...grants], [...existing, phase]);
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

function sameOverrides(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
