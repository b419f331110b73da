import { type DocumentDiff, diffDocuments, diffNodeLabel, diffValueText } from "@pricegraph/engine";
import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useMemo, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { type PlanVersion, plansApi } from "../api/plans.ts";
import { Canvas } from "../editor/Canvas.tsx";
import { fromDocument, type GraphEdge, type GraphNode } from "../editor/graph.ts";
import { PriceCurve } from "../editor/preview/PriceCurve.tsx";
import { createEditorStore, EditorStoreContext, useEditorStore } from "../editor/store/editorStore.ts";
import { type TabItem, Tabs } from "../ui/Tabs.tsx";
import { PlanCrumbs } from "./PlanCrumbs.tsx";

type DiffTab = "changes" | "curve";
const diffTabs: TabItem<DiffTab>[] = [
  { id: "changes", label: "Changes" },
  { id: "curve", label: "Price curves" },
];

function Legend({ diff }: { diff: DocumentDiff }) {
  return (
    <div className="diff-legend" data-testid="diff-legend">
      <span className="legend-item diff-added-swatch">Added {diff.counts.added}</span>
      <span className="legend-item diff-removed-swatch">Removed {diff.counts.removed}</span>
      <span className="legend-item diff-changed-swatch">Changed {diff.counts.changed}</span>
      <span className="legend-item diff-unchanged-swatch">Unchanged {diff.counts.unchanged}</span>
    </div>
  );
}

function ChangeList({ diff }: { diff: DocumentDiff }) {
  const store = useEditorStore();
  const { fitView } = useReactFlow();
  const focus = (id: string) => {
    store.getState().select([id]);
    fitView({ nodes: [{ id }], duration: 300, maxZoom: 1.2 });
  };
  const touched = diff.nodes.filter((n) => n.status !== "unchanged");
  const edgeChanges = diff.edges.filter((e) => e.status !== "unchanged");
  const paramChanges = diff.params.filter((p) => p.status !== "unchanged");
  return (
    <div className="diff-changes" data-testid="diff-changes">
      {touched.length === 0 && edgeChanges.length === 0 && paramChanges.length === 0 && !diff.currency && (
        <p className="muted small">The two versions price the same way (only layout may differ).</p>
      )}
      {diff.currency && (
        <p>
          Currency: {diff.currency.before} → {diff.currency.after}
        </p>
      )}
      {touched.map((n) => (
        <div key={n.id} className={`diff-node diff-${n.status}-card`} data-testid={`diff-node-${n.id}`}>
          <button type="button" className="link-btn" onClick={() => focus(n.id)}>
            <span className={`diff-tag diff-tag-${n.status}`}>{n.status}</span> {diffNodeLabel(n)}{" "}
            <code className="muted">{n.id}</code>
          </button>
          {n.changes.length > 0 && (
            <table className="diff-fields">
              <tbody>
                {n.changes.map((c) => (
                  <tr key={c.path} data-testid={`diff-field-${n.id}-${c.path}`}>
                    <td>
                      <code>{c.path}</code>
                    </td>
                    <td className="before">{diffValueText(c.before)}</td>
                    <td>→</td>
                    <td className="after">{diffValueText(c.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
      {edgeChanges.length > 0 && (
        <div className="diff-node">
          <strong>Connections</strong>
          <ul className="plain-list">
            {edgeChanges.map((e) => (
              <li key={e.key}>
                <span className={`diff-tag diff-tag-${e.status}`}>{e.status}</span> <code>{e.key}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {paramChanges.length > 0 && (
        <div className="diff-node">
          <strong>Parameters</strong>
          <ul className="plain-list">
            {paramChanges.map((p) => (
              <li key={p.key}>
                <span className={`diff-tag diff-tag-${p.status}`}>{p.status}</span> <code>{p.key}</code>{" "}
                {p.changes
                  .map((c) => `${c.path}: ${diffValueText(c.before)} → ${diffValueText(c.after)}`)
                  .join("; ")}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function DiffView({ planId, from, to }: { planId: string; from: PlanVersion; to: PlanVersion }) {
  const diff = useMemo(() => diffDocuments(from.document, to.document), [from, to]);
  const [tab, setTab] = useState<DiffTab>("changes");
  const [store] = useState(() => {
    const s = createEditorStore();
    const merged = fromDocument({
      ...to.document,
      nodes: diff.nodes.map((n) => n.node),
      edges: diff.edges.map((e) => ({ ...e.edge, id: `${e.status}:${e.edge.id}` })),
    });
    s.getState().load(merged, { mode: "diff" });
    return s;
  });
  const status = useMemo(() => new Map(diff.nodes.map((n) => [n.id, n.status])), [diff]);
  const nodeClass = useCallback((node: GraphNode) => `diff-${status.get(node.id) ?? "unchanged"}`, [status]);
  const edgeClass = useCallback((edge: GraphEdge) => `diff-edge-${edge.id.split(":")[0]}`, []);
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <div className="editor">
          <header className="toolbar">
            <PlanCrumbs planId={planId} />
            <strong data-testid="diff-title">
              Version {from.version} → Version {to.version}
            </strong>
            <div className="toolbar-spacer" />
            <Legend diff={diff} />
          </header>
          <div className="editor-body editor-body-readonly">
            <Canvas nodeClass={nodeClass} edgeClass={edgeClass} />
            <aside className="side-panel">
              <Tabs tabs={diffTabs} active={tab} onSelect={setTab} />
              <div className="side-content">
                {tab === "changes" ? (
                  <section className="panel-section">
                    <ChangeList diff={diff} />
                  </section>
                ) : (
                  <PriceCurve versions={[to, from]} withDraft={false} />
                )}
              </div>
            </aside>
          </div>
        </div>
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}

/** Two published versions on one canvas: added, removed and changed nodes and edges in their own colours. */
export function DiffPage() {
  const { planId = "" } = useParams();
  const [search] = useSearchParams();
  const fromNumber = Number(search.get("from"));
  const toNumber = Number(search.get("to"));
  const from = useQuery({
    queryKey: ["version", planId, fromNumber],
    queryFn: () => plansApi.version(planId, fromNumber),
    enabled: fromNumber > 0,
  });
  const to = useQuery({
    queryKey: ["version", planId, toNumber],
    queryFn: () => plansApi.version(planId, toNumber),
    enabled: toNumber > 0,
  });
  if (!(fromNumber > 0 && toNumber > 0)) {
    return (
      <div className="page">
        <p className="form-error">Choose two versions to compare.</p>
        <Link to={`/plans/${planId}`}>Back to the editor</Link>
      </div>
    );
  }
  if (from.isError || to.isError) {
    return (
      <div className="page">
        <p className="form-error">Could not load the versions: {(from.error ?? to.error)?.message}</p>
        <Link to={`/plans/${planId}`}>Back to the editor</Link>
      </div>
    );
  }
  if (!from.data || !to.data) return <div className="page muted">Loading versions…</div>;
  return <DiffView key={`${fromNumber}-${toNumber}`} planId={planId} from={from.data} to={to.data} />;
}
