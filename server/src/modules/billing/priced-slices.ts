import type { CompiledPlan } from "@pricegraph/engine";
import { type Period, periodAfter, sliceByPhases, sliceLabel } from "@pricegraph/shared";
import type { Db } from "../../db/index.ts";
import { usageForPeriod } from "../usage/service.ts";
import { accountUsageFor } from "./accounts.ts";
import { addOnParts, addOnSlice } from "./add-ons.ts";
import type { PricedSlice, Usage } from "./compute.ts";
import type { ContractContext } from "./context.ts";

/**
 * What the engine prices a contract-period with: the period cut at phase changes and add-on dates, each slice
 * with the usage of its own time range (and, for advance lines, the next period's slices without usage). Used by
 * billing rounds, draft re-pricing and the usage report alike, so a preview is the bill.
 */

/** Usage of many contracts over time ranges, one grouped query per distinct range and metric set. */
export async function usageFor(
  db: Db,
  tenantId: string,
  items: readonly { ctx: ContractContext; start: Date; end: Date; plan: CompiledPlan }[],
): Promise<Usage[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = `${item.start.getTime()}|${item.end.getTime()}|${JSON.stringify(item.plan.metrics)}`;
    const list = groups.get(key);
    if (list) list.push(index);
    else groups.set(key, [index]);
  });
  const out: Usage[] = items.map(() => ({}));
  for (const list of groups.values()) {
    const { start, end, plan } = items[list[0]];
    const usage = await usageForPeriod(db, tenantId, {
      customerIds: [...new Set(list.map((i) => items[i].ctx.row.contract.customerId))],
      from: start,
      to: end,
      metrics: plan.metrics,
    });
    for (const i of list) out[i] = usage.get(items[i].ctx.row.contract.customerId) ?? {};
  }
  return out;
}

/** A period cut at the contract's phase changes, each slice priced by its own phase. */
export function phaseSlices(ctx: ContractContext, period: Period) {
  return sliceByPhases(period, ctx.phases, ctx.terms.timezone);
}

/**
 * The slices of each contract-period with the usage of their own time range (one slice per period that no
 * phase change splits, so an unamended contract costs what it always did: one usage query per period).
 */
export async function pricedSlices(
  db: Db,
  tenantId: string,
  items: readonly { ctx: ContractContext; period: Period }[],
): Promise<PricedSlice[][]> {
  const parts = items.map(({ ctx, period }) => phaseSlices(ctx, period));
  const addOns = items.map(({ ctx, period }) => addOnParts(ctx, period));
  const requests = items.flatMap(({ ctx }, i) => [
    ...parts[i].map((slice) => ({ ctx, start: slice.start, end: slice.end, plan: slice.phase.plan })),
    ...addOns[i].map((part) => ({ ctx, start: part.start, end: part.end, plan: part.phase.plan })),
  ]);
  const usage = await usageFor(db, tenantId, requests);
  const accounts = await accountUsageFor(db, tenantId, requests);
  let k = 0;
  return parts.map((slices, i) => [
    ...slices.map((slice) => ({
      plan: slice.phase.plan,
      params: slice.phase.params,
      proration: slice.proration,
      usage: usage[k],
      accountUsage: accounts[k++],
      label: slice.split ? sliceLabel(slice) : null,
    })),
    ...addOns[i].map((part) => ({ ...addOnSlice(part, usage[k]), accountUsage: accounts[k++] })),
  ]);
}

/** The next period's slices, for its advance lines (no usage), or none when the contract ends first. */
export function advanceSlices(ctx: ContractContext, period: Period): PricedSlice[] {
  const next = periodAfter(ctx.terms, period);
  if (!next) return [];
  return [
    ...phaseSlices(ctx, next).map((slice) => ({
      plan: slice.phase.plan,
      params: slice.phase.params,
      proration: slice.proration,
      usage: {},
      label: slice.split ? sliceLabel(slice) : null,
    })),
    // An add-on starting in the next period bills that period's advance lines on its own first invoice.
    ...addOnParts(ctx, next)
      .filter((part) => !part.firstPeriod)
      .map((part) => addOnSlice(part, {})),
  ];
}
