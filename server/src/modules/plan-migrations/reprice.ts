import { type CompiledPlan, Decimal, evaluate, fixed } from "@pricegraph/engine";
import type { GroupedUsage, Period } from "@pricegraph/shared";
import type { Usage } from "../billing/compute.ts";

/**
 * Re-pricing a billed period on another plan, pure. A period's price is what the engine makes of it alone:
 * every line (advance and arrears) with the period's usage and proration, before credits — as a quote prices it.
 * It is compared with the charges billed for that service period before credits (the advance lines billed on
 * the previous invoice included, adjustments left out): prepaid credit pays for either price alike.
 */

const sameDimensions = (value: GroupedUsage, groupBy: readonly string[]) => {
  const wanted = [...groupBy].sort().join("\u0000");
  return value.every((item) => Object.keys(item.group).sort().join("\u0000") === wanted);
};

/**
 * The usage `plan` reads, taken from what an invoice stored, or null when the stored usage lacks a metric the
 * plan reads or holds it grouped otherwise (then it is read again from the events).
 */
export function storedUsageFor(plan: CompiledPlan, stored: Record<string, unknown> | null): Usage | null {
  if (!stored) return null;
  const usage: Usage = {};
  for (const metric of plan.metrics) {
    const value = stored[metric.key];
    const grouped = (metric.groupBy?.length ?? 0) > 0;
    if (typeof value === "string" && !grouped) usage[metric.key] = value;
    else if (Array.isArray(value) && grouped && sameDimensions(value, metric.groupBy ?? []))
      usage[metric.key] = value as GroupedUsage;
    else return null;
  }
  return usage;
}

/** The contract's overrides the plan declares, and the keys of those it does not. */
export function overridesFor(plan: CompiledPlan, overrides: Record<string, string>) {
  const declared = new Set(plan.params.map((p) => p.key));
  const params: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    if (declared.has(key)) params[key] = value;
    else dropped.push(key);
  }
  return { params, dropped };
}

export class RepricingError extends Error {}

/** The price of one period on `plan`: the engine's total of every line, before credits. */
export function periodPrice(
  plan: CompiledPlan,
  input: { usage: Usage; params: Record<string, string>; period: Period },
): Decimal {
  const result = evaluate(
    plan,
    { usage: input.usage, params: input.params, credits: {}, proration: input.period.proration },
    { explain: false, values: false },
  );
  if (!result.ok) throw new RepricingError(result.problems.map((p) => p.message).join("; "));
  return new Decimal(result.output.total);
}

/** A sum as the API answers it: plain digits at the currency's minor unit. */
export const money = (value: Decimal, plan: CompiledPlan) => fixed(value, plan.minorUnits);
