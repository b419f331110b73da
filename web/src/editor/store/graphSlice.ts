import type { ParamType, PlanParam } from "@pricegraph/shared";
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from "@xyflow/react";
import { type Connection, type ConnectionCheck, checkConnection } from "../connection.ts";
import {
  defaultDataFor,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type NodeData,
  nextId,
} from "../graph.ts";
import { getAt, isParamRef, mapParamRefs, type Path, setAt } from "./paths.ts";
import type { EditorSlice } from "./types.ts";

export interface GraphSlice extends Graph {
  /** Bumped whenever the plan's content changes (not on selection): the preview and autosave follow it. */
  revision: number;
  readOnly: boolean;
  /** "diff" shows two versions merged: no preview, no problem outlines. */
  mode: "edit" | "view" | "diff";
  load(graph: Graph, options?: { mode?: "edit" | "view" | "diff" }): void;
  onNodesChange(changes: NodeChange<GraphNode>[]): void;
  onEdgesChange(changes: EdgeChange<GraphEdge>[]): void;
  addNode(type: string, position: { x: number; y: number }): string;
  connect(connection: Connection): ConnectionCheck;
  /**
   * Connects an output to an input from the inspector (the keyboard's way to wire). With `replace`, the
   * input's current connection gives way in the same undo step.
   */
  connectInput(connection: Connection, replace: boolean): ConnectionCheck;
  disconnect(edgeId: string): void;
  updateNodeData(id: string, update: (data: NodeData) => NodeData): void;
  setField(id: string, path: Path, value: unknown): void;
  setCurrency(currency: string): void;
  exposeParam(nodeId: string, path: Path, type: ParamType): string;
  updateParam(key: string, patch: Partial<PlanParam>): void;
  removeParam(key: string): void;
  setPositions(positions: Record<string, { x: number; y: number }>): void;
  select(ids: string[]): void;
  deleteSelection(): void;
}

const slug = (text: string) =>
  text
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "") || "param";

const humanize = (key: string) => {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Two-dimensional tiers keep one rate per row × column: adding or removing a tier resizes the grid. */
function fitRates(data: NodeData): NodeData {
  const rows = Array.isArray(data.rows) ? data.rows.length : 0;
  const columns = Array.isArray(data.columns) ? data.columns.length : 0;
  const rates = Array.isArray(data.rates) ? (data.rates as unknown[][]) : [];
  const fill = (row: unknown[] | undefined) =>
    Array.from({ length: columns }, (_, c) => row?.[c] ?? row?.[row.length - 1] ?? "0");
  return {
    ...data,
    rates: Array.from({ length: rows }, (_, r) => fill(rates[r] ?? rates[rates.length - 1])),
  };
}

const NEW_NODE = { width: 200, height: 110 };
const GAP = 30;

/** Offsets to try around the asked-for point, nearest first: right, below, then further out. */
const offsets = (() => {
  const list: { x: number; y: number }[] = [];
  for (let i = -3; i <= 3; i++)
    for (let j = -3; j <= 3; j++)
      list.push({ x: i * (NEW_NODE.width + GAP), y: j * (NEW_NODE.height + GAP) });
  // Nearest first; among equals, to the right and below before left and above (the plan reads that way).
  return list.sort((a, b) => Math.hypot(a.x, a.y) - Math.hypot(b.x, b.y) || b.x - a.x || b.y - a.y);
})();

/**
 * Where a new node goes: the asked-for point, or the nearest point around it where it covers no other node,
 * so a node added twice at the same place (palette Enter, a careless drop) is nudged apart, never hidden.
 */
export function freeSpot(position: { x: number; y: number }, nodes: GraphNode[]): { x: number; y: number } {
  const free = (p: { x: number; y: number }) =>
    !nodes.some((n) => {
      const width = n.measured?.width ?? NEW_NODE.width;
      const height = n.measured?.height ?? NEW_NODE.height;
      return (
        p.x < n.position.x + width + GAP / 2 &&
        n.position.x < p.x + NEW_NODE.width + GAP / 2 &&
        p.y < n.position.y + height + GAP / 2 &&
        n.position.y < p.y + NEW_NODE.height + GAP / 2
      );
    });
  for (const offset of offsets) {
    const spot = { x: position.x + offset.x, y: position.y + offset.y };
    if (free(spot)) return spot;
  }
  return position;
}

export const createGraphSlice: EditorSlice<GraphSlice> = (set, get) => {
  const change = (partial: Partial<Graph>) => set((s) => ({ ...partial, revision: s.revision + 1 }));
  return {
    nodes: [],
    edges: [],
    params: [],
    currency: "USD",
    revision: 0,
    readOnly: false,
    mode: "edit",

    load(graph, options) {
      const mode = options?.mode ?? "edit";
      set((s) => ({ ...graph, mode, readOnly: mode !== "edit", revision: s.revision + 1 }));
    },

    onNodesChange(changes) {
      const nodes = applyNodeChanges(changes, get().nodes);
      const content = changes.some(
        (c) =>
          c.type === "remove" ||
          c.type === "add" ||
          c.type === "replace" ||
          (c.type === "position" && !c.dragging && c.position !== undefined),
      );
      if (content) change({ nodes });
      else set({ nodes });
    },

    onEdgesChange(changes) {
      const edges = applyEdgeChanges(changes, get().edges);
      if (changes.some((c) => c.type !== "select")) change({ edges });
      else set({ edges });
    },

    addNode(type, position) {
      const id = nextId(
        "n",
        get().nodes.map((n) => n.id),
      );
      const node: GraphNode = {
        id,
        type,
        position: freeSpot(position, get().nodes),
        data: defaultDataFor(type),
        selected: true,
      };
      change({ nodes: [...get().nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
      return id;
    },

    connect(connection) {
      const result = checkConnection(get(), connection);
      if (result.ok) change({ edges: [...get().edges, { id: result.edgeId, ...connection }] });
      return result;
    },
    connectInput(connection, replace) {
      const kept = replace
        ? get().edges.filter(
            (e) => !(e.target === connection.target && e.targetHandle === connection.targetHandle),
          )
        : get().edges;
      const result = checkConnection({ ...get(), edges: kept }, connection);
      if (result.ok) change({ edges: [...kept, { id: result.edgeId, ...connection }] });
      return result;
    },
    disconnect(edgeId) {
      change({ edges: get().edges.filter((e) => e.id !== edgeId) });
    },

    updateNodeData(id, update) {
      change({ nodes: get().nodes.map((n) => (n.id === id ? { ...n, data: update(n.data) } : n)) });
    },

    setField(id, path, value) {
      const type = get().nodes.find((n) => n.id === id)?.type;
      get().updateNodeData(id, (data) => {
        const next = setAt(data, path, value);
        return type === "tiered2d" && (path[0] === "rows" || path[0] === "columns") ? fitRates(next) : next;
      });
    },

    setCurrency(currency) {
      change({ currency });
    },

    exposeParam(nodeId, path, type) {
      const node = get().nodes.find((n) => n.id === nodeId);
      if (!node) return "";
      const current = getAt(node.data, path);
      if (isParamRef(current)) return current.param;
      const field = [...path].reverse().find((s): s is string => typeof s === "string") ?? "value";
      const base = slug(`${(node.data.label as string | undefined) || node.type}_${field}`);
      const taken = new Set(get().params.map((p) => p.key));
      let key = base;
      for (let i = 2; taken.has(key); i++) key = `${base}_${i}`;
      const param: PlanParam = {
        key,
        label: humanize(key),
        type,
        default: typeof current === "string" && current !== "" ? current : "0",
      };
      change({
        params: [...get().params, param],
        nodes: get().nodes.map((n) =>
          n.id === nodeId ? { ...n, data: setAt(n.data, path, { param: key }) } : n,
        ),
      });
      return key;
    },

    updateParam(key, patch) {
      const params = get().params.map((p) => (p.key === key ? { ...p, ...patch } : p));
      const renamed = patch.key !== undefined && patch.key !== key ? patch.key : null;
      const nodes = renamed
        ? get().nodes.map((n) => {
            const data = mapParamRefs(n.data, (k) => ({ param: k === key ? renamed : k })) as NodeData;
            return data === n.data ? n : { ...n, data };
          })
        : get().nodes;
      change({ params, nodes });
    },

    removeParam(key) {
      const param = get().params.find((p) => p.key === key);
      const nodes = get().nodes.map((n) => {
        const data = mapParamRefs(n.data, (k) =>
          k === key ? (param?.default ?? "0") : { param: k },
        ) as NodeData;
        return data === n.data ? n : { ...n, data };
      });
      change({ params: get().params.filter((p) => p.key !== key), nodes });
    },

    setPositions(positions) {
      change({
        nodes: get().nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)),
      });
    },

    select(ids) {
      const wanted = new Set(ids);
      set({
        nodes: get().nodes.map((n) =>
          !!n.selected === wanted.has(n.id) ? n : { ...n, selected: wanted.has(n.id) },
        ),
        edges: get().edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      });
    },

    deleteSelection() {
      const gone = new Set(
        get()
          .nodes.filter((n) => n.selected)
          .map((n) => n.id),
      );
      const edges = get().edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (gone.size === 0 && edges.length === get().edges.length) return;
      change({ nodes: get().nodes.filter((n) => !gone.has(n.id)), edges });
    },
  };
};
