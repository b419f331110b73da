import { type GraphEdge, type GraphNode, nextId } from "../graph.ts";
import type { EditorSlice } from "./types.ts";

export interface ClipboardSlice {
  clipboard: { nodes: GraphNode[]; edges: GraphEdge[] } | null;
  pasteCount: number;
  copySelection(): number;
  paste(): string[];
}

/** Copy and paste of the selected nodes with the edges between them (edges to outside nodes are left behind). */
export const createClipboardSlice: EditorSlice<ClipboardSlice> = (set, get) => ({
  clipboard: null,
  pasteCount: 0,

  copySelection() {
    const nodes = get().nodes.filter((n) => n.selected);
    if (nodes.length === 0) return 0;
    const ids = new Set(nodes.map((n) => n.id));
    const edges = get().edges.filter((e) => ids.has(e.source) && ids.has(e.target));
    set({ clipboard: structuredClone({ nodes, edges }), pasteCount: 0 });
    return nodes.length;
  },

  paste() {
    const clip = get().clipboard;
    if (!clip || get().readOnly) return [];
    const offset = 40 * (get().pasteCount + 1);
    const taken = get().nodes.map((n) => n.id);
    const idMap = new Map<string, string>();
    for (const node of clip.nodes) {
      const id = nextId("n", taken);
      taken.push(id);
      idMap.set(node.id, id);
    }
    const nodes: GraphNode[] = clip.nodes.map((n) => ({
      id: idMap.get(n.id)!,
      type: n.type,
      position: { x: n.position.x + offset, y: n.position.y + offset },
      data: structuredClone(n.data),
      selected: true,
    }));
    const edgeIds = get().edges.map((e) => e.id);
    const edges: GraphEdge[] = clip.edges.map((e) => {
      const id = nextId("e", edgeIds);
      edgeIds.push(id);
      return {
        id,
        source: idMap.get(e.source)!,
        sourceHandle: e.sourceHandle,
        target: idMap.get(e.target)!,
        targetHandle: e.targetHandle,
      };
    });
    set((s) => ({
      nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...nodes],
      edges: [...s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...edges],
      pasteCount: s.pasteCount + 1,
      revision: s.revision + 1,
    }));
    return nodes.map((n) => n.id);
  },
});
