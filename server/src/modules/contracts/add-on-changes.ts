import type { AmendContract, ContractAddOn, EndContract, EndedAddOn } from "@pricegraph/shared/api";
import type { Caller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { type ErrorDetail, notFound, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import type { BillingDeps } from "../billing/context.ts";
import { toContext } from "../billing/context.ts";
import { contractContexts } from "../billing/queries.ts";
import { lockContractsWithDrafts } from "../invoices/contract-locks.ts";
import { toAddOn } from "./add-ons.ts";
import { addOnOwner, addPhase, repriceDrafts, requireOpenPeriod } from "./amendments.ts";
import { creditAdvanceAfterEnd, dayAfter } from "./ending.ts";
import {
  addOnPhasesOf,
  type ComponentRow,
  type ContractRow,
  componentsOf,
  grantsOf,
  setComponentEnd,
} from "./queries.ts";
import { requireContract } from "./service.ts";

/**
 * Add-ons change as contracts do: an amendment adds a phase of the add-on from a date (a version of its own plan,
 * its overrides, grants to its own pools), and an end sets its last day, prorating its last period and crediting
 * advance fees billed past it. The rules, refusals and draft re-pricing are the contract's own (amendments.ts,
 * ending.ts), applied to the add-on's plan and dates. See docs/catalog.md.
 */

/** The contract (locked in `tx` with the contracts its drafts bill) and its add-on, or 404 naming the path parameter. */
async function lockedAddOn(
  tx: Db,
  tenantId: string,
  contractId: string,
  addOnId: string,
): Promise<{ contract: ContractRow; component: ComponentRow }> {
  await lockContractsWithDrafts(tx, tenantId, [contractId]);
  const contract = await requireContract(tx, tenantId, contractId);
  const component = (await componentsOf(tx, tenantId, [contractId])).find((c) => c.id === addOnId);
  if (!component) {
    throw notFound("Add-on", [
      { path: "params.addOnId", message: `contract ${contractId} has no add-on ${addOnId}` },
    ]);
  }
  return { contract, component };
}

/** The add-on as the API shows it, from what the transaction sees now. */
async function currentAddOn(tx: Db, tenantId: string, component: ComponentRow): Promise<ContractAddOn> {
  const contractId = component.contractId;
  return toAddOn(
    component,
    await grantsOf(tx, tenantId, [contractId]),
    await addOnPhasesOf(tx, tenantId, [contractId]),
  );
}

/**
 * POST /v1/contracts/:id/add-ons/:addOnId/amendments: a phase of the add-on from `effectiveDate`, with the rules
 * of a contract amendment (PERIOD_FINALIZED, PHASE_EXISTS, PLAN_ARCHIVED, overrides checked against the version,
 * the add-on's currency); drafts are re-priced in the same transaction. Records `contract_add_on.amended`.
 */
export async function amendAddOn(
  deps: BillingDeps,
  caller: Caller,
  contractId: string,
  addOnId: string,
  input: AmendContract,
): Promise<ContractAddOn> {
  const { tenantId } = caller;
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    const { contract, component } = await lockedAddOn(tx, tenantId, contractId, addOnId);
    const existing = (await addOnPhasesOf(tx, tenantId, [contractId])).filter(
      (p) => p.componentId === addOnId,
    );
    const { phase } = await addPhase(
      deps,
      tx,
      caller,
      contract,
      addOnOwner(contract, component),
      existing,
      input,
    );
    const addOn = await currentAddOn(tx, tenantId, component);
    await recordActivity(deps, tx, caller, {
      type: "contract_add_on.amended",
      objectId: addOnId,
      object: {
        ...addOn,
        contractId,
        amendment: { ...addOn.phases.find((p) => p.id === phase.id), creditGrants: input.creditGrants },
      },
    });
    return addOn;
  });
}

/**
 * POST /v1/contracts/:id/add-ons/:addOnId/end: the add-on's last day becomes `endDate`. Its last period is
 * prorated through it; advance fees finalized invoices billed for its days after the end come back as credit
 * notes; drafts are re-priced. Refused like a contract's end: before its start or an amendment of it (400), after
 * the contract's last day (400), changing days of a period a finalized invoice closed (409 PERIOD_FINALIZED).
 * Records `contract_add_on.ended`.
 */
export async function endAddOn(
  deps: BillingDeps,
  caller: Caller,
  contractId: string,
  addOnId: string,
  input: EndContract,
): Promise<EndedAddOn> {
  const { tenantId } = caller;
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    const { contract, component } = await lockedAddOn(tx, tenantId, contractId, addOnId);
    const problems: ErrorDetail[] = [];
    if (input.endDate < component.startDate) {
      problems.push({
        path: "$.endDate",
        message: `must not be before the add-on's start ${component.startDate}`,
      });
    }
    if (contract.endDate && input.endDate > contract.endDate) {
      problems.push({
        path: "$.endDate",
        message: `must not be after the contract's last day ${contract.endDate}`,
      });
    }
    const phases = (await addOnPhasesOf(tx, tenantId, [contractId])).filter((p) => p.componentId === addOnId);
    const later = phases.find((phase) => phase.effectiveDate > input.endDate);
    if (later) {
      problems.push({
        path: "$.endDate",
        message: `an amendment of the add-on takes effect on ${later.effectiveDate}, after this end`,
      });
    }
    const current = component.endDate ?? contract.endDate;
    if (current === input.endDate) {
      problems.push({ path: "$.endDate", message: `the add-on already ends on ${input.endDate}` });
    }
    if (problems.length) throw validationFailed(problems);
    // The days between the old end and the new one change, whichever is earlier: none may be invoiced already.
    const firstChanged = current && current < input.endDate ? current : input.endDate;
    await requireOpenPeriod(
      tx,
      tenantId,
      contractId,
      dayAfter(firstChanged),
      "$.endDate",
      "Ending the add-on there",
    );

    const updated = await setComponentEnd(tx, tenantId, addOnId, input.endDate);
    const [row] = await contractContexts(tx, tenantId, [contractId]);
    const ctx = toContext(deps.billing, tenantId, row);
    // Credit notes first: a draft re-priced after them sees the advance fees already given back.
    const creditNotes = await creditAdvanceAfterEnd(deps, tx, caller, ctx, input, [addOnId], "Add-on");
    await repriceDrafts(deps, tx, caller, contractId);
    const addOn = await currentAddOn(tx, tenantId, updated);
    await recordActivity(deps, tx, caller, {
      type: "contract_add_on.ended",
      objectId: addOnId,
      object: { ...addOn, contractId, reason: input.reason, creditNotes },
    });
    return { addOn, creditNotes };
  });
}
