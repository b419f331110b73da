import type { ValueType, WireValue } from "@pricegraph/engine";
import type { Problem } from "@pricegraph/shared";
import { createContext, useContext } from "react";
import { temporal } from "zundo";
import { createStore, type StoreApi, useStore } from "zustand";
import { type Graph, type GraphNode, sameGraph } from "../graph.ts";
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
  /** Per node: what it shows. An entry keeps its identity while its contents stay the same. */
  byNode: ReadonlyMap<string, NodeOverlay>;
  portTypes: Record<string, ValueType>;
  /** Ids of edges a problem names (drawn dashed red). */
  brokenEdges: string[];
  currency: string;
}

/** What one canvas node shows from the preview: its output values and types by port, problems, line amount. */
export interface NodeOverlay {
  values: Record<string, WireValue>;
  portTypes: Record<string, ValueType>;
  problems?: Problem[];
  lineAmount?: string;
}

/** `node.port` keys split by node, the port after the last dot. */
function byNodeAndPort<T>(record: Record<string, T>, into: (id: string) => Record<string, T>) {
  for (const [key, value] of Object.entries(record)) {
    const dot = key.lastIndexOf(".");
    into(key.slice(0, dot))[key.slice(dot + 1)] = value;
  }
}

function overlayOf(state: EditorState): CanvasOverlay {
  const preview = state.preview;
  const output = preview?.evaluation?.ok ? preview.evaluation.output : null;
  const portTypes = preview?.compiled.portTypes ?? {};
  const byNode = new Map<string, NodeOverlay>();
  const entry = (id: string) => {
    const found = byNode.get(id);
    if (found) return found;
    const created: NodeOverlay = { values: {}, portTypes: {} };
    byNode.set(id, created);
    return created;
  };
  byNodeAndPort(preview?.values ?? {}, (id) => entry(id).values);
  byNodeAndPort(portTypes, (id) => entry(id).portTypes);
  for (const [id, problems] of preview?.problemsByNode ?? []) entry(id).problems = problems;
  for (const line of output?.lines ?? []) entry(line.nodeId).lineAmount = line.amount;
  return {
    byNode,
    portTypes,
    brokenEdges: (preview?.problems ?? []).flatMap((p) => (p.edgeId ? [p.edgeId] : [])),
    currency: state.currency,
  };
}

const sameRecord = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined) =>
  a === b || (!!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]));

const sameProblems = (a: Problem[] | undefined, b: Problem[] | undefined) =>
  sameList(
    a?.map((p) => `${p.code}|${p.path}|${p.message}|${p.edgeId}`),
    b?.map((p) => `${p.code}|${p.path}|${p.message}|${p.edgeId}`),
  );

const sameNodeOverlay = (a: NodeOverlay, b: NodeOverlay) =>
  a.lineAmount === b.lineAmount &&
  sameRecord(a.values, b.values) &&
  sameRecord(a.portTypes, b.portTypes) &&
  sameProblems(a.problems, b.problems);

/**
 * Keeps the previous objects where nothing changed, so a node whose values, types and problems are the same
 * after an edit is not re-rendered (each node subscribes to its own entry).
 */
function stableOverlay(previous: CanvasOverlay, next: CanvasOverlay): CanvasOverlay {
  const byNode = new Map<string, NodeOverlay>();
  for (const [id, entry] of next.byNode) {
    const before = previous.byNode.get(id);
    byNode.set(id, before && sameNodeOverlay(before, entry) ? before : entry);
  }
  return {
    ...next,
    byNode,
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

const indexes = new WeakMap<readonly GraphNode[], Map<string, GraphNode>>();

/** The node with this id, through an index built once per node list (canvas nodes look themselves up). */
export function nodeById(nodes: readonly GraphNode[], id: string): GraphNode | undefined {
  let index = indexes.get(nodes);
  if (!index) {
    index = new Map(nodes.map((n) => [n.id, n]));
    indexes.set(nodes, index);
  }
  return index.get(id);
}

/** Reads the canvas overlay (preview values, port types, problems) for node components. */
export function useOverlay<T>(selector: (overlay: CanvasOverlay) => T): T {
  return useStore(useEditorStore().overlay, selector);
}

export function useHistory<T>(selector: (state: { pastStates: unknown[]; futureStates: unknown[] }) => T): T {
  return useStore(useEditorStore().temporal, selector);
}
