import { z } from "zod";
import { Decimal, minOf, ZERO } from "../decimal.ts";
import type { DecimalField } from "../fields.ts";
import { quantity } from "../fields.ts";

/**
 * Tier tables: strictly ascending `upTo`, only the last unbounded (null), and it must be.
 * Tier i holds usage in (upTo[i-1], upTo[i]] with upTo[0] = 0.
 */
export function tierTable<Row extends z.ZodRawShape>(row: Row) {
  return z
    .array(z.object({ upTo: quantity().nullable(), ...row }).strict())
    .min(1, "needs at least one tier")
    .superRefine((rows, ctx) => {
      const tiers = rows as unknown as { upTo: DecimalField | null }[];
      tiers.forEach((tier, index) => {
        const last = index === tiers.length - 1;
        const upTo = tier.upTo;
        if (last && upTo !== null) {
          ctx.addIssue({
            code: "custom",
            path: [index, "upTo"],
            message: "the last tier must be unbounded (null)",
            params: { problem: "TIERS_NOT_UNBOUNDED" },
          });
        }
        if (!last && upTo === null) {
          ctx.addIssue({
            code: "custom",
            path: [index, "upTo"],
            message: "only the last tier may be unbounded",
            params: { problem: "TIERS_NOT_UNBOUNDED" },
          });
        }
        const previous = index > 0 ? tiers[index - 1].upTo : null;
        const lower = index === 0 ? null : previous?.literal;
        if (upTo?.literal?.lte(0)) {
          ctx.addIssue({
            code: "custom",
            path: [index, "upTo"],
            message: "upTo must be greater than 0",
            params: { problem: "TIERS_OUT_OF_ORDER" },
          });
        } else if (upTo?.literal && lower && upTo.literal.lte(lower)) {
          ctx.addIssue({
            code: "custom",
            path: [index, "upTo"],
            message: `upTo must be greater than the previous tier's ${lower.toString()}`,
            params: { problem: "TIERS_OUT_OF_ORDER" },
          });
        }
      });
    });
}

export interface Bounded {
  upTo: Decimal | null;
}

/** Index of the tier holding q (the first tier for q ≤ 0). */
export function tierIndexHolding(tiers: readonly Bounded[], q: Decimal): number {
  for (let i = 0; i < tiers.length; i++) {
    const upTo = tiers[i].upTo;
    if (upTo === null || q.lte(upTo)) return i;
  }
  return tiers.length - 1;
}

export interface TierSlice<T> {
  tier: T;
  index: number;
  from: Decimal;
  to: Decimal | null;
  units: Decimal;
}

/** The tiers holding some of q, with the units of q each holds (graduated walk). */
export function graduatedSlices<T extends Bounded>(tiers: readonly T[], q: Decimal): TierSlice<T>[] {
  const slices: TierSlice<T>[] = [];
  let from = ZERO;
  for (let index = 0; index < tiers.length && q.gt(from); index++) {
    const tier = tiers[index];
    const top = tier.upTo === null ? q : minOf(q, tier.upTo);
    slices.push({ tier, index, from, to: tier.upTo, units: top.minus(from) });
    if (tier.upTo === null) break;
    from = tier.upTo;
  }
  return slices;
}

export function rangeText(from: Decimal, to: Decimal | null, human: (d: Decimal) => string): string {
  return to === null ? `over ${human(from)}` : `${human(from)}–${human(to)}`;
}

/**
 * Order problems of every tier table in materialized data. Bounds that are parameters can only be checked
 * once their values are known: compile checks the defaults, evaluate a contract's overrides.
 */
export function tierOrderProblems(
  value: unknown,
  path: PropertyKey[] = [],
): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  if (Array.isArray(value)) {
    const isTable = value.length > 0 && value.every((row) => row && typeof row === "object" && "upTo" in row);
    if (isTable) {
      let lower: Decimal | null = null;
      value.forEach((row: { upTo: Decimal | null }, index) => {
        if (row.upTo === null) return;
        if (row.upTo.lte(0))
          problems.push({ path: [...path, index, "upTo"], message: "upTo must be greater than 0" });
        else if (lower && row.upTo.lte(lower))
          problems.push({
            path: [...path, index, "upTo"],
            message: `upTo must be greater than the previous tier's ${lower.toString()}`,
          });
        lower = row.upTo;
      });
    }
    value.forEach((item, index) => {
      problems.push(...tierOrderProblems(item, [...path, index]));
    });
  } else if (value && typeof value === "object" && !(value instanceof Decimal)) {
    for (const [key, item] of Object.entries(value))
      problems.push(...tierOrderProblems(item, [...path, key]));
  }
  return problems;
}
