import type { GraphNode } from "./graph.ts";

export type Position = { x: number; y: number };
export type FlowNodeCache = Map<string, { node: GraphNode; flow: GraphNode }>;

/** Same node apart from its data (and the class the canvas adds): React Flow's copy can stay as it is. */
function sameButData(a: GraphNode, b: GraphNode): boolean {
  for (const key in a)
    if (key !== "data" && a[key as keyof GraphNode] !== b[key as keyof GraphNode]) return false;
  for (const key in b) if (!(key in a)) return false;
  return true;
}

/**
 * The node list handed to React Flow. Node components read their data from the editor store (see
 * nodeTypes.ts), so a node whose data alone changed keeps its React Flow object; when every node does, the
 * previous list is returned and React Flow does not re-adopt 1,000 nodes for one typed character. Nodes being
 * dragged keep the position React Flow holds for them until the drag ends.
 */
export function flowNodes(
  nodes: GraphNode[],
  cache: FlowNodeCache,
  previous: GraphNode[],
  dragged: ReadonlyMap<string, Position>,
  nodeClass?: (node: GraphNode) => string | undefined,
): { list: GraphNode[]; cache: FlowNodeCache } {
  const next: FlowNodeCache = new Map();
  let same = nodes.length === previous.length;
  const list = nodes.map((node, i) => {
    const className = nodeClass?.(node);
    const live = dragged.get(node.id);
    const hit = cache.get(node.id);
    let flow: GraphNode;
    if (
      hit &&
      !live &&
      (hit.node === node || sameButData(hit.node, node)) &&
      hit.flow.className === className
    )
      flow = hit.flow;
    else {
      flow = { ...node };
      if (className !== undefined) flow.className = className;
      if (live) flow.position = live;
    }
    next.set(node.id, { node, flow });
    if (flow !== previous[i]) same = false;
    return flow;
  });
  return { list: same ? previous : list, cache: next };
}
