import {
  isCurrency,
  jsonPath,
  minorUnits,
  type PlanDocument,
  type PlanParam,
  type Problem,
  type ProblemCode,
  planDocumentSchema,
  planEdgeSchema,
  planNodeSchema,
  planParamSchema,
} from "@pricegraph/shared";
import type { z } from "zod";
import {
  type CompileCache,
  cachedDocument,
  cachedStaticData,
  checkNodeData,
  type NodeDataFacts,
} from "./compile-cache.ts";
import { Decimal } from "./decimal.ts";
import { collectFields, materialize } from "./fields.ts";
import { tierOrderProblems } from "./nodes/tiers.ts";
import { nodeRegistry } from "./registry.ts";
import type { AnyNodeKind, InputPort, InputTypes, PortLayout, ValueType } from "./types.ts";

export interface CompiledInput {
  port: InputPort;
  /** Value slots of the edges into this port, in edge order. */
  slots: number[];
}

export interface CompiledNode {
  id: string;
  type: string;
  kind: AnyNodeKind;
  position: { x: number; y: number };
  /** Parsed data; decimal fields are DecimalFields. */
  data: unknown;
  /** Materialized data when the node references no parameter (the common case, computed once). */
  staticData: unknown | null;
  inputs: CompiledInput[];
  outputs: { name: string; type: ValueType; slot: number }[];
  /** Nodes feeding this one, for explanations. */
  upstream: string[];
}

export interface CompiledPlan {
  document: PlanDocument;
  currency: string;
  minorUnits: number;
  params: PlanParam[];
  paramDefaults: ReadonlyMap<string, Decimal>;
  /** Topological order, ties by node id: credit pools are drawn in this order. */
  steps: CompiledNode[];
  /** invoiceLine nodes in invoice order (top to bottom, then left to right). */
  lines: CompiledNode[];
  nodesById: ReadonlyMap<string, CompiledNode>;
  slotNames: string[];
  metrics: { key: string; groupBy?: string[] }[];
  creditPools: string[];
  portTypes: Record<string, ValueType>;
}

export type CompileResult =
  | { ok: true; plan: CompiledPlan; problems: []; warnings: Problem[]; portTypes: Record<string, ValueType> }
  | { ok: false; problems: Problem[]; warnings: Problem[]; portTypes: Record<string, ValueType> };

interface NodeDraft {
  id: string;
  kind: AnyNodeKind;
  position: { x: number; y: number };
  data: unknown;
  valid: boolean;
  /** The node's ports for its data, computed once. */
  layout: PortLayout;
  /** Whether any decimal field is a parameter reference. */
  hasParams: boolean;
  /** What the compile cache knows of this node's data (with a cache only). */
  facts: NodeDataFacts | null;
}

export { type CompileCache, createCompileCache } from "./compile-cache.ts";

function zodProblems(error: z.ZodError, base: Partial<Problem>): Problem[] {
  return error.issues.map((issue) => {
    const custom = (issue as { params?: { problem?: ProblemCode } }).params?.problem;
    return {
      code: custom ?? (base.code as ProblemCode) ?? "INVALID_NODE_DATA",
      message: issue.message,
      ...base,
      ...(custom ? { code: custom } : {}),
      path: jsonPath(issue.path),
    } as Problem;
  });
}

/** Checks a plan document and builds an executable plan, or returns every problem found. */
export function compile(document: unknown, options: { cache?: CompileCache } = {}): CompileResult {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  /** Nodes that exist but cannot be typed (unknown type, malformed): edges to them raise nothing more. */
  const brokenIds = new Set<string>();
  const portTypes: Record<string, ValueType> = {};
  const fail = (): CompileResult => ({ ok: false, problems, warnings, portTypes });
  const add = (code: ProblemCode, message: string, extra: Partial<Problem> = {}) =>
    problems.push({ code, message, ...extra });

  const { cache } = options;
  // With a cache, the document is assembled from the nodes, edges and parameters checked before; anything
  // unusual falls back to the full parse below, which reports problems as it always has.
  const fromCache = cache ? cachedDocument(document, cache) : null;
  const parsedDocument = fromCache
    ? ({ success: true, data: fromCache } as const)
    : planDocumentSchema.safeParse(document);
  let doc: PlanDocument;
  if (parsedDocument.success) doc = parsedDocument.data;
  else {
    problems.push(...documentProblems(parsedDocument.error, document));
    // Keep checking what can be checked, so the author sees every problem at once.
    const salvaged = salvage(document);
    if (!salvaged) return fail();
    doc = salvaged.doc;
    for (const id of salvaged.brokenIds) brokenIds.add(id);
  }
  const params = new Map<string, PlanParam>();
  doc.params.forEach((param, index) => {
    if (params.has(param.key))
      add("DUPLICATE_PARAM", `Parameter "${param.key}" is declared twice`, {
        path: jsonPath(["params", index, "key"]),
      });
    params.set(param.key, param);
  });

  const defaults = new Map<string, Decimal>();
  for (const param of params.values()) defaults.set(param.key, new Decimal(param.default));

  // Nodes: ids, types, data.
  const drafts = new Map<string, NodeDraft>();
  // The caller's own node data objects (the parse above copies them): the cache knows them by identity.
  const originalNodes = parsedDocument.success ? (document as { nodes: { data: unknown }[] }).nodes : null;
  for (const [index, node] of doc.nodes.entries()) {
    if (drafts.has(node.id)) {
      add("DUPLICATE_NODE_ID", `Node id "${node.id}" is used more than once`, { nodeId: node.id });
      continue;
    }
    const kind = nodeRegistry.get(node.type);
    if (!kind) {
      add("UNKNOWN_NODE_TYPE", `Unknown node type "${node.type}"`, { nodeId: node.id });
      brokenIds.add(node.id);
      continue;
    }
    const checked = checkNodeData(kind, node.data, originalNodes?.[index]?.data, cache);
    const parsed = checked.result;
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, { nodeId: node.id }));
      drafts.set(node.id, {
        id: node.id,
        kind,
        position: node.position,
        data: undefined,
        valid: false,
        layout: kind.ports(undefined),
        hasParams: false,
        facts: null,
      });
      continue;
    }
    let hasParams = false;
    let paramsUsable = true;
    for (const { field, path } of checked.facts?.fields ?? collectFields(parsed.data)) {
      if (field.param === null) continue;
      hasParams = true;
      const param = params.get(field.param);
      if (!param || (field.kind !== "any" && param.type !== field.kind)) paramsUsable = false;
      if (!param) {
        add("PARAM_UNDECLARED", `Parameter "${field.param}" is not declared in the plan's params`, {
          nodeId: node.id,
          path: jsonPath(path),
        });
      } else if (field.kind !== "any" && param.type !== field.kind) {
        add(
          "PARAM_WRONG_TYPE",
          `Parameter "${field.param}" is ${param.type} but this field needs ${field.kind}`,
          { nodeId: node.id, path: jsonPath(path) },
        );
      }
    }
    if (hasParams && paramsUsable) {
      for (const problem of tierOrderProblems(materialize(parsed.data, defaults))) {
        add("TIERS_OUT_OF_ORDER", `${problem.message} (with the parameters' defaults)`, {
          nodeId: node.id,
          path: jsonPath(problem.path),
        });
      }
    }
    drafts.set(node.id, {
      id: node.id,
      kind,
      position: node.position,
      data: parsed.data,
      valid: true,
      layout: checked.facts?.layout ?? kind.ports(parsed.data),
      hasParams,
      facts: checked.facts,
    });
  }

  // Edges: endpoints and ports.
  const seenEdges = new Set<string>();
  const incoming = new Map<
    string,
    { edgeId: string; source: string; sourceHandle: string; targetHandle: string }[]
  >();
  const outgoing = new Map<string, string[]>();
  /** `node.port` inputs fed by an edge from a broken node: connected, though of unknown type. */
  const brokenInputs = new Set<string>();
  for (const edge of doc.edges) {
    if (seenEdges.has(edge.id)) {
      add("DUPLICATE_EDGE_ID", `Edge id "${edge.id}" is used more than once`, { edgeId: edge.id });
      continue;
    }
    seenEdges.add(edge.id);
    if (brokenIds.has(edge.source) || brokenIds.has(edge.target)) {
      brokenInputs.add(`${edge.target}.${edge.targetHandle}`);
      continue;
    }
    const source = drafts.get(edge.source);
    const target = drafts.get(edge.target);
    if (!source || !target) {
      const missing = !source ? edge.source : edge.target;
      add("EDGE_MISSING_NODE", `Edge "${edge.id}" joins node "${missing}", which does not exist`, {
        edgeId: edge.id,
      });
      continue;
    }
    if (!source.layout.outputs.some((p) => p.name === edge.sourceHandle)) {
      add(
        "EDGE_MISSING_PORT",
        `Node "${source.id}" (${source.kind.type}) has no output "${edge.sourceHandle}"`,
        { edgeId: edge.id, nodeId: source.id },
      );
      continue;
    }
    if (!target.layout.inputs.some((p) => p.name === edge.targetHandle)) {
      add(
        "EDGE_MISSING_PORT",
        `Node "${target.id}" (${target.kind.type}) has no input "${edge.targetHandle}"`,
        { edgeId: edge.id, nodeId: target.id },
      );
      continue;
    }
    const list = incoming.get(target.id) ?? [];
    list.push({
      edgeId: edge.id,
      source: source.id,
      sourceHandle: edge.sourceHandle,
      targetHandle: edge.targetHandle,
    });
    incoming.set(target.id, list);
    const next = outgoing.get(source.id);
    if (next) next.push(target.id);
    else outgoing.set(source.id, [target.id]);
  }

  // Inputs: connected exactly as declared.
  for (const draft of drafts.values()) {
    const edges = incoming.get(draft.id) ?? [];
    for (const port of draft.layout.inputs) {
      let count = 0;
      for (const e of edges) if (e.targetHandle === port.name) count++;
      if (count === 0 && !port.optional && !brokenInputs.has(`${draft.id}.${port.name}`)) {
        add("INPUT_UNCONNECTED", `Input "${port.name}" of node "${draft.id}" needs a connection`, {
          nodeId: draft.id,
          path: `$inputs.${port.name}`,
        });
      } else if (count > 1 && !port.many) {
        add(
          "INPUT_MULTIPLE_EDGES",
          `Input "${port.name}" of node "${draft.id}" takes one connection but has ${count}`,
          { nodeId: draft.id, path: `$inputs.${port.name}` },
        );
      }
    }
  }

  // Topological order (Kahn), ready nodes taken by id so the order is deterministic.
  const order = topologicalOrder([...drafts.keys()], incoming, outgoing);
  if (order.cycle.length > 0) {
    add("CYCLE", `The graph has a cycle through ${order.cycle.join(" → ")}`, {
      nodeId: order.cycle[0],
      nodeIds: order.cycle,
    });
  }

  // Types, in topological order. Output types are looked up by node, then port: port names hold no dot, so
  // this is the same as looking up "node.port" in portTypes, without making that text for every edge.
  const outputTypesByNode = new Map<string, Record<string, ValueType>>();
  for (const id of order.sorted) {
    const draft = drafts.get(id)!;
    // A node with invalid data still has its incoming edges checked (against its default ports).
    const layout = draft.layout;
    const inputTypes: InputTypes = {};
    const edgesIn = incoming.get(id) ?? [];
    for (const port of layout.inputs) {
      const types: ValueType[] = [];
      for (const edge of edgesIn) {
        if (edge.targetHandle !== port.name) continue;
        const type = outputTypesByNode.get(edge.source)?.[edge.sourceHandle];
        if (!type) continue;
        if (!port.accepts.includes(type)) {
          add(
            "PORT_TYPE_MISMATCH",
            `Input "${port.name}" of node "${id}" takes ${port.accepts.join(" or ")}, not ${type}`,
            { edgeId: edge.edgeId, nodeId: id },
          );
          continue;
        }
        types.push(type);
      }
      inputTypes[port.name] = port.many ? types : types[0];
    }
    if (!draft.valid) continue;
    const resolved = draft.kind.outputTypes?.(draft.data, inputTypes);
    if (typeof resolved === "string") {
      add("PORT_TYPE_MISMATCH", `Node "${id}": ${resolved}`, { nodeId: id });
      continue;
    }
    const types: Record<string, ValueType> = Object.create(null);
    for (const port of layout.outputs) {
      const type = resolved?.[port.name] ?? port.types[0];
      types[port.name] = type;
      portTypes[`${id}.${port.name}`] = type;
    }
    outputTypesByNode.set(id, types);
  }

  const lineDrafts = [...drafts.values()].filter((d) => d.kind.type === "invoiceLine");
  if (lineDrafts.length === 0)
    add("NO_INVOICE_LINE", "The plan has no invoice line, so it can never bill anything");

  // Nodes that reach no invoice line are warnings: a plan in progress may have loose ends.
  const reaching = new Set<string>();
  const stack = lineDrafts.map((d) => d.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (reaching.has(id)) continue;
    reaching.add(id);
    for (const edge of incoming.get(id) ?? []) stack.push(edge.source);
  }
  for (const id of drafts.keys()) {
    if (!reaching.has(id))
      warnings.push({
        code: "UNREACHABLE_NODE",
        message: `Node "${id}" reaches no invoice line`,
        nodeId: id,
        severity: "warning",
      });
  }

  if (problems.length > 0) return fail();
  return {
    ok: true,
    plan: build(doc, params, drafts, order.sorted, incoming, portTypes),
    problems: [],
    warnings,
    portTypes,
  };
}

/** Document-level problems; a problem inside `nodes[i]` or `edges[i]` also names that node or edge. */
function documentProblems(error: z.ZodError, document: unknown): Problem[] {
  const raw = document as { nodes?: unknown; edges?: unknown } | null;
  return error.issues.map((issue) => {
    const problem: Problem = { code: "INVALID_DOCUMENT", message: issue.message, path: jsonPath(issue.path) };
    const [list, index] = issue.path;
    if ((list === "nodes" || list === "edges") && typeof index === "number") {
      const items = raw?.[list];
      const id = Array.isArray(items) ? (items[index] as { id?: unknown } | null)?.id : undefined;
      if (typeof id === "string") problem[list === "nodes" ? "nodeId" : "edgeId"] = id;
    }
    return problem;
  });
}

/**
 * The usable part of a document that failed its schema: every node and edge that is well formed on its
 * own. Nodes that are not (but carry an id) are remembered so edges to them raise no further problems.
 */
function salvage(document: unknown): { doc: PlanDocument; brokenIds: string[] } | null {
  if (!document || typeof document !== "object") return null;
  const raw = document as Record<string, unknown>;
  if (!Array.isArray(raw.nodes)) return null;
  const brokenIds: string[] = [];
  const nodes: PlanDocument["nodes"] = [];
  for (const node of raw.nodes) {
    const parsed = planNodeSchema.safeParse(node);
    if (parsed.success) nodes.push(parsed.data);
    else if (typeof (node as { id?: unknown } | null)?.id === "string")
      brokenIds.push((node as { id: string }).id);
  }
  const edges = Array.isArray(raw.edges)
    ? raw.edges.flatMap((edge) => {
        const parsed = planEdgeSchema.safeParse(edge);
        return parsed.success ? [parsed.data] : [];
      })
    : [];
  const params = Array.isArray(raw.params)
    ? raw.params.flatMap((param) => {
        const parsed = planParamSchema.safeParse(param);
        return parsed.success ? [parsed.data] : [];
      })
    : [];
  const currency = typeof raw.currency === "string" && isCurrency(raw.currency) ? raw.currency : "USD";
  return { doc: { format: "pricegraph/v1", currency, params, nodes, edges }, brokenIds };
}

function topologicalOrder(
  ids: string[],
  incoming: Map<string, { source: string }[]>,
  outgoing: Map<string, string[]>,
): { sorted: string[]; cycle: string[] } {
  const indegree = new Map(ids.map((id) => [id, (incoming.get(id) ?? []).length]));
  // `ready` stays sorted descending so the smallest id pops off the end; new ids go in by binary search.
  const ready = ids.filter((id) => indegree.get(id) === 0).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  const sorted: string[] = [];
  while (ready.length) {
    const id = ready.pop()!;
    sorted.push(id);
    for (const next of outgoing.get(id) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) {
        let lo = 0;
        let hi = ready.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (ready[mid] > next) lo = mid + 1;
          else hi = mid;
        }
        ready.splice(lo, 0, next);
      }
    }
  }
  if (sorted.length === ids.length) return { sorted, cycle: [] };
  return {
    sorted,
    cycle: findCycle(
      ids.filter((id) => indegree.get(id)! > 0),
      outgoing,
    ),
  };
}

/** One cycle among the nodes Kahn's algorithm could not order, named in walking order (depth-first). */
function findCycle(stuck: string[], outgoing: Map<string, string[]>): string[] {
  const inStuck = new Set(stuck);
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, "open");
    path.push(id);
    for (const next of [...(outgoing.get(id) ?? [])].filter((n) => inStuck.has(n)).sort()) {
      if (state.get(next) === "open") return path.slice(path.indexOf(next));
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(id, "done");
    return null;
  };
  for (const id of [...stuck].sort()) {
    if (state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return [...stuck].sort();
}

function build(
  doc: PlanDocument,
  params: Map<string, PlanParam>,
  drafts: Map<string, NodeDraft>,
  sorted: string[],
  incoming: Map<string, { edgeId: string; source: string; sourceHandle: string; targetHandle: string }[]>,
  portTypes: Record<string, ValueType>,
): CompiledPlan {
  const paramDefaults = new Map([...params.values()].map((p) => [p.key, new Decimal(p.default)]));
  const slotOf = new Map<string, number>();
  const slotNames: string[] = [];
  const steps: CompiledNode[] = [];
  const metrics = new Map<string, { key: string; groupBy?: string[] }>();
  const creditPools = new Set<string>();

  for (const id of sorted) {
    const draft = drafts.get(id)!;
    const { layout, hasParams } = draft;
    const outputs = layout.outputs.map((port) => {
      const name = `${id}.${port.name}`;
      slotOf.set(name, slotNames.length);
      slotNames.push(name);
      return { name: port.name, type: portTypes[name], slot: slotOf.get(name)! };
    });
    const edges = incoming.get(id) ?? [];
    const inputs = layout.inputs.map((port) => ({
      port,
      slots: edges
        .filter((e) => e.targetHandle === port.name)
        .map((e) => slotOf.get(`${e.source}.${e.sourceHandle}`)!),
    }));
    const data = draft.data as Record<string, unknown>;
    if (draft.kind.type === "usage")
      metrics.set(String(data.metric), {
        key: String(data.metric),
        ...(data.groupBy ? { groupBy: data.groupBy as string[] } : {}),
      });
    if (draft.kind.type === "credits") creditPools.add(String(data.grant));
    // Ordered by input port, so a line's explanation starts with what priced its amount.
    const upstream = [
      ...new Set(
        layout.inputs.flatMap((port) =>
          edges.filter((e) => e.targetHandle === port.name).map((e) => e.source),
        ),
      ),
    ];
    const { kind, position } = draft;
    if (draft.facts) {
      // With a compile cache the literals were materialized once for this data object: a plain property.
      const staticData = hasParams ? null : cachedStaticData(draft.facts, draft.data);
      steps.push({ id, type: kind.type, kind, position, data, staticData, inputs, outputs, upstream });
      continue;
    }
    let materialized: unknown;
    steps.push({
      id,
      type: kind.type,
      kind,
      position,
      data,
      // Made on first use: validating a plan (the editor does it on every change) never needs it.
      get staticData() {
        if (hasParams) return null;
        if (materialized === undefined) materialized = materialize(draft.data, paramDefaults);
        return materialized;
      },
      inputs,
      outputs,
      upstream,
    });
  }

  const lines = steps
    .filter((s) => s.type === "invoiceLine")
    .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x || (a.id < b.id ? -1 : 1));

  return {
    document: doc,
    currency: doc.currency,
    minorUnits: minorUnits(doc.currency),
    params: doc.params,
    paramDefaults,
    steps,
    lines,
    nodesById: new Map(steps.map((s) => [s.id, s])),
    slotNames,
    metrics: [...metrics.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    creditPools: [...creditPools].sort(),
    portTypes,
  };
}
