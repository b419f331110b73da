import type { AddOnInput, ContractAddOn } from "@pricegraph/shared/api";
import { and, eq, gt, ne } from "drizzle-orm";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { invoices } from "../../db/schema/index.ts";
import { ApiError, type ErrorDetail, notFound, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { compileOrThrow, refuseArchivedPlan, requirePlan, requireVersion } from "../plans/service.ts";
import {
  type ComponentRow,
  type ContractRow,
  type CreditGrantRow,
  componentsOf,
  contractById,
  insertComponents,
  lockContracts,
  type PhaseRow,
} from "./queries.ts";
import { overrideProblems, toPhase } from "./service.ts";

/**
 * Contract add-ons: plans billed on top of the contract's own (base) plan, each with its own version, parameter
 * overrides, credit grants and dates within the contract's. Billing puts every add-on's lines on the contract's
 * invoice of the period (see billing/add-ons.ts).
 */

export function toAddOn(
  row: ComponentRow,
  grants: readonly CreditGrantRow[],
  phases: readonly PhaseRow[] = [],
): ContractAddOn {
  return {
    id: row.id,
    planId: row.planId,
    planVersion: row.planVersion,
    startDate: row.startDate,
    endDate: row.endDate,
    paramOverrides: row.paramOverrides,
    creditGrants: grants
      .filter((grant) => grant.componentId === row.id)
      .map((grant) => ({
        pool: grant.pool,
        amount: grant.amount,
        expiresAt: grant.expiresAt?.toISOString() ?? null,
      })),
    phases: [
      {
        id: row.id,
        effectiveDate: row.startDate,
        planVersion: row.planVersion,
        paramOverrides: row.paramOverrides,
        reason: null,
        createdAt: row.createdAt.toISOString(),
      },
      ...phases.filter((phase) => phase.componentId === row.id).map(toPhase),
    ],
  };
}

/** Rows for add-ons of `contract`, checked against their plans and the contract; every problem is reported. */
export async function addOnRows(
  deps: Pick<Deps, "db" | "ids" | "clock">,
  tenantId: string,
  contract: Pick<ContractRow, "id" | "startDate" | "endDate">,
  currency: string,
  inputs: readonly AddOnInput[],
  firstPosition: number,
  pathOf: (index: number) => string,
): Promise<{ components: ComponentRow[]; grants: CreditGrantRow[] }> {
  const problems: ErrorDetail[] = [];
  const components: ComponentRow[] = [];
  const grants: CreditGrantRow[] = [];
  for (const [index, input] of inputs.entries()) {
    const path = pathOf(index);
    const plan = await requirePlan(deps.db, tenantId, input.planId, `${path}.planId`);
    refuseArchivedPlan(plan, `${path}.planId`);
    const number = input.planVersion ?? plan.latestVersion;
    if (number === null) {
      problems.push({
        path: `${path}.planVersion`,
        message: `plan ${input.planId} has no published version yet`,
      });
      continue;
    }
    const version = await requireVersion(deps.db, tenantId, input.planId, number, `${path}.planVersion`);
    const compiled = compileOrThrow(version.document);
    if (version.document.currency !== currency) {
      problems.push({
        path: `${path}.planId`,
        message: `the add-on is priced in ${version.document.currency}, the contract in ${currency}`,
      });
    }
    problems.push(...overrideProblems(version.document, input.paramOverrides, `${path}.paramOverrides`));
    const startDate = input.startDate ?? contract.startDate;
    const endDate = input.endDate ?? contract.endDate;
    if (startDate < contract.startDate)
      problems.push({
        path: `${path}.startDate`,
        message: `must not be before the contract's start (${contract.startDate})`,
      });
    if (contract.endDate && endDate && endDate > contract.endDate)
      problems.push({
        path: `${path}.endDate`,
        message: `must not be after the contract's end (${contract.endDate})`,
      });
    if (endDate && endDate < startDate)
      problems.push({ path: `${path}.endDate`, message: "must not be before the add-on's start" });
    input.creditGrants.forEach((grant, i) => {
      if (!compiled.creditPools.includes(grant.pool)) {
        problems.push({
          path: `${path}.creditGrants[${i}].pool`,
          message: `the add-on's plan has no credit pool "${grant.pool}" (pools: ${compiled.creditPools.join(", ") || "none"})`,
        });
      }
    });
    const id = deps.ids("cmp");
    components.push({
      id,
      tenantId,
      contractId: contract.id,
      position: firstPosition + index,
      planId: input.planId,
      planVersion: version.version,
      startDate,
      endDate,
      paramOverrides: input.paramOverrides,
      createdAt: deps.clock(),
    });
    for (const [position, grant] of input.creditGrants.entries()) {
      grants.push({
        id: deps.ids("crg"),
        tenantId,
        contractId: contract.id,
        componentId: id,
        phaseId: null,
        position,
        pool: grant.pool,
        amount: grant.amount,
        expiresAt: grant.expiresAt ? new Date(grant.expiresAt) : null,
      });
    }
  }
  if (problems.length) throw validationFailed(problems);
  return { components, grants };
}

/**
 * Adds an add-on to an existing contract. It may not start inside a period a finalized invoice closed (that
 * invoice cannot carry it any more); a draft of that period takes it when refreshed.
 */
export async function addAddOn(
  deps: Deps,
  caller: Caller,
  contractId: string,
  input: AddOnInput,
): Promise<ContractAddOn> {
  const { tenantId } = caller;
  const contract = await contractById(deps.db, tenantId, contractId);
  if (!contract) throw notFound("Contract", [{ path: "params.id", message: `no contract ${contractId}` }]);
  const base = await requireVersion(deps.db, tenantId, contract.planId, contract.planVersion);
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    await lockContracts(tx, [contractId]);
    const existing = await componentsOf(tx, tenantId, [contractId]);
    const { components, grants } = await addOnRows(
      { ...deps, db: tx },
      tenantId,
      contract,
      base.document.currency,
      [input],
      existing.length,
      () => "$",
    );
    const finalized = await tx
      .select({ id: invoices.id, periodStartDate: invoices.periodStartDate })
      .from(invoices)
      .where(
        and(
          eq(invoices.tenantId, tenantId),
          eq(invoices.contractId, contractId),
          ne(invoices.status, "draft"),
          gt(invoices.periodEndDate, components[0].startDate),
        ),
      )
      .limit(1);
    if (finalized.length) {
      throw new ApiError(409, "PERIOD_FINALIZED", "The add-on would start in a period already invoiced", [
        {
          path: "$.startDate",
          message: `the invoice of the period from ${finalized[0].periodStartDate} is final; start the add-on later`,
        },
      ]);
    }
    await insertComponents(tx, components, grants);
    const addOn = toAddOn(components[0], grants);
    await recordActivity(deps, tx, caller, {
      type: "contract_add_on.created",
      objectId: components[0].id,
      object: { ...addOn, contractId },
    });
    return addOn;
  });
}
