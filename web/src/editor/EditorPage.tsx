import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { useEffect, useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { plansApi } from "../api/plans.ts";
import { EditorWorkspace } from "./EditorWorkspace.tsx";
import { fromDocument } from "./graph.ts";
import { keepSample, readKeptSample } from "./preview/keptSample.ts";
import type { PreviewSample } from "./preview/runPreview.ts";
import { createEditorStore, EditorStoreContext } from "./store/editorStore.ts";
import { draftSettled } from "./useAutosave.ts";

/** Loads a plan's draft into a fresh editor store and opens the workspace on it. */
export function EditorPage() {
  const { planId = "" } = useParams();
  // Always the server's latest draft, read after any save still in flight from the last visit: a cached copy
  // would show the edit before last, and the next edit would save over the last one.
  const plan = useQuery({
    queryKey: ["plan", planId],
    queryFn: async () => {
      await draftSettled(planId);
      return plansApi.get(planId);
    },
    refetchOnMount: "always",
  });
  const [store] = useState(createEditorStore);
  const [loaded, setLoaded] = useState<string | null>(null);
  const initialSample = (useLocation().state as { sample?: Partial<PreviewSample> } | null)?.sample;

  useEffect(() => {
    if (!plan.data || !plan.isFetchedAfterMount || loaded === plan.data.id) return;
    store.getState().load(fromDocument(plan.data.draft));
    const sample = initialSample
      ? {
          usage: initialSample.usage ?? {},
          params: initialSample.params ?? {},
          credits: initialSample.credits ?? {},
        }
      : readKeptSample(plan.data.id);
    if (sample) store.setState({ sample });
    store.clearHistory();
    setLoaded(plan.data.id);
  }, [plan.data, plan.isFetchedAfterMount, loaded, store, initialSample]);

  useEffect(() => {
    if (!loaded) return;
    return store.subscribe((state, previous) => {
      if (state.sample !== previous.sample) keepSample(loaded, state.sample);
    });
  }, [loaded, store]);

  if (plan.isError) {
    return (
      <div className="page">
        <p className="form-error">Could not open this plan: {plan.error.message}</p>
        <Link to="/plans">Back to plans</Link>
      </div>
    );
  }
  if (!plan.data || loaded !== plan.data.id) return <div className="page muted">Opening plan…</div>;
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorWorkspace plan={plan.data} />
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}
