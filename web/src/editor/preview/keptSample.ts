import type { PreviewSample } from "./runPreview.ts";

// The preview's sample usage belongs to its plan: kept in the browser per plan, so reopening a plan shows the
// invoice it showed when it was left, and two plans never share usage.
const keyOf = (planId: string) => `pricegraph.sample.${planId}`;

export function readKeptSample(planId: string): PreviewSample | null {
  try {
    const raw = localStorage.getItem(keyOf(planId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<PreviewSample>;
    return { usage: parsed.usage ?? {}, params: parsed.params ?? {}, credits: parsed.credits ?? {} };
  } catch {
    return null;
  }
}

export function keepSample(planId: string, sample: PreviewSample) {
  try {
    localStorage.setItem(keyOf(planId), JSON.stringify(sample));
  } catch {
    // Storage full or disabled: the sample simply is not remembered.
  }
}
