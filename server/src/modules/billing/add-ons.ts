import {
  addDays,
  daysBetween,
  formatLocalDate,
  type Period,
  parseLocalDate,
  prorationOf,
  sliceLabel,
  startOfLocalDay,
} from "@pricegraph/shared";
import type { GrantBalance, PricedSlice, Usage } from "./compute.ts";
import type { ContractContext, PricedAddOn } from "./context.ts";

/**
 * Contract add-ons in billing: each add-on that serves part of a contract's period is one more slice of that
 * period, priced by the add-on's own plan and parameters over the days it serves (its proration is those days
 * over the calendar period's, as a phase's is), with the usage of those days. Its lines go on the contract's
 * invoice, tagged with the add-on, and draw only the add-on's credit grants.
 */

/** The part of `period` an add-on serves, or null when it serves none of it. */
export function addOnPart(addOn: PricedAddOn, period: Period, timeZone: string) {
  const end = addOn.endDate ? formatLocalDate(addDays(parseLocalDate(addOn.endDate), 1)) : null;
  const from = addOn.startDate > period.startDate ? addOn.startDate : period.startDate;
  const to = end !== null && end < period.endDate ? end : period.endDate;
  if (from >= to) return null;
  const whole = from === period.startDate && to === period.endDate;
  return {
    start: from === period.startDate ? period.start : startOfLocalDay(parseLocalDate(from), timeZone),
    end: to === period.endDate ? period.end : startOfLocalDay(parseLocalDate(to), timeZone),
    proration: whole
      ? period.proration
      : prorationOf(daysBetween(parseLocalDate(from), parseLocalDate(to)), period.daysInPeriod),
    label: whole ? null : sliceLabel({ startDate: from, endDate: to }),
    // The add-on's first period bills its own advance lines too, as a contract's first invoice does.
    firstPeriod: addOn.startDate >= period.startDate && addOn.startDate < period.endDate,
  };
}

/** The add-on slices of a contract's period, without usage: what to price and over which time range. */
export function addOnParts(ctx: ContractContext, period: Period) {
  return ctx.addOns.flatMap((addOn) => {
    const part = addOnPart(addOn, period, ctx.terms.timezone);
    return part ? [{ addOn, ...part }] : [];
  });
}

/** An add-on slice, given its usage (none for advance lines). */
export function addOnSlice(part: ReturnType<typeof addOnParts>[number], usage: Usage): PricedSlice {
  return {
    plan: part.addOn.plan,
    params: part.addOn.params,
    proration: part.proration,
    usage,
    label: part.label,
    addOn: { id: part.addOn.id },
    firstPeriod: part.firstPeriod,
  };
}

/** Copies of a contract's add-on grants: draws lower balances in place, and a failed contract must not. */
export function copyAddOnGrants(
  ctx: ContractContext,
  grants: ReadonlyMap<string, GrantBalance[]>,
): Map<string, GrantBalance[]> {
  return new Map(ctx.addOns.map((addOn) => [addOn.id, (grants.get(addOn.id) ?? []).map((g) => ({ ...g }))]));
}
