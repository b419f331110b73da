import { nodeRegistry } from "@pricegraph/engine";
import { PLAN_FORMAT, type PlanDocumentInput, type PlanParam } from "@pricegraph/shared";
import type { Edge, Node } from "@xyflow/react";

/** Node data as the document holds it: decimal strings, `{ param }` references, plain JSON. */
export type NodeData = Record<string, unknown>;
export type GraphNode = Node<NodeData>;
export type GraphEdge = Edge;

/** What the undo history tracks and what the draft saves: the plan document, in React Flow's shapes. */
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  params: PlanParam[];
  currency: string;
}

export function emptyDocument(currency = "USD"): PlanDocumentInput {
  return { format: PLAN_FORMAT, currency, params: [], nodes: [], edges: [] };
}

type DocumentNode = PlanDocumentInput["nodes"][number];
type DocumentEdge = NonNullable<PlanDocumentInput["edges"]>[number];

// The engine's compile cache knows nodes and edges by object, so a graph node or edge that did not change
// keeps its document object from one edit to the next, and an edit re-checks only what it replaced. The
// store replaces a node or edge on every change, and the fields are compared as well, so a stale object is
// never handed out.
const documentNodes = new WeakMap<GraphNode, DocumentNode>();
const documentEdges = new WeakMap<GraphEdge, DocumentEdge>();

function documentNode(n: GraphNode): DocumentNode {
  const type = n.type ?? "";
  const x = Math.round(n.position.x);
  const y = Math.round(n.position.y);
  const known = documentNodes.get(n);
  if (known?.id === n.id && known.type === type && known.data === n.data) {
    if (known.position.x === x && known.position.y === y) return known;
  }
  const node = { id: n.id, type, position: { x, y }, data: n.data };
  documentNodes.set(n, node);
  return node;
}

function documentEdge(e: GraphEdge): DocumentEdge {
  const sourceHandle = e.sourceHandle ?? "out";
  const targetHandle = e.targetHandle ?? "in";
  const known = documentEdges.get(e);
  if (known?.id === e.id && known.source === e.source && known.target === e.target) {
    if (known.sourceHandle === sourceHandle && known.targetHandle === targetHandle) return known;
  }
  const edge = { id: e.id, source: e.source, sourceHandle, target: e.target, targetHandle };
  documentEdges.set(e, edge);
  return edge;
}

/**
 * The plan document for a graph: only the keys the format allows, so the saved plan is exactly what compiles.
 * Its node and edge objects are shared with earlier documents of the same graph: never change them in place.
 */
export function toDocument(graph: Graph): PlanDocumentInput {
  return {
    format: PLAN_FORMAT,
    currency: graph.currency,
    params: graph.params,
    nodes: graph.nodes.map(documentNode),
    edges: graph.edges.map(documentEdge),
  };
}

export function fromDocument(document: PlanDocumentInput | null | undefined): Graph {
  const doc = document ?? emptyDocument();
  return {
    currency: doc.currency ?? "USD",
    params: (doc.params ?? []) as PlanParam[],
    nodes: (doc.nodes ?? []).map((n) => ({
      id: n.id,
      type: n.type,
      position: { x: n.position.x, y: n.position.y },
      data: (n.data ?? {}) as NodeData,
    })),
    edges: (doc.edges ?? []).map((e) => ({
      id: e.id,
      source: e.source,
      sourceHandle: e.sourceHandle,
      target: e.target,
      targetHandle: e.targetHandle,
    })),
  };
}

/** Same plan content (selection, measurement and drag flags ignored): the undo history's equality. */
export function sameGraph(a: Graph, b: Graph): boolean {
  if (a.currency !== b.currency || a.params !== b.params) return false;
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x.id !== y.id || x.type !== y.type || x.data !== y.data) return false;
    if (x.position.x !== y.position.x || x.position.y !== y.position.y) return false;
  }
  for (let i = 0; i < a.edges.length; i++) {
    const x = a.edges[i];
    const y = b.edges[i];
    if (x.id !== y.id || x.source !== y.source || x.target !== y.target) return false;
    if (x.sourceHandle !== y.sourceHandle || x.targetHandle !== y.targetHandle) return false;
  }
  return true;
}

/** A fresh id with a readable prefix: `n1`, `n2`, … for nodes, `e1`, … for edges. */
export function nextId(prefix: string, taken: Iterable<string>): string {
  let max = 0;
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  for (const id of taken) {
    const match = pattern.exec(id);
    if (match) max = Math.max(max, Number(match[1]));
  }
  return `${prefix}${max + 1}`;
}

/** A deep copy of a kind's default data, so nodes never share objects. */
export function defaultDataFor(type: string): NodeData {
  const kind = nodeRegistry.get(type);
  return structuredClone(kind?.defaultData ?? {}) as NodeData;
}

export function edgeKey(e: {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}) {
  return `${e.source}.${e.sourceHandle ?? ""}→${e.target}.${e.targetHandle ?? ""}`;
}
