import { compile, Decimal, evaluate } from "@pricegraph/engine";
import type { PlanDocumentInput } from "@pricegraph/shared";
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
