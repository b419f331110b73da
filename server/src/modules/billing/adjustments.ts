import { Decimal } from "@pricegraph/engine";
import { type Period, periodStartingAt } from "@pricegraph/shared";
import type { Db } from "../../db/index.ts";
import { priorDraws } from "../credits/service.ts";
import { billedAdvanceLines, billedLinesFor } from "../invoices/service.ts";
import { addOnAdvanceBilledEarlier, addOnParts, addOnSlice, slicesByComponent } from "./add-ons.ts";
import {
  type ComputedInvoice,
  type ComputedLine,
  computeAdjustments,
  computeAdvanceTrueUp,
  type GrantBalance,
  type PricedSlice,
} from "./compute.ts";
import type { ContractContext } from "./context.ts";
import { phaseSlices, pricedSlices } from "./priced-slices.ts";

/**
 * Adjustment lines for what an earlier invoice billed and is now known to be wrong: late events of a finalized
 * period (recomputed against its billed lines, drawing credit) and advance fees an amendment re-priced. Each
 * component of a contract (the base plan, each add-on) is compared with its own billed lines. Billing rounds and
 * draft re-pricing put these lines on the next invoice, or on an adjustment invoice after a contract's end.
 */

/**
 * Adjustment lines for `period`'s advance fees, billed on an earlier invoice, when an amendment re-priced them
 * (only an amended contract or add-on can have any; see docs/contracts.md). Each component (the base plan, each
 * add-on) is compared with its own billed lines.
 */
export async function advanceAdjustments(
  db: Db,
  tenantId: string,
  ctx: ContractContext,
  period: Period,
  exceptInvoice?: string,
): Promise<ComputedLine[]> {
  const out: ComputedLine[] = [];
  if (ctx.phases.length > 1 && period.index > 0) {
    const slices = phaseSlices(ctx, period).map((slice) => ({
      plan: slice.phase.plan,
      params: slice.phase.params,
      proration: slice.proration,
      usage: {},
      label: null,
    }));
    out.push(...(await advanceTrueUp(db, tenantId, ctx, period, slices, null, exceptInvoice)));
  }
  for (const addOn of ctx.addOns) {
    if (!addOnAdvanceBilledEarlier(ctx, addOn, period)) continue;
    const slices = addOnParts({ ...ctx, addOns: [addOn] }, period).map((part) => ({
      ...addOnSlice(part, {}),
      label: null,
    }));
    const lines = await advanceTrueUp(db, tenantId, ctx, period, slices, addOn.id, exceptInvoice);
    out.push(...lines.map((line) => ({ ...line, componentId: addOn.id })));
  }
  return out;
}

async function advanceTrueUp(
  db: Db,
  tenantId: string,
  ctx: ContractContext,
  period: Period,
  slices: PricedSlice[],
  componentId: string | null,
  exceptInvoice: string | undefined,
): Promise<ComputedLine[]> {
  const contractId = ctx.row.contract.id;
  const billed = await billedAdvanceLines(db, tenantId, contractId, period.start, exceptInvoice, componentId);
  return computeAdvanceTrueUp({
    period,
    slices,
    billed: billed.map((b) => ({
      nodeId: b.nodeId,
      amount: new Decimal(b.amount),
      unrounded: new Decimal(b.amount),
      quantity: null,
    })),
  });
}

/** Late-event adjustments followed by advance-fee adjustments (which draw no credit). */
export function withAdvanceAdjustments(
  adjustments: { lines: ComputedLine[]; draws: ComputedInvoice["draws"][number][][] } | undefined,
  advance: ComputedLine[],
): { lines: ComputedLine[]; draws: Omit<ComputedInvoice["draws"][number], "lineIndex">[][] } | undefined {
  if (advance.length === 0) return adjustments;
  return {
    lines: [...(adjustments?.lines ?? []), ...advance],
    draws: [...(adjustments?.draws ?? []), ...advance.map(() => [])],
  };
}

/**
 * Adjustments for every finalized period of a contract that received late events: per component (the base plan,
 * then each add-on serving the period), its recomputation against its own billed lines, drawing on its own grants
 * (`grants` the base plan's, `addOnGrants` each add-on's, lowered in place).
 */
export async function lateAdjustments(
  db: Db,
  tenantId: string,
  ctx: ContractContext,
  periodStarts: readonly Date[],
  grants: GrantBalance[],
  billedAt: Date,
  exceptInvoice?: string,
  addOnGrants?: ReadonlyMap<string, GrantBalance[]>,
): Promise<{ lines: ComputedLine[]; draws: ComputedInvoice["draws"][number][][] } | undefined> {
  const lines: ComputedLine[] = [];
  const draws: Omit<ComputedInvoice["draws"][number], "lineIndex">[][] = [];
  for (const start of periodStarts) {
    const period = periodStartingAt(ctx.terms, start);
    if (!period) continue;
    const priced = (await pricedSlices(db, tenantId, [{ ctx, period }]))[0];
    for (const [componentId, slices] of slicesByComponent(priced)) {
      const billed = await billedLinesFor(
        db,
        tenantId,
        ctx.row.contract.id,
        period.start,
        exceptInvoice,
        componentId,
      );
      const drawnBefore = await priorDraws(
        db,
        tenantId,
        billed.map((b) => b.id),
      );
      const result = computeAdjustments({
        period,
        slices,
        billed: billed.map((b) => ({
          nodeId: b.nodeId,
          amount: new Decimal(b.amount),
          unrounded: new Decimal(b.unrounded),
          quantity: b.quantity === null ? null : new Decimal(b.quantity),
        })),
        drawnBefore,
        grants: componentId === null ? grants : (addOnGrants?.get(componentId) ?? []),
        billedAt,
      });
      lines.push(...result.lines.map((line) => (componentId ? { ...line, componentId } : line)));
      draws.push(...result.draws);
    }
  }
  return lines.length ? { lines, draws: draws as ComputedInvoice["draws"][number][][] } : undefined;
}
