import type { PlanDocumentInput, PlanParam, Problem } from "@pricegraph/shared";
import { compile } from "../compile.ts";
import { type EvaluationOutput, type ExplanationEntry, evaluate, type WireValue } from "../evaluate.ts";

// Small builders so engine tests read as tables: a plan is a list of nodes and "a.out -> b.in" edges.

export type NodeSpec = [id: string, type: string, data: Record<string, unknown>, position?: [number, number]];

export interface PlanExtras {
  currency?: string;
  params?: PlanParam[];
}

/** A document from compact node tuples and `"source.port -> target.port"` edges. */
export function planDocument(nodes: NodeSpec[], edges: string[], extras: PlanExtras = {}): PlanDocumentInput {
  return {
    format: "pricegraph/v1",
    currency: extras.currency ?? "USD",
    params: extras.params ?? [],
    nodes: nodes.map(([id, type, data, position], index) => ({
      id,
      type,
      position: { x: position?.[0] ?? index * 260, y: position?.[1] ?? 0 },
      data,
    })),
    edges: edges.map((text, index) => {
      const match = /^\s*([^.\s]+)\.(\S+)\s*->\s*([^.\s]+)\.(\S+)\s*$/.exec(text);
      if (!match) throw new Error(`bad edge text ${text}`);
      const [, source, sourceHandle, target, targetHandle] = match;
      return { id: `e${index + 1}`, source, sourceHandle, target, targetHandle };
    }),
  };
}

/** What feeds an input port of the node under test: a usage metric, money (usage × 1), or grouped usage. */
export type Feed = "quantity" | "money" | { groupBy: string[] };

export interface NodeUnderTest extends PlanExtras {
  type: string;
  data: Record<string, unknown>;
  /** Input ports and what feeds them (default `{ in: "quantity" }`); an array feeds a *many* port. */
  inputs?: Record<string, Feed | Feed[]>;
  /** The output port billed on the invoice line (default `out`). */
  bill?: string;
  /** Set when the billed port carries a quantity: it is turned into money by a per-unit price of 1. */
  billsQuantity?: boolean;
}

/**
 * A plan usage → node "n" → invoiceLine "line". Input port `p` is fed by metric `p` (`p1`, `p2`… for a
 * many port); money feeds go through a per-unit price of 1 so the money equals the metric.
 */
export function singleNodePlan(spec: NodeUnderTest): PlanDocumentInput {
  const nodes: NodeSpec[] = [];
  const edges: string[] = [];
  const feed = (metric: string, kind: Feed, port: string) => {
    const usageId = `u_${metric}`;
    nodes.push([usageId, "usage", typeof kind === "object" ? { metric, groupBy: kind.groupBy } : { metric }]);
    if (kind === "money") {
      nodes.push([`m_${metric}`, "perUnit", { unitPrice: "1" }]);
      edges.push(`${usageId}.out -> m_${metric}.in`, `m_${metric}.out -> n.${port}`);
    } else edges.push(`${usageId}.out -> n.${port}`);
  };
  for (const [port, kind] of Object.entries(spec.inputs ?? { in: "quantity" })) {
    if (Array.isArray(kind)) for (const [i, k] of kind.entries()) feed(`${port}${i + 1}`, k, port);
    else feed(port, kind, port);
  }
  nodes.push(["n", spec.type, spec.data], ["line", "invoiceLine", { description: "Charge" }]);
  if (spec.billsQuantity) {
    nodes.push(["asMoney", "perUnit", { unitPrice: "1" }]);
    edges.push(`n.${spec.bill ?? "out"} -> asMoney.in`, "asMoney.out -> line.amount");
  } else edges.push(`n.${spec.bill ?? "out"} -> line.amount`);
  return planDocument(nodes, edges, spec);
}

export type UsageValue = string | { group: Record<string, string>; value: string }[];

export interface EvaluationExtras {
  params?: Record<string, string>;
  credits?: Record<string, string>;
  proration?: string;
}

export interface NodeRun {
  ok: boolean;
  /** Every output port of node "n", exact. */
  out: Record<string, WireValue>;
  /** The explanation entry of node "n" on the invoice line. */
  explanation: ExplanationEntry | undefined;
  output: EvaluationOutput | undefined;
  problems: Problem[];
}

/** Compiles (throwing on problems, so a test never silently checks a broken plan) and evaluates. */
export function runDocument(document: unknown, input: unknown) {
  return evaluate(compileOrThrow(document), input);
}

export function compileOrThrow(document: unknown) {
  const compiled = compile(document);
  if (!compiled.ok) throw new Error(`plan does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.plan;
}

export function runNode(
  spec: NodeUnderTest,
  usage: Record<string, UsageValue>,
  extras: EvaluationExtras = {},
): NodeRun {
  // A node whose billed port carries a quantity is billed through a per-unit price of 1.
  const probe = compile(singleNodePlan(spec));
  const billsQuantity = probe.portTypes[`n.${spec.bill ?? "out"}`] === "quantity";
  const result = runDocument(singleNodePlan({ ...spec, billsQuantity }), { usage, ...extras });
  if (!result.ok)
    return { ok: false, out: {}, explanation: undefined, output: undefined, problems: result.problems };
  const out: Record<string, WireValue> = {};
  for (const [key, value] of Object.entries(result.output.values)) {
    if (key.startsWith("n.")) out[key.slice(2)] = value;
  }
  const explanation = result.output.lines[0]?.explanation.find((e) => e.nodeId === "n");
  return { ok: true, out, explanation, output: result.output, problems: [] };
}

/** The node's `out` port for a single quantity fed into `in`. */
export function priceOf(type: string, data: Record<string, unknown>, q: string, extras: PlanExtras = {}) {
  const run = runNode({ type, data, ...extras }, { in: q });
  if (!run.ok) throw new Error(`evaluation failed: ${JSON.stringify(run.problems)}`);
  return run.out.out;
}
