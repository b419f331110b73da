import type { CompiledPlan } from "./compile.ts";

/**
 * The metric a node prices: the one of the nearest usage node upstream of it (breadth first, so the closest
 * wins), or null when no usage node feeds it.
 */
export function metricFeeding(plan: CompiledPlan, nodeId: string): string | null {
  const queue = [...(plan.nodesById.get(nodeId)?.upstream ?? [])];
  const seen = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    const node = plan.nodesById.get(queue[i]);
    if (!node) continue;
    if (node.type === "usage") return String((node.data as { metric?: unknown }).metric);
    for (const next of node.upstream) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return null;
}
