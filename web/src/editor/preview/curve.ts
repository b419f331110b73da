import { compile, Decimal, evaluate } from "@pricegraph/engine";
import { DECIMAL_PATTERN, type PlanDocumentInput } from "@pricegraph/shared";
import { type PreviewSample, sampleInput } from "./runPreview.ts";

export interface CurveSeries {
  key: string;
  label: string;
  document: PlanDocumentInput;
}

export interface CurveResult {
  points: Record<string, number | string>[];
  errors: Record<string, string>;
}

/** Usage values from min to max in `steps` equal steps, computed exactly. */
export function sweepValues(min: string, max: string, steps: number): string[] {
  const lo = new Decimal(min);
  const hi = new Decimal(max);
  const n = Math.max(1, Math.min(500, Math.floor(steps)));
  return Array.from({ length: n + 1 }, (_, i) =>
    lo.plus(hi.minus(lo).times(i).div(n)).toDecimalPlaces(6).toString(),
  );
}

/**
 * The total of each document as one metric sweeps a range, the rest of the sample held fixed. Totals are
 * exact decimal strings from the engine; the chart gets them as numbers only to draw.
 */
export function priceCurve(
  series: CurveSeries[],
  sample: PreviewSample,
  metric: string,
  values: string[],
): CurveResult {
  const points: Record<string, number | string>[] = values.map((x) => ({ x: Number(x), usage: x }));
  const errors: Record<string, string> = {};
  for (const s of series) {
    const compiled = compile(s.document);
    if (!compiled.ok) {
      errors[s.key] = `${compiled.problems.length} problem(s): ${compiled.problems[0]?.message ?? ""}`;
      continue;
    }
    const base = sampleInput(s.document, sample);
    for (const point of points) {
      const usage = { ...base.usage, [metric]: String(point.usage) };
      const result = evaluate(compiled.plan, { ...base, usage }, { explain: false, values: false });
      if (!result.ok) {
        errors[s.key] = result.problems[0]?.message ?? "evaluation failed";
        break;
      }
      point[s.key] = Number(result.output.total);
      point[`${s.key}_text`] = result.output.total;
    }
  }
  return { points, errors };
}

/** The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value`: a range end a person would pick. */
export function roundUpNicely(value: Decimal): Decimal {
  if (value.lte(0)) return new Decimal(1);
  const power = new Decimal(10).pow(Math.floor(Math.log10(value.toNumber())));
  for (const step of ["1", "2", "2.5", "5", "10"]) {
    const candidate = power.times(step);
    if (candidate.gte(value)) return candidate;
  }
  return power.times(10);
}

/** Every literal tier bound and allowance in the plan: where its price changes shape. */
function breakpoints(value: unknown, out: Decimal[] = []): Decimal[] {
  if (Array.isArray(value)) for (const item of value) breakpoints(item, out);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if ((key === "upTo" || key === "allowance") && typeof item === "string" && DECIMAL_PATTERN.test(item)) {
        out.push(new Decimal(item));
      } else breakpoints(item, out);
    }
  }
  return out;
}

/**
 * Where the curve should end for this plan: past its last tier bound or allowance (twice it, so the last tier
 * shows), and past the sample's usage of the metric; 5,000 when the plan has neither.
 */
export function suggestedCurveEnd(
  document: PlanDocumentInput,
  metric: string,
  sample: PreviewSample,
): string {
  const points = breakpoints(document.nodes.map((n) => n.data));
  const used = sample.usage[metric];
  if (typeof used === "string" && DECIMAL_PATTERN.test(used)) points.push(new Decimal(used));
  const largest = points.reduce((max, p) => (p.gt(max) ? p : max), new Decimal(0));
  if (largest.isZero()) return "5000";
  return roundUpNicely(largest.times(2)).toString();
}
