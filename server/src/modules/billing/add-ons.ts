import {
  addDays,
  daysBetween,
  formatLocalDate,
  type Period,
  parseLocalDate,
  prorationOf,
  sliceByPhases,
  sliceLabel,
  startOfLocalDay,
} from "@pricegraph/shared";
import type { GrantBalance, PricedSlice, Usage } from "./compute.ts";
import type { ContractContext, PricedAddOn, PricedPhase } from "./context.ts";

/**
 * Contract add-ons in billing: each add-on that serves part of a contract's period is one more slice of that
 * period — one per add-on phase when the add-on was amended inside it — priced by the add-on phase's plan version
 * and parameters over the days it serves (its proration is those days over the calendar period's, as a contract
 * phase's is), with the usage of those days. Its lines go on the contract's invoice, tagged with the add-on, and
 * draw only the add-on's credit grants.
 */

/** The part of `period` an add-on serves (as a period of its own days), or null when it serves none of it. */
export function addOnPeriod(
  addOn: Pick<PricedAddOn, "startDate" | "endDate">,
  period: Period,
  timeZone: string,
) {
  const end = addOn.endDate ? formatLocalDate(addDays(parseLocalDate(addOn.endDate), 1)) : null;
  // Local dates (YYYY-MM-DD) compare as text, in date order: the later of the two starts.
  const from = [addOn.startDate, period.startDate].sort()[1];
  const to = end !== null && end < period.endDate ? end : period.endDate;
  if (from >= to) return null;
  const whole = from === period.startDate && to === period.endDate;
  const days = daysBetween(parseLocalDate(from), parseLocalDate(to));
  const part: Period = {
    ...period,
    start: from === period.startDate ? period.start : startOfLocalDay(parseLocalDate(from), timeZone),
    end: to === period.endDate ? period.end : startOfLocalDay(parseLocalDate(to), timeZone),
    startDate: from,
    endDate: to,
    daysServed: whole ? period.daysServed : days,
    proration: whole ? period.proration : prorationOf(days, period.daysInPeriod),
  };
  // The add-on's first period bills its own advance lines too, as a contract's first invoice does.
  const firstPeriod = addOn.startDate >= period.startDate && addOn.startDate < period.endDate;
  return { part, whole, firstPeriod };
}

/** One add-on phase's part of a contract's period, without usage: what to price and over which time range. */
export interface AddOnPart {
  addOn: PricedAddOn;
  phase: PricedPhase;
  start: Date;
  end: Date;
  daysServed: number;
  proration: string;
  label: string | null;
  firstPeriod: boolean;
}

/** The parts of a contract's period each add-on serves, cut at the add-on's own phase changes. */
export function addOnParts(ctx: ContractContext, period: Period): AddOnPart[] {
  return ctx.addOns.flatMap((addOn) => {
    const served = addOnPeriod(addOn, period, ctx.terms.timezone);
    if (!served) return [];
    return sliceByPhases(served.part, addOn.phases, ctx.terms.timezone).map((slice) => ({
      addOn,
      phase: slice.phase,
      start: slice.start,
      end: slice.end,
      daysServed: slice.daysServed,
      proration: slice.proration,
      label: served.whole && !slice.split ? null : sliceLabel(slice),
      firstPeriod: served.firstPeriod,
    }));
  });
}

/** An add-on slice, given its usage (none for advance lines). */
export function addOnSlice(part: AddOnPart, usage: Usage): PricedSlice {
  return {
    plan: part.phase.plan,
    params: part.phase.params,
    proration: part.proration,
    usage,
    label: part.label,
    addOn: { id: part.addOn.id },
    firstPeriod: part.firstPeriod,
  };
}

/**
 * Whether an add-on's advance fees for `period`, billed on an earlier invoice, may need a true-up: only when the
 * add-on has changed (phases) and `period` is not its first (whose own invoice bills its advance lines).
 */
export function addOnAdvanceBilledEarlier(ctx: ContractContext, addOn: PricedAddOn, period: Period): boolean {
  const served = addOnPeriod(addOn, period, ctx.terms.timezone);
  return addOn.phases.length > 1 && served !== null && !served.firstPeriod;
}

/** Copies of a contract's add-on grants: draws lower balances in place, and a failed contract must not. */
export function copyAddOnGrants(
  ctx: ContractContext,
  grants: ReadonlyMap<string, GrantBalance[]>,
): Map<string, GrantBalance[]> {
  return new Map(ctx.addOns.map((addOn) => [addOn.id, (grants.get(addOn.id) ?? []).map((g) => ({ ...g }))]));
}

/** Slices grouped by what prices them: the base plan (key null) and each add-on (its id), in order. */
export function slicesByComponent(slices: readonly PricedSlice[]): Map<string | null, PricedSlice[]> {
  const out = new Map<string | null, PricedSlice[]>();
  for (const slice of slices) {
    const key = slice.addOn?.id ?? null;
    out.set(key, [...(out.get(key) ?? []), slice]);
  }
  return out;
}
