import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useReactFlow } from "@xyflow/react";
import { useState } from "react";
import { Link } from "react-router";
import { type Plan, plansApi } from "../api/plans.ts";
import { fitViewOptionsFor } from "./Canvas.tsx";
import { formatMoney } from "./format.ts";
import { layoutGraph } from "./layout.ts";
import { useEditor, useEditorStore, useHistory } from "./store/editorStore.ts";
import type { SaveStatus } from "./useAutosave.ts";

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

const historyButtons = [
  { action: "undo", label: "Undo", title: "Undo (Ctrl+Z)", glyph: "↶" },
  { action: "redo", label: "Redo", title: "Redo (Shift+Ctrl+Z)", glyph: "↷" },
] as const;

/** The editor's toolbar: the plan's name, save status, history and layout, the total or problems, publish. */
export function EditorToolbar({
  plan,
  saveStatus,
  saveError,
  publishing,
  onPublish,
  onShowProblems,
}: {
  plan: Plan;
  saveStatus: SaveStatus;
  saveError: string | null;
  publishing: boolean;
  onPublish(): void;
  onShowProblems(): void;
}) {
  const store = useEditorStore();
  const { fitView } = useReactFlow();
  const canUndo = useHistory((h) => h.pastStates.length > 0);
  const canRedo = useHistory((h) => h.futureStates.length > 0);
  const problemCount = useEditor((s) => s.preview?.problems.length ?? 0);
  const total = useEditor((s) => (s.preview?.evaluation?.ok ? s.preview.evaluation.output.total : null));
  const currency = useEditor((s) => s.currency);
  const [layingOut, setLayingOut] = useState(false);
  const autoLayout = async () => {
    setLayingOut(true);
    try {
      const { nodes, edges } = store.getState();
      if (nodes.length > 1 && edges.length === 0) {
        store.getState().showToast({
          tone: "info",
          title: "Nothing to arrange yet",
          text: "Auto-layout orders nodes along their connections, and this plan has none. Connect the nodes first.",
          testId: "layout-needs-edges",
        });
        return;
      }
      const positions = await layoutGraph(nodes, edges);
      store.getState().setPositions(positions);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await fitView({ ...fitViewOptionsFor(nodes.length), duration: 300 });
    } finally {
      setLayingOut(false);
    }
  };

  return (
    <header className="toolbar">
      <Link to="/plans" className="crumb">
        Plans
      </Link>
      <span className="crumb-sep">/</span>
      <PlanName plan={plan} />
      <span className={`save-status save-${saveStatus}`} data-testid="save-status" title={saveError ?? ""}>
        {statusText[saveStatus]}
      </span>
      <div className="toolbar-group">
        {historyButtons.map((b) => (
          <button
            type="button"
            key={b.action}
            className="icon-btn"
            title={b.title}
            aria-label={b.label}
            disabled={!(b.action === "undo" ? canUndo : canRedo)}
            onClick={() => store[b.action]()}
            data-testid={b.action}
          >
            {b.glyph}
          </button>
        ))}
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
          onClick={() => fitView({ ...fitViewOptionsFor(store.getState().nodes.length), duration: 300 })}
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
          onClick={onShowProblems}
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
        onClick={onPublish}
        disabled={publishing}
        data-testid="publish"
      >
        {publishing ? "Publishing…" : "Publish"}
      </button>
    </header>
  );
}
