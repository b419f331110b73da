import { createContext, useContext } from "react";
import { temporal } from "zundo";
import { createStore, type StoreApi, useStore } from "zustand";
import { type Graph, sameGraph } from "../graph.ts";
import { createClipboardSlice } from "./clipboardSlice.ts";
import { createGraphSlice } from "./graphSlice.ts";
import { createPreviewSlice } from "./previewSlice.ts";
import type { EditorState } from "./types.ts";
import { createUiSlice } from "./uiSlice.ts";

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
  // The preview follows every content change and every sample change, synchronously: no stale frame.
  store.subscribe((state, previous) => {
    if (state.revision !== previous.revision || state.sample !== previous.sample) state.refreshPreview();
  });
  let dragStart: Graph | null = null;
  const history = store.temporal;
  const bump = () => store.setState((s) => ({ revision: s.revision + 1 }));
  return Object.assign(store, {
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

export function useHistory<T>(selector: (state: { pastStates: unknown[]; futureStates: unknown[] }) => T): T {
  return useStore(useEditorStore().temporal, selector);
}
