import type { Graph, GraphNode } from "./graph.ts";

/** A small graph for tests: nodes by `id:type` with data, edges as `source.port>target.port`. */
export function testGraph(nodes: [string, string, Record<string, unknown>][], edges: string[] = []): Graph {
  return {
    currency: "USD",
    params: [],
    nodes: nodes.map(
      ([id, type, data], index): GraphNode => ({ id, type, position: { x: index * 250, y: 0 }, data }),
    ),
    edges: edges.map((edge, index) => {
      const [from, to] = edge.split(">");
      const [source, sourceHandle] = from.split(".");
      const [target, targetHandle] = to.split(".");
      return { id: `e${index + 1}`, source, sourceHandle, target, targetHandle };
    }),
  };
}

export const zenskarTiers = [
  { upTo: "500", unitPrice: "2.00" },
  { upTo: "2000", unitPrice: "1.50" },
  { upTo: null, unitPrice: "1.00" },
];
