import type { Problem } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useReactFlow } from "@xyflow/react";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../api/client.ts";
import { type Plan, plansApi } from "../api/plans.ts";
import { VersionsPanel } from "../plans/VersionsPanel.tsx";
import { Canvas } from "./Canvas.tsx";
import { formatMoney } from "./format.ts";
import { Inspector } from "./inspector/Inspector.tsx";
import { layoutGraph } from "./layout.ts";
import { Palette } from "./Palette.tsx";
import { PreviewPanel } from "./preview/PreviewPanel.tsx";
import { PriceCurve } from "./preview/PriceCurve.tsx";
import { useEditor, useEditorStore, useHistory } from "./store/editorStore.ts";
import { type SaveStatus, useAutosave } from "./useAutosave.ts";
import { useShortcuts } from "./useShortcuts.ts";

type Tab = "inspect" | "preview" | "curve" | "versions";
const tabs: { id: Tab; label: string }[] = [
  { id: "inspect", label: "Inspect" },
  { id: "preview", label: "Preview" },
  { id: "curve", label: "Price curve" },
  { id: "versions", label: "Versions" },
];

const statusText: Record<SaveStatus, string> = {
  saved: "Saved",
  unsaved: "Unsaved changes",
  saving: "Saving…",
  error: "Save failed",
};

function PlanName({ plan }: { plan: Plan }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(plan.name);
  const rename = useMutation({
    mutationFn: (next: string) => plansApi.rename(plan.id, { name: next }),
    onSuccess: (updated) => {
      queryClient.setQueryData(["plan", plan.id], updated);
      queryClient.invalidateQueries({ queryKey: ["plans"] });
    },
  });
  return (
    <input
      className="plan-name"
      value={name}
      aria-label="Plan name"
      data-testid="plan-name"
      onChange={(e) => setName(e.target.value)}
      onBlur={() => name.trim() && name !== plan.name && rename.mutate(name.trim())}
      onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
    />
  );
}

function PublishProblems({ problems, onClose }: { problems: Problem[]; onClose(): void }) {
  const store = useEditorStore();
  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-label="Publish refused"
        data-testid="publish-refused"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === "Escape" && onClose()}
      >
        <h2>Publish refused</h2>
        <p className="muted">The compiler found {problems.length} problem(s). Fix them and publish again.</p>
        <ul className="problem-list">
          {problems.map((p) => (
            <li key={`${p.code}-${p.nodeId}-${p.path}-${p.message}`}>
              <button
                type="button"
                disabled={!p.nodeId}
                onClick={() => {
                  if (p.nodeId) store.getState().select([p.nodeId]);
                  onClose();
                }}
              >
                <code>{p.code ?? "PROBLEM"}</code> {p.message}
              </button>
            </li>
          ))}
        </ul>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="close-publish-refused">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

/** The editor screen: toolbar, palette, canvas, and the inspector / preview / curve / versions panel. */
export function EditorWorkspace({ plan }: { plan: Plan }) {
  const store = useEditorStore();
  const queryClient = useQueryClient();
  const rf = useReactFlow();
  const { fitView } = rf;
  const [tab, setTab] = useState<Tab>("preview");
  const [refused, setRefused] = useState<Problem[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const autosave = useAutosave(store, plan.id);
  const canUndo = useHistory((h) => h.pastStates.length > 0);
  const canRedo = useHistory((h) => h.futureStates.length > 0);
  const problemCount = useEditor((s) => s.preview?.problems.length ?? 0);
  const total = useEditor((s) => (s.preview?.evaluation?.ok ? s.preview.evaluation.output.total : null));
  const currency = useEditor((s) => s.currency);
  const selectedId = useEditor((s) => {
    const selected = s.nodes.filter((n) => n.selected);
    return selected.length === 1 ? selected[0].id : null;
  });
  const versions = useQuery({ queryKey: ["versions", plan.id], queryFn: () => plansApi.versions(plan.id) });
  const { markSaved } = autosave;
  const previousSelection = useRef<string | null>(null);

  useShortcuts(store, true);
  useEffect(() => markSaved(), [markSaved]);
  useEffect(() => {
    if (selectedId && selectedId !== previousSelection.current) setTab("inspect");
    previousSelection.current = selectedId;
  }, [selectedId]);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [notice]);

  const publish = useMutation({
    mutationFn: async () => {
      await autosave.flush();
      return plansApi.publish(plan.id);
    },
    onSuccess: (version) => {
      setNotice(`Published version ${version.version}`);
      queryClient.invalidateQueries({ queryKey: ["versions", plan.id] });
      queryClient.invalidateQueries({ queryKey: ["plans"] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.details.length > 0) {
        setRefused(
          error.details.map((d) => ({
            code: ((d as { code?: string }).code ?? error.code) as Problem["code"],
            message: d.message,
            nodeId: d.nodeId,
            path: d.path,
          })),
        );
      } else {
        const local = store.getState().preview?.problems ?? [];
        if (local.length > 0) setRefused(local);
        else setNotice(`Publish failed: ${(error as Error).message}`);
      }
    },
  });

  const [layingOut, setLayingOut] = useState(false);
  const autoLayout = async () => {
    setLayingOut(true);
    try {
      const { nodes, edges } = store.getState();
      const positions = await layoutGraph(nodes, edges);
      store.getState().setPositions(positions);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await fitView({ padding: 0.2, duration: 300 });
    } finally {
      setLayingOut(false);
    }
  };

  const addAtCentre = (type: string) => {
    const pane = document.querySelector(".canvas")?.getBoundingClientRect();
    const position = pane
      ? rf.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 })
      : { x: 0, y: 0 };
    store.getState().addNode(type, position);
  };
  return (
    <div className="editor">
      <header className="toolbar">
        <Link to="/plans" className="crumb">
          Plans
        </Link>
        <span className="crumb-sep">/</span>
        <PlanName plan={plan} />
        <span
          className={`save-status save-${autosave.status}`}
          data-testid="save-status"
          title={autosave.error ?? ""}
        >
          {statusText[autosave.status]}
        </span>
        <div className="toolbar-group">
          <button
            type="button"
            className="icon-btn"
            title="Undo (Ctrl+Z)"
            aria-label="Undo"
            disabled={!canUndo}
            onClick={() => store.undo()}
            data-testid="undo"
          >
            ↶
          </button>
          <button
            type="button"
            className="icon-btn"
            title="Redo (Shift+Ctrl+Z)"
            aria-label="Redo"
            disabled={!canRedo}
            onClick={() => store.redo()}
            data-testid="redo"
          >
            ↷
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={autoLayout}
            disabled={layingOut}
            data-testid="auto-layout"
          >
            Auto-layout
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => fitView({ padding: 0.2, duration: 300 })}
            data-testid="fit-view"
          >
            Fit view
          </button>
        </div>
        <div className="toolbar-spacer" />
        {problemCount > 0 ? (
          <button
            type="button"
            className="pill pill-error"
            onClick={() => setTab("preview")}
            data-testid="problem-count"
          >
            {problemCount} problem{problemCount === 1 ? "" : "s"}
          </button>
        ) : (
          total !== null && (
            <span className="pill pill-total" data-testid="toolbar-total">
              Total {currency} {formatMoney(total, currency)}
            </span>
          )
        )}
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => publish.mutate()}
          disabled={publish.isPending}
          data-testid="publish"
        >
          {publish.isPending ? "Publishing…" : "Publish"}
        </button>
      </header>
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      <div className="editor-body">
        <Palette onAdd={addAtCentre} />
        <Canvas />
        <aside className="side-panel">
          <div className="tabs" role="tablist">
            {tabs.map((t) => (
              <button
                type="button"
                role="tab"
                key={t.id}
                aria-selected={tab === t.id}
                className={tab === t.id ? "tab active" : "tab"}
                onClick={() => setTab(t.id)}
                data-testid={`tab-${t.id}`}
              >
                {t.label}
                {t.id === "versions" && versions.data?.data.length ? (
                  <span className="count">{versions.data.data.length}</span>
                ) : null}
              </button>
            ))}
          </div>
          <div className="side-content">
            {tab === "inspect" && <Inspector />}
            {tab === "preview" && <PreviewPanel />}
            {tab === "curve" && <PriceCurve versions={versions.data?.data ?? []} />}
            {tab === "versions" && (
              <VersionsPanel
                planId={plan.id}
                versions={versions.data?.data ?? []}
                loading={versions.isLoading}
              />
            )}
          </div>
        </aside>
      </div>
      {refused && <PublishProblems problems={refused} onClose={() => setRefused(null)} />}
    </div>
  );
}
