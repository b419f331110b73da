import type { ValueType, WireValue } from "@pricegraph/engine";
import type { Problem } from "@pricegraph/shared";
import { createContext, useContext } from "react";
import { temporal } from "zundo";
import { createStore, type StoreApi, useStore } from "zustand";
import { type Graph, sameGraph } from "../graph.ts";
import type { PreviewResult } from "../preview/runPreview.ts";
import { createClipboardSlice } from "./clipboardSlice.ts";
import { createGraphSlice } from "./graphSlice.ts";
import { createPreviewSlice } from "./previewSlice.ts";
import type { EditorState } from "./types.ts";
import { createUiSlice } from "./uiSlice.ts";

/**
 * What the canvas nodes show from the preview, in a store of its own: node components subscribe here, so a
 * drag frame or a selection change (main store) never runs their selectors, and a new preview only
 * re-renders nodes whose own strings changed.
 */
export interface CanvasOverlay {
  values: Record<string, WireValue>;
  portTypes: Record<string, ValueType>;
  problemsByNode: ReadonlyMap<string, Problem[]>;
  /** Ids of edges a problem names (drawn dashed red). */
  brokenEdges: string[];
  lineAmounts: Record<string, string>;
  currency: string;
}

function overlayOf(state: EditorState): CanvasOverlay {
  const preview = state.preview;
  const output = preview?.evaluation?.ok ? preview.evaluation.output : null;
  return {
    values: preview?.values ?? {},
    portTypes: preview?.compiled.portTypes ?? {},
    problemsByNode: preview?.problemsByNode ?? new Map(),
    brokenEdges: (preview?.problems ?? []).flatMap((p) => (p.edgeId ? [p.edgeId] : [])),
    lineAmounts: Object.fromEntries((output?.lines ?? []).map((line) => [line.nodeId, line.amount])),
    currency: state.currency,
  };
}

const sameRecord = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/** Keeps the previous objects where nothing changed, so subscribers of whole maps do not re-render. */
function stableOverlay(previous: CanvasOverlay, next: CanvasOverlay): CanvasOverlay {
  return {
    ...next,
    portTypes: sameRecord(previous.portTypes, next.portTypes) ? previous.portTypes : next.portTypes,
    brokenEdges:
      previous.brokenEdges.join() === next.brokenEdges.join() ? previous.brokenEdges : next.brokenEdges,
  };
}

const graphOf = (s: Graph): Graph => ({
  nodes: s.nodes,
  edges: s.edges,
  params: s.params,
  currency: s.currency,
});

/**
 * One editor's state. Only the graph slice is in the undo history (zundo), compared by content so selection
 * and measurement never make an undo step; a drag is one step (see beginDrag/endDrag).
 */
export function createEditorStore() {
  const store = createStore<EditorState>()(
    temporal<EditorState, [], [], Graph>(
      (set, get) => ({
        ...createGraphSlice(set, get),
        ...createPreviewSlice(set, get),
        ...createClipboardSlice(set, get),
        ...createUiSlice(set, get),
      }),
      { partialize: graphOf, equality: sameGraph, limit: 200 },
    ),
  );
  const overlay = createStore<CanvasOverlay>()(() => overlayOf(store.getState()));
  // The preview follows every content change and every sample change, synchronously: no stale frame.
  store.subscribe((state, previous) => {
    if (state.revision !== previous.revision || state.sample !== previous.sample) {
      state.refreshPreview();
      overlay.setState(stableOverlay(overlay.getState(), overlayOf(store.getState())));
    }
  });
  let dragStart: Graph | null = null;
  const history = store.temporal;
  const bump = () => store.setState((s) => ({ revision: s.revision + 1 }));
  return Object.assign(store, {
    overlay,
    undo() {
      history.getState().undo();
      bump();
    },
    redo() {
      history.getState().redo();
      bump();
    },
    /** A drag records one undo step: the graph before it, pushed when it ends. */
    beginDrag() {
      dragStart = graphOf(store.getState());
      history.getState().pause();
    },
    endDrag() {
      history.getState().resume();
      const before = dragStart;
      dragStart = null;
      if (before && !sameGraph(before, graphOf(store.getState()))) {
        history.setState((h) => ({ pastStates: [...h.pastStates, before].slice(-200), futureStates: [] }));
      }
      bump();
    },
    clearHistory() {
      history.getState().clear();
    },
  });
}

export type EditorStore = ReturnType<typeof createEditorStore>;

/**
 * Puts a preview computed elsewhere (an invoice line's billed values, not the sample's) in the store and in
 * the canvas overlay nodes render from; the store's own preview refresh only follows edits and samples.
 */
export function showPreview(store: EditorStore, preview: PreviewResult) {
  store.setState({ preview });
  store.overlay.setState(stableOverlay(store.overlay.getState(), overlayOf(store.getState())));
}

export const EditorStoreContext = createContext<EditorStore | null>(null);

export function useEditorStore(): EditorStore {
  const store = useContext(EditorStoreContext);
  if (!store) throw new Error("useEditor needs an EditorStoreContext provider");
  return store;
}

/** Reads the editor store; wrap object-returning selectors in `useShallow`. */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStore() as StoreApi<EditorState>, selector);
}

/** Reads the canvas overlay (preview values, port types, problems) for node components. */
export function useOverlay<T>(selector: (overlay: CanvasOverlay) => T): T {
  return useStore(useEditorStore().overlay, selector);
}

export function useHistory<T>(selector: (state: { pastStates: unknown[]; futureStates: unknown[] }) => T): T {
  return useStore(useEditorStore().temporal, selector);
}
