import type { ELK } from "elkjs/lib/elk-api";
import type { GraphEdge, GraphNode } from "./graph.ts";

let elk: ELK | null = null;

/** Layered left-to-right positions for every node (elkjs), from the nodes' measured sizes. */
export async function layoutGraph(
  nodes: GraphNode[],
  edges: GraphEdge[],
): Promise<Record<string, { x: number; y: number }>> {
  // elkjs is large: loaded on the first auto-layout only.
  if (!elk) elk = new (await import("elkjs/lib/elk.bundled.js")).default();
  const result = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "90",
      "elk.spacing.nodeNode": "40",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    },
    children: nodes.map((n) => ({
      id: n.id,
      width: n.measured?.width ?? 220,
      height: n.measured?.height ?? 120,
    })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const positions: Record<string, { x: number; y: number }> = {};
  for (const child of result.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
}
