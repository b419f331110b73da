import { compile, nodeRegistry } from "@pricegraph/engine";
import type { Problem } from "@pricegraph/shared";
import { type Graph, nextId, toDocument } from "./graph.ts";

export interface Connection {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export type ConnectionCheck = { ok: true; edgeId: string } | { ok: false; code: string; reason: string };

const problemKey = (p: Problem) =>
  `${p.code}|${p.nodeId ?? ""}|${p.edgeId ?? ""}|${p.path ?? ""}|${p.message}`;

function describePort(graph: Graph, nodeId: string, port: string, side: "inputs" | "outputs") {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const kind = node?.type ? nodeRegistry.get(node.type) : undefined;
  const layout = kind?.ports(node?.data as never);
  const label = layout?.[side].find((p) => p.name === port)?.label ?? port;
  const name = (node?.data.label as string | undefined) || kind?.label || nodeId;
  return { name, label };
}

/**
 * Asks the engine whether a connection may be made: the document is compiled with the tentative edge, and the
 * edge is refused when a problem names it, or when it brings a new cycle, a second edge into a single input,
 * or a type conflict at its target. Connections are judged by the same compiler that judges the plan.
 */
export function checkConnection(graph: Graph, connection: Connection): ConnectionCheck {
  if (connection.source === connection.target) {
    return { ok: false, code: "CYCLE", reason: "A node cannot feed itself: that would be a cycle." };
  }
  const edgeId = nextId(
    "e",
    graph.edges.map((e) => e.id),
  );
  const before = compile(toDocument(graph));
  const known = new Set(before.problems.map(problemKey));
  const after = compile(toDocument({ ...graph, edges: [...graph.edges, { id: edgeId, ...connection }] }));
  const fresh = after.problems.filter((p) => !known.has(problemKey(p)));
  const target = describePort(graph, connection.target, connection.targetHandle, "inputs");
  const source = describePort(graph, connection.source, connection.sourceHandle, "outputs");

  const cycle = fresh.find((p) => p.code === "CYCLE");
  if (cycle) {
    return {
      ok: false,
      code: "CYCLE",
      reason: `This would create a cycle (${(cycle.nodeIds ?? []).join(" → ")}): a plan must flow one way.`,
    };
  }
  const multiple = fresh.find(
    (p) =>
      p.code === "INPUT_MULTIPLE_EDGES" &&
      p.nodeId === connection.target &&
      p.path === `$inputs.${connection.targetHandle}`,
  );
  if (multiple) {
    return {
      ok: false,
      code: "INPUT_MULTIPLE_EDGES",
      reason: `“${target.label}” of ${target.name} takes one connection and already has one.`,
    };
  }
  const onEdge = fresh.find((p) => p.edgeId === edgeId);
  if (onEdge?.code === "PORT_TYPE_MISMATCH") {
    const kind = nodeRegistry.get(graph.nodes.find((n) => n.id === connection.target)?.type ?? "");
    const accepts = kind?.ports(undefined).inputs.find((p) => p.name === connection.targetHandle)?.accepts;
    const sourceType = before.portTypes[`${connection.source}.${connection.sourceHandle}`];
    return {
      ok: false,
      code: "PORT_TYPE_MISMATCH",
      reason: `Wrong type: “${target.label}” of ${target.name} takes ${accepts?.join(" or ") ?? "another type"}, but “${source.label}” of ${source.name} is ${sourceType ?? "another type"}.`,
    };
  }
  if (onEdge) return { ok: false, code: onEdge.code, reason: onEdge.message };
  const conflict = fresh.find((p) => p.code === "PORT_TYPE_MISMATCH" && p.nodeId === connection.target);
  if (conflict) {
    return {
      ok: false,
      code: conflict.code,
      reason: `Wrong type: ${conflict.message.replace(/^Node "[^"]+": /, "")}.`,
    };
  }
  return { ok: true, edgeId };
}
