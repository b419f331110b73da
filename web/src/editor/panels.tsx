import { useCallback, useState } from "react";

export interface PanelState {
  palette: boolean;
  side: boolean;
}

const KEY = "pricegraph.editor.panels";

/** On a narrow screen the palette starts folded, so the canvas keeps most of the width. */
function initialPanels(): PanelState {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "null") as Partial<PanelState> | null;
    if (stored) return { palette: stored.palette !== false, side: stored.side !== false };
  } catch {
    // Unreadable: fall through to the defaults.
  }
  return { palette: window.innerWidth >= 1200, side: true };
}

/** Which side panels are open; the user's choice is kept for the next visit. */
export function usePanels(): [PanelState, (panel: keyof PanelState, open: boolean) => void] {
  const [panels, setPanels] = useState(initialPanels);
  const setPanel = useCallback((panel: keyof PanelState, open: boolean) => {
    setPanels((current) => {
      if (current[panel] === open) return current;
      const next = { ...current, [panel]: open };
      try {
        localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // Not kept: the panels still fold for this visit.
      }
      return next;
    });
  }, []);
  return [panels, setPanel];
}

/** A folded panel: a thin rail with the button that unfolds it. */
export function PanelRail({
  side,
  label,
  onExpand,
}: {
  side: "left" | "right";
  label: string;
  onExpand(): void;
}) {
  return (
    <div className={`panel-rail panel-rail-${side}`}>
      <button
        type="button"
        className="panel-rail-btn"
        onClick={onExpand}
        aria-label={label}
        title={label}
        aria-expanded={false}
        data-testid={side === "left" ? "expand-palette" : "expand-side"}
      >
        {side === "left" ? "⟩" : "⟨"}
        <span className="panel-rail-text">{side === "left" ? "Nodes" : "Inspector"}</span>
      </button>
    </div>
  );
}
