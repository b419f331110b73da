import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { useEffect, useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { plansApi } from "../api/plans.ts";
import { EditorWorkspace } from "./EditorWorkspace.tsx";
import { fromDocument } from "./graph.ts";
import type { PreviewSample } from "./preview/runPreview.ts";
import { createEditorStore, EditorStoreContext } from "./store/editorStore.ts";

/** Loads a plan's draft into a fresh editor store and opens the workspace on it. */
export function EditorPage() {
  const { planId = "" } = useParams();
  const plan = useQuery({ queryKey: ["plan", planId], queryFn: () => plansApi.get(planId) });
  const [store] = useState(createEditorStore);
  const [loaded, setLoaded] = useState<string | null>(null);
  const initialSample = (useLocation().state as { sample?: Partial<PreviewSample> } | null)?.sample;

  useEffect(() => {
    if (!plan.data || loaded === plan.data.id) return;
    store.getState().load(fromDocument(plan.data.draft));
    if (initialSample) {
      store.setState({
        sample: {
          usage: initialSample.usage ?? {},
          params: initialSample.params ?? {},
          credits: initialSample.credits ?? {},
        },
      });
    }
    store.clearHistory();
    setLoaded(plan.data.id);
  }, [plan.data, loaded, store, initialSample]);

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
