import { Decimal } from "@pricegraph/engine";
import {
  addDays,
  formatLocalDate,
  type Period,
  parseLocalDate,
  periodStartingAt,
  sliceByPhases,
  startOfLocalDay,
} from "@pricegraph/shared";
import type { EndContract, EndedContract } from "@pricegraph/shared/api";
import type { Caller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import { addOnParts, addOnSlice } from "../billing/add-ons.ts";
import { computeAdvanceTrueUp, type PricedSlice } from "../billing/compute.ts";
import { type BillingDeps, type ContractContext, toContext } from "../billing/context.ts";
import { contractContexts } from "../billing/queries.ts";
import { lockContractsWithDrafts } from "../invoices/contract-locks.ts";
import { issueCreditNote } from "../invoices/credit-notes.ts";
import { creditNotesOf } from "../invoices/queries.ts";
import {
  advanceLinesServingAfter,
  draftsOfContract,
  lastClosedPeriodInvoice,
  requireInvoice,
} from "../invoices/service.ts";
import { repriceDrafts, requireOpenPeriod } from "./amendments.ts";
import { addOnPhasesOf, grantsOf, phasesOf, setContractRenewal } from "./queries.ts";
import { requireContract, toContract } from "./service.ts";

/**
 * Ending a contract: its last day becomes `endDate` (the customer's local date). The last period is prorated
 * through it, drafts are re-priced, and advance fees that finalized invoices billed for days after the end come
 * back as credit notes, in the same transaction. Usage after the end is never billed; late events of finalized
 * periods still reach an adjustment invoice. See docs/contracts.md.
 */

export const dayAfter = (date: string) => formatLocalDate(addDays(parseLocalDate(date), 1));

/** POST /v1/contracts/:id/end. */
export async function endContract(
  deps: BillingDeps,
  caller: Caller,
  contractId: string,
  input: EndContract,
): Promise<EndedContract> {
  const { tenantId } = caller;
  return deps.db.transaction(async (txn) => {
    const tx = txn as Db;
    await lockContractsWithDrafts(tx, tenantId, [contractId]);
    const contract = await requireContract(tx, tenantId, contractId);
    const phases = await phasesOf(tx, tenantId, [contractId]);
    const problems = [];
    if (input.endDate < contract.startDate) {
      problems.push({
        path: "$.endDate",
        message: `must not be before the start date ${contract.startDate}`,
      });
    }
    // The add-ons' amendments too: a change of an add-on after the contract's end would never be served.
    const amendments = [...phases, ...(await addOnPhasesOf(tx, tenantId, [contractId]))];
    const later = amendments.find((phase) => phase.effectiveDate > input.endDate);
    if (later) {
      problems.push({
        path: "$.endDate",
        message: `${later.componentId ? `an amendment of add-on ${later.componentId}` : "an amendment"} takes effect on ${later.effectiveDate}, after this end`,
      });
    }
    if (problems.length) throw validationFailed(problems);
    const stop = dayAfter(input.endDate);
    await requireOpenPeriod(tx, tenantId, contractId, stop, "$.endDate", "Ending the contract there");
    await refuseLostPeriods(tx, tenantId, contract, input.endDate);

    // An end set by hand is final: the contract leaves its term, so no renewal undoes it.
    const updated = await setContractRenewal(tx, tenantId, contractId, {
      termMonths: null,
      renewalPolicy: contract.renewalPolicy,
      endDate: input.endDate,
    });
    await repriceDrafts(deps, tx, caller, contractId);
    const [row] = await contractContexts(tx, tenantId, [contractId]);
    const ctx = toContext(deps.billing, tenantId, row);
    const creditNotes = await creditAdvanceAfterEnd(deps, tx, caller, ctx, input, [
      null,
      ...ctx.addOns.map((addOn) => addOn.id),
    ]);

    const ended = toContract(updated, await grantsOf(tx, tenantId, [contractId]), phases);
    await recordActivity(deps, tx, caller, {
      type: "contract.ended",
      objectId: contractId,
      object: { ...ended, reason: input.reason, creditNotes },
    });
    return { contract: ended, creditNotes };
  });
}

/**
 * An end that moves the contract's last day later than a period already invoiced as its last would leave the
 * next period's advance fees unbilled, and one before a draft's period would orphan the draft: both are refused.
 */
async function refuseLostPeriods(
  tx: Db,
  tenantId: string,
  contract: { id: string; endDate: string | null },
  endDate: string,
) {
  for (const draft of await draftsOfContract(tx, tenantId, contract.id)) {
    if (draft.kind === "period" && draft.periodStartDate > endDate) {
      throw new ApiError(409, "PERIOD_INVOICED", "A draft invoice covers a period after that end", [
        {
          path: "$.endDate",
          message: `draft invoice ${draft.id} bills ${draft.periodStartDate} onwards; end on or after ${draft.periodStartDate}`,
        },
      ]);
    }
  }
  if (contract.endDate && endDate > contract.endDate) {
    const closed = await lastClosedPeriodInvoice(tx, tenantId, contract.id);
    if (closed && closed.periodEndDate === dayAfter(contract.endDate)) {
      throw new ApiError(409, "CONTRACT_ENDED", "The contract's last period is already invoiced", [
        {
          path: "$.endDate",
          message: `the contract ended on ${contract.endDate} and invoice ${closed.number ?? closed.id} closed its last period; start a new contract`,
        },
      ]);
    }
  }
}

/**
 * Credit notes for the advance fees finalized invoices billed for days after the end: per component (the base
 * plan, an add-on) and plan line, what was billed (less earlier credit notes) above what the shortened period's
 * phases price now, nothing being due for a period the component no longer serves. One note per invoice, its
 * lines naming the invoice lines they credit. `ctx` holds the contract as it stands after the end.
 */
export async function creditAdvanceAfterEnd(
  deps: BillingDeps,
  tx: Db,
  caller: Caller,
  ctx: ContractContext,
  input: EndContract,
  components: readonly (string | null)[],
  what = "Contract",
): Promise<EndedContract["creditNotes"]> {
  const { tenantId } = caller;
  const contractId = ctx.row.contract.id;
  const stop = startOfLocalDay(parseLocalDate(dayAfter(input.endDate)), ctx.terms.timezone);
  const all = await advanceLinesServingAfter(tx, tenantId, contractId, stop);
  const credits = new Map<string, { lineId: string; amount: Decimal }[]>();
  for (const componentId of components) {
    const lines = all.filter((line) => line.componentId === componentId);
    const byPeriod = new Map<number, typeof lines>();
    for (const line of lines) {
      const key = line.servicePeriodStart.getTime();
      byPeriod.set(key, [...(byPeriod.get(key) ?? []), line]);
    }
    for (const [start, billed] of byPeriod) {
      const period = periodStartingAt(ctx.terms, new Date(start));
      const slices = period ? advanceSlicesOf(ctx, period, componentId) : [];
      const net = billed.map((l) => ({ ...l, remaining: new Decimal(l.amount).minus(l.credited) }));
      const differences =
        period && slices.length
          ? computeAdvanceTrueUp({
              period,
              slices,
              billed: net.map((l) => ({
                nodeId: l.nodeId,
                amount: l.remaining,
                unrounded: l.remaining,
                quantity: null,
              })),
            })
          : [];
      const nodes = new Set(net.map((l) => l.nodeId));
      for (const nodeId of nodes) {
        const difference = differences.find((d) => d.nodeId === nodeId);
        // A period the component no longer serves at all: everything billed for it comes back.
        const owed = slices.length
          ? new Decimal(difference?.amount ?? 0).negated()
          : net.filter((l) => l.nodeId === nodeId).reduce((sum, l) => sum.plus(l.remaining), new Decimal(0));
        let left = owed;
        // The latest line of the node first (an adjustment before the charge it adjusted).
        for (const line of net.filter((l) => l.nodeId === nodeId).reverse()) {
          if (left.lte(0)) break;
          if (line.remaining.lte(0)) continue;
          const amount = Decimal.min(left, line.remaining);
          credits.set(line.invoiceId, [...(credits.get(line.invoiceId) ?? []), { lineId: line.id, amount }]);
          left = left.minus(amount);
        }
      }
    }
  }
  const out: EndedContract["creditNotes"] = [];
  for (const [invoiceId, entries] of credits) {
    const invoice = await requireInvoice(tx, tenantId, invoiceId, true);
    let due = new Decimal(invoice.amountDue);
    const capped: { lineId: string; amount: string }[] = [];
    for (const entry of entries) {
      const amount = Decimal.min(entry.amount, due);
      if (amount.lte(0)) continue;
      capped.push({ lineId: entry.lineId, amount: amount.toString() });
      due = due.minus(amount);
    }
    if (capped.length === 0) continue;
    await issueCreditNote(deps, tx, caller, invoice, {
      lines: capped,
      reason: `${what} ended on ${input.endDate}: advance fees for days after the end. ${input.reason}`,
    });
    const note = (await creditNotesOf(tx, tenantId, invoiceId)).notes.at(-1);
    if (note) out.push({ id: note.id, number: note.number, invoiceId, amount: note.amount });
  }
  return out;
}

/** A period's slices as one component (the base plan, or an add-on) prices its advance lines now. */
function advanceSlicesOf(ctx: ContractContext, period: Period, componentId: string | null): PricedSlice[] {
  if (componentId === null) {
    return sliceByPhases(period, ctx.phases, ctx.terms.timezone).map((slice) => ({
      plan: slice.phase.plan,
      params: slice.phase.params,
      proration: slice.proration,
      usage: {},
      label: null,
    }));
  }
  const addOns = ctx.addOns.filter((addOn) => addOn.id === componentId);
  return addOnParts({ ...ctx, addOns }, period).map((part) => ({ ...addOnSlice(part, {}), label: null }));
}
