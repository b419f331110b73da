import type { PlanDocumentInput } from "@pricegraph/shared";
import { nodeRegistry } from "./registry.ts";

// What changed between two plan documents. The web's version comparison and the CLI's `diff` both print
// this one change list, so a reviewer sees the same thing in a pull request and in the browser.

export type ChangeStatus = "added" | "removed" | "changed" | "unchanged";

export interface FieldChange {
  /** Where in the node's data, e.g. `tiers[1].unitPrice`. */
  path: string;
  before: unknown;
  after: unknown;
}

type DocNode = PlanDocumentInput["nodes"][number];
type DocEdge = NonNullable<PlanDocumentInput["edges"]>[number];

export interface NodeDiff {
  id: string;
  type: string;
  status: ChangeStatus;
  /** Position only changed: layout, not pricing. */
  moved: boolean;
  changes: FieldChange[];
  /** The node as the newer document has it, or the older one for a removed node. */
  node: DocNode;
}

export interface EdgeDiff {
  key: string;
  status: Exclude<ChangeStatus, "changed">;
  edge: DocEdge;
}

export interface ParamDiff {
  key: string;
  status: ChangeStatus;
  changes: FieldChange[];
}

export interface DocumentDiff {
  nodes: NodeDiff[];
  edges: EdgeDiff[];
  params: ParamDiff[];
  currency: { before: string; after: string } | null;
  counts: Record<ChangeStatus, number>;
}

/** An edge's identity in a diff: its endpoints, so an edge re-created with a new id is the same edge. */
export function edgeKey(e: {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}): string {
  return `${e.source}.${e.sourceHandle ?? ""}→${e.target}.${e.targetHandle ?? ""}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

/** Every leaf where two JSON values differ, as `a.b[2].c` paths. */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      out.push(...fieldChanges(before[i], after[i], `${path}[${i}]`));
    }
    return out;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || "(value)", before, after }];
}

/**
 * What changed from one plan document to another: nodes by id (added, removed, or with changed data),
 * edges by their endpoints (an edge re-created with a new id is the same edge), parameters by key.
 */
export function diffDocuments(from: PlanDocumentInput, to: PlanDocumentInput): DocumentDiff {
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Map(to.nodes.map((n) => [n.id, n]));
  const nodes: NodeDiff[] = [];
  for (const node of to.nodes) {
    const old = before.get(node.id);
    if (!old) {
      nodes.push({ id: node.id, type: node.type, status: "added", moved: false, changes: [], node });
      continue;
    }
    const changes =
      old.type !== node.type
        ? [{ path: "type", before: old.type, after: node.type }, ...fieldChanges(old.data, node.data)]
        : fieldChanges(old.data, node.data);
    const moved = old.position.x !== node.position.x || old.position.y !== node.position.y;
    nodes.push({
      id: node.id,
      type: node.type,
      status: changes.length ? "changed" : "unchanged",
      moved,
      changes,
      node,
    });
  }
  for (const node of from.nodes) {
    if (!after.has(node.id)) {
      nodes.push({ id: node.id, type: node.type, status: "removed", moved: false, changes: [], node });
    }
  }

  const oldEdges = new Map((from.edges ?? []).map((e) => [edgeKey(e), e]));
  const newEdges = new Map((to.edges ?? []).map((e) => [edgeKey(e), e]));
  const edges: EdgeDiff[] = [
    ...[...newEdges].map(([key, edge]) => ({
      key,
      edge,
      status: oldEdges.has(key) ? ("unchanged" as const) : ("added" as const),
    })),
    ...[...oldEdges]
      .filter(([key]) => !newEdges.has(key))
      .map(([key, edge]) => ({ key, edge, status: "removed" as const })),
  ];

  const oldParams = new Map((from.params ?? []).map((p) => [p.key, p]));
  const newParams = new Map((to.params ?? []).map((p) => [p.key, p]));
  const params: ParamDiff[] = [
    ...[...newParams].map(([key, param]) => {
      const old = oldParams.get(key);
      if (!old) return { key, status: "added" as const, changes: [] };
      const changes = fieldChanges(old, param);
      return { key, status: changes.length ? ("changed" as const) : ("unchanged" as const), changes };
    }),
    ...[...oldParams.keys()]
      .filter((k) => !newParams.has(k))
      .map((key) => ({ key, status: "removed" as const, changes: [] })),
  ];

  const counts: Record<ChangeStatus, number> = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const n of nodes) counts[n.status]++;
  return {
    nodes,
    edges,
    params,
    currency:
      from.currency !== to.currency ? { before: from.currency ?? "", after: to.currency ?? "" } : null,
    counts,
  };
}

/** A changed field's value as the change list shows it: strings bare, `null` (an unbounded tier) as ∞. */
export function diffValueText(value: unknown): string {
  if (value === undefined) return "—";
  if (value === null) return "∞ (unbounded)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A node's name in the change list: its own label, else its kind's label, else its type. */
export function diffNodeLabel(node: NodeDiff): string {
  const label = node.node.data.label;
  return (typeof label === "string" && label) || nodeRegistry.get(node.type)?.label || node.type;
}

/** True when the two documents price differently (layout-only changes do not count). */
export function hasPricingChanges(diff: DocumentDiff): boolean {
  return (
    diff.currency !== null ||
    diff.nodes.some((n) => n.status !== "unchanged") ||
    diff.edges.some((e) => e.status !== "unchanged") ||
    diff.params.some((p) => p.status !== "unchanged")
  );
}

/** The change list as plain text, in the order and words of the web's version comparison. */
export function diffText(diff: DocumentDiff): string {
  const out: string[] = [];
  if (!hasPricingChanges(diff)) out.push("The two versions price the same way (only layout may differ).");
  if (diff.currency) out.push(`Currency: ${diff.currency.before} → ${diff.currency.after}`);
  for (const node of diff.nodes.filter((n) => n.status !== "unchanged")) {
    out.push(`${node.status} ${diffNodeLabel(node)} (${node.id})`);
    for (const c of node.changes) {
      out.push(`  ${c.path}: ${diffValueText(c.before)} → ${diffValueText(c.after)}`);
    }
  }
  const edges = diff.edges.filter((e) => e.status !== "unchanged");
  if (edges.length) out.push("Connections", ...edges.map((e) => `  ${e.status} ${e.key}`));
  const params = diff.params.filter((p) => p.status !== "unchanged");
  if (params.length) {
    out.push("Parameters");
    for (const p of params) {
      const changes = p.changes.map(
        (c) => `${c.path}: ${diffValueText(c.before)} → ${diffValueText(c.after)}`,
      );
      out.push(`  ${[p.status, p.key, changes.join("; ")].filter(Boolean).join(" ")}`);
    }
  }
  const { added, removed, changed, unchanged } = diff.counts;
  out.push(`Added ${added}, removed ${removed}, changed ${changed}, unchanged ${unchanged}`);
  return `${out.join("\n")}\n`;
}
