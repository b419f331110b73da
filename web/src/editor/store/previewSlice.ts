import { createCompileCache } from "@pricegraph/engine";
import { toDocument } from "../graph.ts";
import {
  emptySample,
  type GroupRow,
  type PreviewResult,
  type PreviewSample,
  runPreview,
} from "../preview/runPreview.ts";
import type { EditorSlice } from "./types.ts";

export interface PreviewSlice {
  sample: PreviewSample;
  preview: PreviewResult | null;
  setUsage(metric: string, value: string | GroupRow[]): void;
  setParamValue(key: string, value: string | undefined): void;
  setCredit(pool: string, value: string): void;
  /** Compiles and evaluates the current graph for the sample (the store calls it after every edit). */
  refreshPreview(): void;
}

export const createPreviewSlice: EditorSlice<PreviewSlice> = (set, get) => {
  // Node data is replaced, never changed in place, so an edit re-checks only the node it changed.
  const compileCache = createCompileCache();
  return {
    sample: emptySample(),
    preview: null,

    setUsage(metric, value) {
      set((s) => ({ sample: { ...s.sample, usage: { ...s.sample.usage, [metric]: value } } }));
    },
    setParamValue(key, value) {
      set((s) => {
        const params = { ...s.sample.params };
        if (value === undefined) delete params[key];
        else params[key] = value;
        return { sample: { ...s.sample, params } };
      });
    },
    setCredit(pool, value) {
      set((s) => ({ sample: { ...s.sample, credits: { ...s.sample.credits, [pool]: value } } }));
    },
    refreshPreview() {
      set({
        preview: get().mode === "diff" ? null : runPreview(toDocument(get()), get().sample, compileCache),
      });
    },
  };
};
