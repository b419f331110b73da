import { type CompileResult, createCompileCache } from "@pricegraph/engine";
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
  /** The plan compiled last and the revision it was compiled from (a preview shown from elsewhere is not it). */
  let last: { revision: number; compiled: CompileResult } | null = null;
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
      const state = get();
      if (state.mode === "diff") {
        set({ preview: null });
        return;
      }
      // A sample change (usage typed in the preview) re-evaluates the plan it compiled last.
      const reuse =
        last?.revision === state.revision && last.compiled === state.preview?.compiled
          ? last.compiled
          : undefined;
      const preview = runPreview(toDocument(state), state.sample, compileCache, reuse);
      last = { revision: state.revision, compiled: preview.compiled };
      set({ preview });
    },
  };
};
