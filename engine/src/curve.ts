import type { EvaluationInput, Problem } from "@pricegraph/shared";
import type { CompiledPlan } from "./compile.ts";
import { Decimal } from "./decimal.ts";
import { evaluate } from "./evaluate.ts";

// A price curve: the plan's total as one metric sweeps a range, the rest of the input held fixed. The web
// editor's price curve draws the same sweep; the CLI prints it as CSV.

/** `steps + 1` usage values from `from` to `to` in equal steps, computed exactly and cut to 6 decimals. */
export function sweepValues(from: string, to: string, steps: number): string[] {
  const lo = new Decimal(from);
  const hi = new Decimal(to);
  const n = Math.max(1, Math.floor(steps));
  return Array.from({ length: n + 1 }, (_, i) =>
    lo.plus(hi.minus(lo).times(i).div(n)).toDecimalPlaces(6).toString(),
  );
}

export interface CurvePoint {
  usage: string;
  total: string;
}

export type CurveResult =
  | { ok: true; points: CurvePoint[] }
  | { ok: false; usage: string; problems: Problem[] };

/** The total at each usage value, from the engine's own `evaluate`; stops at the first failing point. */
export function priceCurve(
  plan: CompiledPlan,
  input: EvaluationInput,
  metric: string,
  values: readonly string[],
): CurveResult {
  const points: CurvePoint[] = [];
  for (const usage of values) {
    const result = evaluate(
      plan,
      { ...input, usage: { ...input.usage, [metric]: usage } },
      { explain: false, values: false },
    );
    if (!result.ok) return { ok: false, usage, problems: result.problems };
    points.push({ usage, total: result.output.total });
  }
  return { ok: true, points };
}
