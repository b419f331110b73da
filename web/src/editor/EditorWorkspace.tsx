import type { Problem } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useReactFlow } from "@xyflow/react";
import { useEffect, useRef, useState } from "react";
import { ApiError } from "../api/client.ts";
import { type Plan, plansApi } from "../api/plans.ts";
import { usePageTitle } from "../app/pageTitle.ts";
import { useCan } from "../app/session.tsx";
import { VersionsPanel } from "../plans/VersionsPanel.tsx";
import { type TabItem, Tabs } from "../ui/Tabs.tsx";
import { Canvas } from "./Canvas.tsx";
import { EditorToolbar } from "./EditorToolbar.tsx";
import { Inspector } from "./inspector/Inspector.tsx";
import { Palette } from "./Palette.tsx";
import { PublishProblems } from "./PublishProblems.tsx";
import { PanelRail, usePanels } from "./panels.tsx";
import { BacktestButton } from "./preview/BacktestButton.tsx";
import { PreviewPanel } from "./preview/PreviewPanel.tsx";
import { PriceCurve } from "./preview/PriceCurve.tsx";
import { useEditor, useEditorStore } from "./store/editorStore.ts";
import { useAutosave } from "./useAutosave.ts";
import { useShortcuts } from "./useShortcuts.ts";

type Tab = "inspect" | "preview" | "curve" | "versions";
const tabs: TabItem<Tab>[] = [
  { id: "inspect", label: "Inspect" },
  { id: "preview", label: "Preview" },
  { id: "curve", label: "Price curve" },
  { id: "versions", label: "Versions" },
];

/** The editor screen: toolbar, palette, canvas, and the inspector / preview / curve / versions panel. */
export function EditorWorkspace({ plan }: { plan: Plan }) {
  const store = useEditorStore();
  const queryClient = useQueryClient();
  const rf = useReactFlow();
  const [tab, setTab] = useState<Tab>("preview");
  const [refused, setRefused] = useState<Problem[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // A role that may not change plans looks without saving (the server would refuse with 403).
  const can = useCan();
  const mayEdit = can("PUT /v1/plans/:id/draft");
  const mayBacktest = can("POST /v1/plans/:id/backtest");
  const autosave = useAutosave(store, mayEdit ? plan.id : null);
  const selectedId = useEditor((s) => {
    const selected = s.nodes.filter((n) => n.selected);
    return selected.length === 1 ? selected[0].id : null;
  });
  const versions = useQuery({ queryKey: ["versions", plan.id], queryFn: () => plansApi.versions(plan.id) });
  const { markSaved } = autosave;
  const previousSelection = useRef<string | null>(null);

  const focusRequest = useEditor((s) => s.focusRequest);
  const [panels, setPanel] = usePanels();
  useShortcuts(store, true);
  usePageTitle(`${plan.name} — Plan editor`);
  useEffect(() => {
    if (!focusRequest) return;
    setTab("inspect");
    setPanel("side", true);
  }, [focusRequest, setPanel]);
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

  /**
   * A node added from the palette (click or Enter) goes right of the selected node, so a plan added one node
   * after another reads left to right; with nothing selected, in the middle of the view. It is brought into
   * view if it landed outside it.
   */
  const addFromPalette = (type: string) => {
    const pane = document.querySelector(".canvas")?.getBoundingClientRect();
    const selected = store.getState().nodes.filter((n) => n.selected);
    const anchor = selected.length === 1 ? selected[0] : null;
    const position = anchor
      ? { x: anchor.position.x + (anchor.measured?.width ?? 200) + 70, y: anchor.position.y }
      : pane
        ? rf.screenToFlowPosition({ x: pane.left + pane.width / 2 - 95, y: pane.top + pane.height / 2 - 40 })
        : { x: 0, y: 0 };
    const id = store.getState().addNode(type, position);
    const placed = store.getState().nodes.find((n) => n.id === id)?.position ?? position;
    if (pane) {
      const topLeft = rf.flowToScreenPosition(placed);
      const bottomRight = rf.flowToScreenPosition({ x: placed.x + 200, y: placed.y + 110 });
      const inView =
        topLeft.x >= pane.left &&
        topLeft.y >= pane.top &&
        bottomRight.x <= pane.right &&
        bottomRight.y <= pane.bottom;
      if (!inView) {
        const { zoom } = rf.getViewport();
        rf.setCenter(placed.x + 100, placed.y + 55, { zoom, duration: 200 });
      }
    }
    // The new node is selected; the cursor goes to its first field, so it can be set up straight away.
    store.getState().focusField(id);
  };
  return (
    <div className="editor">
      <EditorToolbar
        plan={plan}
        saveStatus={autosave.status}
        saveError={autosave.error}
        publishing={publish.isPending}
        onPublish={() => publish.mutate()}
        onShowProblems={() => setTab("preview")}
      />
      {!mayEdit && (
        <div className="notice" role="status" data-testid="read-only">
          Read only: your role cannot change plans, so edits here are not saved.
        </div>
      )}
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      <div
        className={`editor-body${panels.palette ? "" : " palette-collapsed"}${panels.side ? "" : " side-collapsed"}`}
      >
        {panels.palette ? (
          <Palette onAdd={addFromPalette} onCollapse={() => setPanel("palette", false)} />
        ) : (
          <PanelRail side="left" label="Show nodes" onExpand={() => setPanel("palette", true)} />
        )}
        <Canvas />
        {!panels.side && (
          <PanelRail
            side="right"
            label="Show inspector and preview"
            onExpand={() => setPanel("side", true)}
          />
        )}
        <aside className="side-panel" hidden={!panels.side} aria-label="Inspector and preview">
          <button
            type="button"
            className="panel-collapse panel-collapse-right"
            onClick={() => setPanel("side", false)}
            aria-label="Hide inspector and preview"
            title="Hide inspector and preview"
            data-testid="collapse-side"
          >
            ⟩
          </button>
          <Tabs
            tabs={tabs.map((t) =>
              t.id === "versions" && versions.data?.data.length
                ? { ...t, badge: <span className="count">{versions.data.data.length}</span> }
                : t,
            )}
            active={tab}
            onSelect={setTab}
          />
          <div className="side-content">
            {tab === "inspect" && <Inspector />}
            {tab === "preview" && <PreviewPanel />}
            {tab === "curve" && (
              <>
                {mayBacktest && <BacktestButton planId={plan.id} />}
                <PriceCurve versions={versions.data?.data ?? []} />
              </>
            )}
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
