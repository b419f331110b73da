import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { type PlanVersion, plansApi } from "../api/plans.ts";
import { Canvas } from "../editor/Canvas.tsx";
import { fromDocument } from "../editor/graph.ts";
import { Inspector } from "../editor/inspector/Inspector.tsx";
import { PreviewPanel } from "../editor/preview/PreviewPanel.tsx";
import { PriceCurve } from "../editor/preview/PriceCurve.tsx";
import { createEditorStore, EditorStoreContext } from "../editor/store/editorStore.ts";
import { type TabItem, Tabs } from "../ui/Tabs.tsx";
import { PlanCrumbs } from "./PlanCrumbs.tsx";

type Tab = "inspect" | "preview" | "curve";
const versionTabs: TabItem<Tab>[] = [
  { id: "inspect", label: "Inspect" },
  { id: "preview", label: "Preview" },
  { id: "curve", label: "Price curve" },
];

function VersionView({ planId, version }: { planId: string; version: PlanVersion }) {
  const [tab, setTab] = useState<Tab>("preview");
  const [store] = useState(() => {
    const s = createEditorStore();
    s.getState().load(fromDocument(version.document), { mode: "view" });
    return s;
  });
  const previous = version.version > 1 ? version.version - 1 : null;
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <div className="editor">
          <header className="toolbar">
            <PlanCrumbs planId={planId} />
            <strong data-testid="version-title">Version {version.version}</strong>
            <span className="tag tag-muted" data-testid="read-only">
              read-only
            </span>
            <span className="muted small">published {new Date(version.publishedAt).toLocaleString()}</span>
            <div className="toolbar-spacer" />
            {previous && (
              <Link
                className="btn btn-small"
                to={`/plans/${planId}/diff?from=${previous}&to=${version.version}`}
                data-testid="diff-previous"
              >
                Compare with v{previous}
              </Link>
            )}
          </header>
          <div className="editor-body editor-body-readonly">
            <Canvas />
            <aside className="side-panel">
              <Tabs tabs={versionTabs} active={tab} onSelect={setTab} />
              <div className="side-content">
                {tab === "inspect" && <Inspector />}
                {tab === "preview" && <PreviewPanel />}
                {tab === "curve" && <PriceCurve versions={[version]} withDraft={false} />}
              </div>
            </aside>
          </div>
        </div>
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}

/** A published version, exactly as published, on a read-only canvas with its preview. */
export function VersionPage() {
  const { planId = "", version = "" } = useParams();
  const query = useQuery({
    queryKey: ["version", planId, Number(version)],
    queryFn: () => plansApi.version(planId, Number(version)),
  });
  if (query.isError) {
    return (
      <div className="page">
        <p className="form-error">
          Could not load version {version}: {query.error.message}
        </p>
        <Link to={`/plans/${planId}`}>Back to the editor</Link>
      </div>
    );
  }
  if (!query.data) return <div className="page muted">Loading version…</div>;
  return <VersionView key={version} planId={planId} version={query.data} />;
}
