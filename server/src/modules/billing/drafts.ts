import { contractPeriods, periodAfter, periodStartingAt } from "@pricegraph/shared";
import { type Caller, systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError } from "../../http/errors.ts";
import { grantsOfAddOns, grantsOfContracts } from "../credits/service.ts";
import { requireContractLocks } from "../invoices/contract-locks.ts";
import type { InvoiceRow } from "../invoices/queries.ts";
import {
  clearDraft,
  contractsOfInvoices,
  draftsPastGrace,
  finalizeDraft,
  invoiceDetail,
  periodsWithLateEvents,
  replaceDraft,
  requireDraft,
  withInvoice,
} from "../invoices/service.ts";
import { copyAddOnGrants } from "./add-ons.ts";
import { advanceAdjustments, lateAdjustments, withAdvanceAdjustments } from "./adjustments.ts";
import { BillingEvaluationError, computeAdjustmentInvoice, computeInvoice } from "./compute.ts";
import { consolidatedRows } from "./consolidation.ts";
import { type BillingDeps, toContext } from "./context.ts";
import { closingPeriod, type PersistableInvoice } from "./invoice-rows.ts";
import { advanceSlices, pricedSlices } from "./priced-slices.ts";
import { contractContexts } from "./queries.ts";

/**
 * The invoice rules that need a recomputation, orchestrated here so that invoices/ never calls billing/:
 * refreshing a draft, and finalizing drafts after their grace period (refreshed first).
 */

/**
 * Recomputes a draft invoice in place (caller holds, in `tx`, the locks of every contract the draft bills and has
 * checked it is a draft):
 * its lines and credit draws are replaced by those computed from the usage known now. A period invoice also
 * takes the adjustments of earlier late periods; an adjustment invoice is those adjustments only.
 */
export async function recomputeDraft(
  deps: BillingDeps,
  tx: Db,
  caller: Caller,
  invoice: InvoiceRow,
): Promise<InvoiceRow> {
  const { tenantId } = invoice;
  const contractIds = (await contractsOfInvoices(tx, tenantId, [invoice.id])).get(invoice.id) ?? [
    invoice.contractId,
  ];
  // Callers lock every contract of the draft first, in one call (withInvoice, lockContractsWithDrafts).
  await requireContractLocks(tx, contractIds);
  await clearDraft(tx, invoice);
  const usageComputedAt = deps.clock();
  const members: PersistableInvoice[] = [];
  for (const contractId of contractIds) {
    members.push(await recomputeContract(deps, tx, invoice, contractId, usageComputedAt));
  }
  const rows = consolidatedRows(deps, tenantId, members, {
    id: invoice.id,
    runId: invoice.billingRunId,
    usageComputedAt,
    now: deps.clock(),
  });
  return replaceDraft(deps, tx, caller, invoice, rows);
}

/** One contract's part of a draft (the whole draft unless it is consolidated), computed with the usage known now. */
async function recomputeContract(
  deps: BillingDeps,
  tx: Db,
  invoice: InvoiceRow,
  contractId: string,
  usageComputedAt: Date,
): Promise<PersistableInvoice> {
  const { tenantId } = invoice;
  const [row] = await contractContexts(tx, tenantId, [contractId]);
  const ctx = toContext(deps.billing, tenantId, row);
  const adjustment = invoice.kind === "adjustment";
  const period = adjustment
    ? [...contractPeriods(ctx.terms)].at(-1)
    : periodStartingAt(ctx.terms, invoice.periodStart);
  if (!period || (adjustment && !period.last)) {
    throw new Error(`Invoice ${invoice.id} no longer matches a period of its contract`);
  }
  const grants = (await grantsOfContracts(tx, tenantId, [contractId])).get(contractId) ?? [];
  // Read after the draft's lines are deleted: its own adjustments must not count as already adjusted for.
  const late = (await periodsWithLateEvents(tx, tenantId, [contractId])).filter(
    (l) => adjustment || l.periodStart.getTime() < invoice.periodStart.getTime(),
  );
  const billedAt = adjustment ? usageComputedAt : period.end;
  const addOnGrants = copyAddOnGrants(ctx, await grantsOfAddOns(tx, tenantId, [contractId]));
  const adjustments = late.length
    ? await lateAdjustments(
        tx,
        tenantId,
        ctx,
        late.map((l) => l.periodStart),
        grants,
        billedAt,
        invoice.id,
        addOnGrants,
      )
    : undefined;
  return adjustment
    ? {
        ctx,
        period: closingPeriod(period),
        computed: computeAdjustmentInvoice(ctx.plan, adjustments ?? { lines: [], draws: [] }),
        kind: "adjustment",
      }
    : {
        ctx,
        period,
        computed: computeInvoice({
          period,
          next: periodAfter(ctx.terms, period),
          slices: (await pricedSlices(tx, tenantId, [{ ctx, period }]))[0],
          nextSlices: advanceSlices(ctx, period),
          addOnGrants,
          grants,
          adjustments: withAdvanceAdjustments(
            adjustments,
            await advanceAdjustments(tx, tenantId, ctx, period, invoice.id),
          ),
        }),
      };
}

/** A plan that cannot be evaluated, as the API answers it (422 EVALUATION_FAILED). */
export function asEvaluationError(error: unknown): never {
  if (error instanceof BillingEvaluationError) {
    throw new ApiError(
      422,
      "EVALUATION_FAILED",
      "The plan could not be evaluated",
      error.problems.map((p) => ({ ...p, path: p.path ?? "$" })),
    );
  }
  throw error;
}

/** POST /v1/invoices/:id/refresh: a draft recomputed with the usage known now. */
export async function refreshInvoice(deps: BillingDeps, caller: Caller, id: string) {
  const row = await withInvoice(deps, caller.tenantId, id, async (tx, invoice) => {
    requireDraft(invoice, "refreshed");
    return recomputeDraft(deps, tx, caller, invoice).catch(asEvaluationError);
  });
  return invoiceDetail(deps.db, row);
}

/**
 * Drafts whose tenant grace period has passed are refreshed with the usage known now, then finalized, as the
 * system's `grace-period` job. Runs on each billing-worker tick and at the end of each billing run. Returns how
 * many were finalized.
 */
export async function finalizeDueDrafts(deps: BillingDeps, tenantId?: string): Promise<number> {
  let count = 0;
  // A draft that cannot be recomputed (its plan fails to evaluate) stays a draft; the others still finalize.
  const failed = new Set<string>();
  for (;;) {
    const due = (await draftsPastGrace(deps.db, deps.clock(), tenantId)).filter((d) => !failed.has(d.id));
    if (due.length === 0) return count;
    for (const draft of due) {
      const caller = systemCaller(draft.tenantId, "grace-period");
      try {
        const done = await withInvoice(deps, draft.tenantId, draft.id, async (tx, invoice) => {
          if (invoice.status !== "draft") return false;
          await finalizeDraft(deps, tx, caller, await recomputeDraft(deps, tx, caller, invoice));
          return true;
        });
        if (done) count += 1;
      } catch (error) {
        // Not only evaluation problems: a number out of range in one contract must not hold up the others.
        if (!(error instanceof BillingEvaluationError)) console.error(`finalizing ${draft.id}:`, error);
        failed.add(draft.id);
      }
      await deps.billing.breathe();
    }
  }
}
