import type { ExplanationEntry, WireValue } from "@pricegraph/engine";
import type { PlanDocumentInput } from "@pricegraph/shared";
import type { InvoiceLine } from "../api/invoices.ts";

/** What "why?" highlights for one invoice line: the path through the plan that produced it, with its values. */
export interface WhyPath {
  /** The line's own node and every node its explanation walks through. */
  nodeIds: Set<string>;
  /** Edges whose two ends are both on the path. */
  edgeIds: Set<string>;
  /** `${nodeId}.${port}` → the value billed, from the explanation's outputs (and inputs for ports it fed). */
  values: Record<string, WireValue>;
  /** Edge id → the value that flowed along it on this invoice. */
  edgeValues: Record<string, WireValue>;
  /** The explanation in reading order: from the usage up to the line. */
  steps: ExplanationEntry[];
  /** Explanation nodes missing from the plan document (should not happen for a published version). */
  missing: string[];
}

export function whyPath(
  document: PlanDocumentInput,
  line: Pick<InvoiceLine, "nodeId" | "explanation">,
): WhyPath {
  const known = new Set(document.nodes.map((n) => n.id));
  const entries = (line.explanation ?? []).filter(
    (e): e is ExplanationEntry => typeof e === "object" && e !== null && typeof e.nodeId === "string",
  );
  const nodeIds = new Set<string>([line.nodeId, ...entries.map((e) => e.nodeId)]);
  const values: Record<string, WireValue> = {};
  const inputsByNode = new Map<string, ExplanationEntry["inputs"]>();
  for (const entry of entries) {
    for (const [port, value] of Object.entries(entry.outputs ?? {}))
      values[`${entry.nodeId}.${port}`] = value;
    inputsByNode.set(entry.nodeId, entry.inputs ?? {});
  }
  const edgeIds = new Set<string>();
  const edgeValues: Record<string, WireValue> = {};
  for (const edge of document.edges ?? []) {
    if (!nodeIds.has(edge.source) || !nodeIds.has(edge.target)) continue;
    edgeIds.add(edge.id);
    const flowed = values[`${edge.source}.${edge.sourceHandle}`];
    if (flowed !== undefined) edgeValues[edge.id] = flowed;
    else {
      // A source without a recorded output: the target's recorded input on that port (single-valued ports).
      const input = inputsByNode.get(edge.target)?.[edge.targetHandle];
      if (input !== undefined && !isMany(input)) edgeValues[edge.id] = input;
    }
  }
  return {
    nodeIds,
    edgeIds,
    values,
    edgeValues,
    steps: upstreamFirst(entries, document),
    missing: [...nodeIds].filter((id) => !known.has(id)),
  };
}

/**
 * The explanation in reading order: a node after every node that feeds it (topological over the plan's edges),
 * ties kept in the reverse of the stored order, which lists the line's side first.
 */
function upstreamFirst(entries: ExplanationEntry[], document: PlanDocumentInput): ExplanationEntry[] {
  const reversed = [...entries].reverse();
  const ids = new Set(reversed.map((e) => e.nodeId));
  const feeding = new Map<string, Set<string>>(reversed.map((e) => [e.nodeId, new Set<string>()]));
  for (const edge of document.edges ?? []) {
    if (ids.has(edge.source) && ids.has(edge.target) && edge.source !== edge.target) {
      feeding.get(edge.target)?.add(edge.source);
    }
  }
  const ordered: ExplanationEntry[] = [];
  const placed = new Set<string>();
  while (ordered.length < reversed.length) {
    const next =
      reversed.find(
        (e) => !placed.has(e.nodeId) && [...(feeding.get(e.nodeId) ?? [])].every((id) => placed.has(id)),
      ) ?? reversed.find((e) => !placed.has(e.nodeId))!; // a cycle cannot compile; keep going rather than loop
    ordered.push(next);
    placed.add(next.nodeId);
  }
  return ordered;
}

/** A many-port's list of values (each a decimal string or a grouped list), as opposed to one grouped value. */
function isMany(value: WireValue | WireValue[]): value is WireValue[] {
  return Array.isArray(value) && value.some((v) => typeof v === "string" || Array.isArray(v));
}

/** A wire value as a short label: decimals grouped, groups counted. */
export function wireLabel(value: WireValue | WireValue[] | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "string")
    return value.replace(/^(-?\d+)/, (w) => w.replace(/\B(?=(\d{3})+(?!\d))/g, ","));
  if (isMany(value)) return value.map((v) => wireLabel(v)).join(" + ");
  return `${value.length} group${value.length === 1 ? "" : "s"}`;
}
