import { describe, expect, it } from "vitest";
import { flowNodes } from "./flowNodes.ts";
import type { GraphNode } from "./graph.ts";
import { testGraph, zenskarTiers } from "./testing.ts";

const graph = testGraph([
  ["n1", "usage", { metric: "calls" }],
  ["n2", "tiered", { tiers: zenskarTiers }],
]);

const first = (nodes: GraphNode[]) => flowNodes(nodes, new Map(), [], new Map());

describe("the node list handed to React Flow", () => {
  it("stays the same list when only a node's data changed", () => {
    const { list, cache } = first(graph.nodes);
    const edited = graph.nodes.map((n) => (n.id === "n2" ? { ...n, data: { tiers: [] } } : n));
    expect(flowNodes(edited, cache, list, new Map()).list).toBe(list);
  });

  it("is a new list, with new objects for exactly the changed nodes, when a position or selection changed", () => {
    const { list, cache } = first(graph.nodes);
    const moved = graph.nodes.map((n) => (n.id === "n1" ? { ...n, position: { x: 5, y: 5 } } : n));
    const next = flowNodes(moved, cache, list, new Map()).list;
    expect(next).not.toBe(list);
    expect(next[0].position).toEqual({ x: 5, y: 5 });
    expect(next[1]).toBe(list[1]);
    const selected = graph.nodes.map((n) => (n.id === "n2" ? { ...n, selected: true } : n));
    expect(flowNodes(selected, cache, list, new Map()).list[1].selected).toBe(true);
  });

  it("keeps a dragged node where React Flow holds it until the drag ends", () => {
    const { list, cache } = first(graph.nodes);
    const resized = graph.nodes.map((n) => ({ ...n, measured: { width: 200, height: 90 } }));
    const during = flowNodes(resized, cache, list, new Map([["n1", { x: 40, y: 30 }]])).list;
    expect(during[0].position).toEqual({ x: 40, y: 30 });
    expect(during[1].position).toEqual(graph.nodes[1].position);
  });

  it("adds the class a canvas asks for (the version diff's colours)", () => {
    const { list } = flowNodes(graph.nodes, new Map(), [], new Map(), (n) => `diff-${n.id}`);
    expect(list.map((n) => n.className)).toEqual(["diff-n1", "diff-n2"]);
  });
});
