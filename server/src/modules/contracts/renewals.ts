import {
  addDays,
  type ContractTerms,
  formatLocalDate,
  localDateOf,
  parseLocalDate,
  periodHoldingDate,
  phaseOn,
  type RenewalPolicy,
} from "@pricegraph/shared";
import type { Contract, ContractSettings, SetRenewal } from "@pricegraph/shared/api";
import { type Caller, systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import type { BillingDeps } from "../billing/context.ts";
import { requireCustomer } from "../customers/service.ts";
import { lockContractsWithDrafts } from "../invoices/contract-locks.ts";
import { invoicedPeriodStarts } from "../invoices/service.ts";
import { repriceDrafts, requireOpenPeriod } from "./amendments.ts";
import { dayAfter } from "./ending.ts";
import {
  type ContractRow,
  contractsWithTermsEnding,
  grantsOf,
  insertPhase,
  type PhaseRow,
  phasesOf,
  setContractEnd,
  setContractRenewal,
  tenantRenewalPolicy,
  upsertContractSettings,
} from "./queries.ts";
import { phasesOfContract, requireContract, termEnd, toContract } from "./service.ts";

/**
 * Terms and renewals. A contract with a term ends on the term's last day unless its renewal policy (its own, else
 * the tenant's default, `none` unless set) renews it: `same_terms` adds a term as it stands, `plan_defaults` adds a
 * term on the plan's default parameters (a phase from the new term's first day drops the overrides). The renewal
 * job renews a contract once the term's last billing period has begun, so the invoice closing that period already
 * bills the new term's advance fees. See docs/contracts.md.
 */

export const DEFAULT_RENEWAL_POLICY: RenewalPolicy = "none";

export async function getContractSettings(deps: BillingDeps, tenantId: string): Promise<ContractSettings> {
  return { renewalPolicy: (await tenantRenewalPolicy(deps.db, tenantId)) ?? DEFAULT_RENEWAL_POLICY };
}

export async function putContractSettings(
  deps: BillingDeps,
  caller: Caller,
  body: ContractSettings,
): Promise<ContractSettings> {
  await deps.db.transaction(async (tx) => {
    await upsertContractSettings(tx as Db, caller.tenantId, body.renewalPolicy, deps.clock());
    await recordActivity(deps, tx as Db, caller, {
      type: "settings.updated",
      objectId: `contracts:${caller.tenantId}`,
      object: { area: "contracts", ...body },
    });
  });
  return body;
}

/** The last day of the term holding `today` for a contract with terms of `months` from its start. */
function currentTermEnd(startDate: string, months: number, today: string): string {
  let end = termEnd(startDate, months);
  while (end < today) end = termEnd(dayAfter(end), months);
  return end;
}

/**
 * PUT /v1/contracts/:id/renewal: the contract's term and renewal policy. Giving a running contract without an
 * end a term ends it with the term holding today (a later renewal may extend it); taking the term away keeps
 * its current end date. Recorded as `contract.renewal_updated`.
 */
export async function setRenewal(
  deps: BillingDeps,
  caller: Caller,
  contractId: string,
  body: SetRenewal,
): Promise<Contract> {
  const { tenantId } = caller;
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    await lockContractsWithDrafts(tx, tenantId, [contractId]);
    const contract = await requireContract(tx, tenantId, contractId);
    const termMonths = body.termMonths === undefined ? contract.termMonths : body.termMonths;
    let endDate = contract.endDate;
    if (termMonths && !contract.termMonths) {
      if (contract.endDate) {
        throw validationFailed([
          {
            path: "$.termMonths",
            message: `the contract already ends on ${contract.endDate}; a term cannot be added`,
          },
        ]);
      }
      const { timezone } = await requireCustomer(tx, tenantId, contract.customerId, "$.customerId");
      const today = formatLocalDate(localDateOf(deps.clock(), timezone));
      // Before the contract starts, its first term is the current one.
      endDate = currentTermEnd(contract.startDate, termMonths, [today, contract.startDate].sort()[1]);
      await requireOpenPeriod(tx, tenantId, contractId, dayAfter(endDate), "$.termMonths", "That term");
    }
    const row = await setContractRenewal(tx, tenantId, contractId, {
      termMonths: termMonths ?? null,
      renewalPolicy: body.renewalPolicy,
      endDate,
    });
    if (endDate !== contract.endDate) await repriceDrafts(deps, tx, caller, contractId);
    const updated = toContract(
      row,
      await grantsOf(tx, tenantId, [contractId]),
      await phasesOf(tx, tenantId, [contractId]),
    );
    await recordActivity(deps, tx, caller, {
      type: "contract.renewal_updated",
      objectId: contractId,
      object: updated,
    });
    return updated;
  });
}

/** Whether the renewal of a contract with a term is due at `now` (see the module comment). */
export function renewalDue(contract: ContractRow, timezone: string, now: Date): boolean {
  if (!contract.termMonths || !contract.endDate) return false;
  const terms: ContractTerms = { ...contract, timezone };
  const last = periodHoldingDate(terms, parseLocalDate(contract.endDate));
  if (!last || last.start.getTime() > now.getTime()) return false;
  // At most one term ahead: the term ending on endDate must have begun (a monthly term billed yearly).
  const today = formatLocalDate(localDateOf(now, timezone));
  const termStart = dayAfter(termEnd(dayAfter(contract.endDate), -contract.termMonths));
  return termStart <= today;
}

/**
 * Renews one contract (caller holds its lock in `tx` and has checked the renewal is due): the end moves by a
 * term; under `plan_defaults` a phase from the new term's first day drops the overrides.
 */
async function renew(
  deps: BillingDeps,
  tx: Db,
  contract: ContractRow,
  policy: Exclude<RenewalPolicy, "none">,
): Promise<void> {
  const caller = systemCaller(contract.tenantId, "contract-renewals");
  const { tenantId, id } = contract;
  const previousEnd = contract.endDate as string;
  const termStart = dayAfter(previousEnd);
  const endDate = termEnd(termStart, contract.termMonths as number);
  await setContractEnd(tx, tenantId, id, endDate);
  const existing = await phasesOf(tx, tenantId, [id]);
  const inEffect = phaseOn(phasesOfContract(contract, existing), previousEnd);
  const added: PhaseRow[] = [];
  const scheduled = existing.some((phase) => phase.effectiveDate === termStart);
  if (policy === "plan_defaults" && Object.keys(inEffect.paramOverrides).length > 0 && !scheduled) {
    added.push({
      id: deps.ids("phs"),
      tenantId,
      contractId: id,
      componentId: null,
      effectiveDate: termStart,
      planId: contract.planId,
      planVersion: inEffect.planVersion,
      paramOverrides: {},
      reason: "Renewed on the plan's default prices",
      createdAt: deps.clock(),
    });
    await insertPhase(tx, added[0], []);
  }
  await repriceDrafts(deps, tx, caller, id);
  const renewed = toContract({ ...contract, endDate }, await grantsOf(tx, tenantId, [id]), [
    ...existing,
    ...added,
  ]);
  await recordActivity(deps, tx, caller, {
    type: "contract.renewed",
    objectId: id,
    object: { ...renewed, renewal: { policy, previousEndDate: previousEnd, termStart, endDate } },
  });
}

/**
 * The renewal job: renews every contract of every tenant whose renewal is due, each in its own transaction with
 * its contract lock (a second process finds the end already moved and does nothing). Returns how many renewed.
 */
export async function renewDueContracts(deps: BillingDeps): Promise<number> {
  const now = deps.clock();
  const from = formatLocalDate(addDays(localDateOf(now, "UTC"), -62));
  const to = formatLocalDate(addDays(localDateOf(now, "UTC"), 400));
  let renewed = 0;
  for (const candidate of await contractsWithTermsEnding(deps.db, from, to)) {
    const policy = candidate.contract.renewalPolicy ?? candidate.tenantPolicy ?? DEFAULT_RENEWAL_POLICY;
    if (policy === "none" || !renewalDue(candidate.contract, candidate.timezone, now)) continue;
    try {
      const done = await deps.db.transaction(async (txn) => {
        const tx = txn as Db;
        const { tenantId, id } = candidate.contract;
        await lockContractsWithDrafts(tx, tenantId, [id]);
        const contract = await requireContract(tx, tenantId, id);
        if (contract.endDate !== candidate.contract.endDate) return false;
        // A last period already invoiced as the last cannot take the next term's advance fees: it has ended.
        const terms = { ...contract, timezone: candidate.timezone };
        const last = periodHoldingDate(terms, parseLocalDate(contract.endDate as string));
        const invoiced = (await invoicedPeriodStarts(tx, tenantId, [id])).get(id);
        if (last && invoiced?.has(last.start.getTime())) return false;
        await renew(deps, tx, contract, policy);
        return true;
      });
      if (done) renewed += 1;
    } catch (error) {
      console.error(`renewing ${candidate.contract.id}:`, error);
    }
  }
  return renewed;
}
