import type { PlanDocumentInput } from "@pricegraph/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CompileResult, compile, createCompileCache } from "./compile.ts";
import { evaluate } from "./evaluate.ts";
import { nodeRegistry } from "./registry.ts";
import { buildPlan, DECIMALS, inputArb, planArb } from "./testing/random-plans.ts";

// The editor compiles with a cache on every edit; the server compiles without one. These properties drive
// random plans through random editor-like edits (objects replaced, never changed in place) and require the
// cached compile to answer exactly what a fresh compile of the same document answers.

type Doc = PlanDocumentInput & { nodes: PlanNode[]; edges: PlanEdge[] };
type PlanNode = PlanDocumentInput["nodes"][number];
type PlanEdge = NonNullable<PlanDocumentInput["edges"]>[number];

const TYPES = [...nodeRegistry.keys()];

interface Edit {
  kind: number;
  a: number;
  b: number;
  c: number;
}
const editArb: fc.Arbitrary<Edit> = fc.record({
  // Most edits keep the plan compiling (prices typed, nodes moved, undo), so plans get evaluated too.
  kind: fc.oneof(
    { weight: 3, arbitrary: fc.nat({ max: 17 }) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 6, 15, 16, 17) },
  ),
  a: fc.nat({ max: 1000 }),
  b: fc.nat({ max: 1000 }),
  c: fc.nat({ max: 1000 }),
});

/** A copy of node data with one decimal text (at any depth) replaced: a new object along the changed path. */
function repriced(value: unknown, pick: number, text: unknown): { value: unknown; left: number } {
  if (typeof value === "string" && DECIMALS.includes(value))
    return pick === 0 ? { value: text, left: -1 } : { value, left: pick - 1 };
  if (Array.isArray(value)) {
    let left = pick;
    const out = [...value];
    for (let i = 0; i < out.length && left >= 0; i++) {
      const r = repriced(out[i], left, text);
      out[i] = r.value;
      left = r.left;
      if (left < 0) return { value: out, left };
    }
    return { value, left };
  }
  if (value && typeof value === "object") {
    let left = pick;
    const out: Record<string, unknown> = { ...value };
    for (const key of Object.keys(out)) {
      const r = repriced(out[key], left, text);
      out[key] = r.value;
      left = r.left;
      if (left < 0) return { value: out, left };
    }
    return { value, left };
  }
  return { value, left: pick };
}

/** One edit as the editor makes it: new arrays, new objects for what changed, the rest kept by identity. */
function applyEdit(doc: Doc, { kind, a, b, c }: Edit): Doc {
  const nodes = doc.nodes;
  const edges = doc.edges;
  const at = <T>(list: T[], n: number) => list[n % list.length];
  const replaceNode = (index: number, node: PlanNode) => ({
    ...doc,
    nodes: nodes.map((n, i) => (i === index ? node : n)),
  });
  if (nodes.length === 0 && kind < 12) kind = 12;
  const i = a % Math.max(nodes.length, 1);
  const node = nodes[i];
  switch (kind) {
    case 0:
    case 1: {
      // A price typed in the inspector, or a price made a parameter.
      const text = kind === 1 && c % 4 === 0 ? { param: c % 8 ? "rate" : "undeclared" } : at(DECIMALS, c);
      const data = repriced(node.data, b % 8, text).value as Record<string, unknown>;
      return replaceNode(i, { ...node, data: data === node.data ? { ...data } : data });
    }
    case 2:
      // Invalid data: a decimal in exponent notation, or a key the type does not know.
      return replaceNode(i, {
        ...node,
        data:
          c % 2
            ? (repriced(node.data, b % 8, "1e3").value as Record<string, unknown>)
            : { ...node.data, x: 1 },
      });
    case 3:
      // Another node's data object, as is: the same object checked against another type's schema.
      return replaceNode(i, { ...node, data: at(nodes, b).data });
    case 4:
      // The same data object under another type.
      return replaceNode(i, { ...node, type: at(TYPES, b) });
    case 5:
      return replaceNode(i, { ...node, id: at(nodes, b).id });
    case 6:
      return replaceNode(i, { ...node, position: { x: b, y: c } });
    case 7:
      return { ...doc, nodes: nodes.filter((_, k) => k !== i) };
    case 8: {
      // A node removed with its edges, as the editor deletes it.
      const gone = node.id;
      return {
        ...doc,
        nodes: nodes.filter((_, k) => k !== i),
        edges: edges.filter((e) => e.source !== gone && e.target !== gone),
      };
    }
    case 9:
      if (edges.length === 0) return doc;
      return { ...doc, edges: edges.filter((_, k) => k !== b % edges.length) };
    case 10: {
      // A cycle: an edge back from a node to the first input of the node feeding it.
      const back = c % 3 === 0 ? edges.find((e) => e.target === node.id) : undefined;
      const feeder = back && nodes.find((n) => n.id === back.source);
      const feederInput = feeder && nodeRegistry.get(feeder.type)?.ports(undefined).inputs[0];
      if (back && feederInput) {
        const edge = { ...back, id: `x${c}`, source: back.target, sourceHandle: "out" };
        return {
          ...doc,
          edges: [...edges, { ...edge, target: back.source, targetHandle: feederInput.name }],
        };
      }
      // Often into an earlier node: the generated plans are built in order, so that may close a cycle.
      const target = c % 2 ? nodes[b % (i + 1)] : at(nodes, b);
      const ports = ["in", "amount", "quantity", "a", "b", "test", "then", "else", "count", "by"];
      const outs = ["out", "billable", "free", "discount", "trueUp", "applied"];
      const edge = {
        id: c % 5 === 0 && edges.length ? at(edges, c).id : `x${c}`,
        source: node.id,
        sourceHandle: at(outs, c),
        target: target.id,
        targetHandle: at(ports, b + c),
      };
      return { ...doc, edges: [...edges, edge] };
    }
    case 11:
      // A malformed node or edge: the document fails its schema.
      if (c % 2 || edges.length === 0)
        return replaceNode(i, { ...node, position: { x: "left", y: 0 } as unknown as PlanNode["position"] });
      return { ...doc, edges: edges.map((e, k) => (k === b % edges.length ? { ...e, target: "" } : e)) };
    case 12:
      return {
        ...doc,
        nodes: [
          ...nodes,
          {
            id: `new${b}`,
            type: b % 2 ? "constant" : "invoiceLine",
            position: { x: c, y: b },
            data: b % 2 ? { value: at(DECIMALS, c), valueType: "money" } : { description: "New line" },
          },
        ],
      };
    case 13: {
      // Parameters: a default changed, a key declared twice, a type changed.
      const params = doc.params ?? [];
      const rate = { key: "rate", type: "money" as const, default: at(DECIMALS, c) };
      const variants = [[rate], [rate, rate], [{ ...rate, type: "quantity" as const }], []];
      return { ...doc, params: params.length && b % 5 === 4 ? params : at(variants, b) };
    }
    case 14:
      // The envelope: a currency that does not exist, an unknown key, a JPY plan.
      return b % 3 === 0
        ? { ...doc, currency: "XXY" }
        : b % 3 === 1
          ? ({ ...doc, extra: true } as Doc)
          : { ...doc, currency: "JPY" };
    case 15:
      // Every node and edge a new object with the same content: nothing comes from the cache by identity.
      return { ...doc, nodes: nodes.map((n) => ({ ...n })), edges: edges.map((e) => ({ ...e })) };
    default:
      // Nothing changed (16): the same document compiled again, wholly from the cache. An undo (17) is
      // made by the caller, which keeps the history.
      return doc;
  }
}

/** Compiled with the cache and without: the same answer, to the byte where it is JSON. */
function expectSameCompile(withCache: CompileResult, fresh: CompileResult) {
  expect(withCache).toStrictEqual(fresh);
  expect(JSON.stringify(withCache.problems)).toBe(JSON.stringify(fresh.problems));
  expect(JSON.stringify(withCache.warnings)).toBe(JSON.stringify(fresh.warnings));
  expect(JSON.stringify(withCache.portTypes)).toBe(JSON.stringify(fresh.portTypes));
  if (withCache.ok && fresh.ok)
    expect(JSON.stringify(withCache.plan.document)).toBe(JSON.stringify(fresh.plan.document));
}

describe("compile with a cache answers as compile without one", () => {
  it("after every edit of a random sequence, with the compiled plans evaluating alike", () => {
    fc.assert(
      fc.property(
        planArb,
        fc.array(editArb, { minLength: 1, maxLength: 14 }),
        fc.array(inputArb, { minLength: 2, maxLength: 2 }),
        ([recipes, lineCount, linePicks], edits, inputs) => {
          const cache = createCompileCache();
          const history: Doc[] = [buildPlan(recipes, lineCount, linePicks) as Doc];
          expectSameCompile(compile(history[0], { cache }), compile(history[0]));
          for (const edit of edits) {
            const current = history[history.length - 1];
            // An undo: the document of two edits ago comes back, with its objects.
            const doc =
              edit.kind === 17 ? (history[history.length - 3] ?? current) : applyEdit(current, edit);
            history.push(doc);
            const withCache = compile(doc, { cache });
            const fresh = compile(doc);
            expectSameCompile(withCache, fresh);
            if (withCache.ok && fresh.ok) {
              for (const input of inputs) {
                expect(evaluate(withCache.plan, input)).toStrictEqual(evaluate(fresh.plan, input));
                expect(evaluate(withCache.plan, input, { explain: false, values: false })).toStrictEqual(
                  evaluate(fresh.plan, input, { explain: false, values: false }),
                );
              }
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it("reuses checked nodes, edges and data by object, and re-checks what an edit replaced", () => {
    const cache = createCompileCache();
    const doc = buildPlan(
      [
        {
          kind: 0,
          picks: [0, 0, 0, 0],
          values: ["1", "1", "1", "1", "1", "1"],
          flags: [false, false, false, false],
        },
        {
          kind: 7,
          picks: [0, 0, 0, 0],
          values: ["10", "100", "7", "1", "2.5", "0.5"],
          flags: [true, false, false, false],
        },
      ],
      1,
      [0, 0, 0, 0],
    ) as Doc;
    const first = compile(doc, { cache });
    expect(first.ok).toBe(true);
    for (const node of doc.nodes) expect(cache.nodes.has(node)).toBe(true);
    for (const edge of doc.edges) expect(cache.edges.has(edge)).toBe(true);
    // The tiered node's data made invalid: the problem is found, and its path is the field's.
    const tiered = doc.nodes.findIndex((n) => n.type === "tiered");
    const broken = applyEdit(doc, { kind: 2, a: tiered, b: 0, c: 1 });
    const result = compile(broken, { cache });
    expect(result.problems).toEqual([
      expect.objectContaining({ code: "INVALID_NODE_DATA", nodeId: "n01", path: "$.tiers[0].upTo" }),
    ]);
    expect(result).toStrictEqual(compile(broken));
  });
});
