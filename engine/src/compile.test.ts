import { describe, expect, it } from "vitest";
import { compile, createCompileCache } from "./compile.ts";
import { type NodeSpec, planDocument } from "./testing/plan.ts";

// A valid base: usage → perUnit → invoiceLine. Each case breaks it one way.
const base: NodeSpec[] = [
  ["u", "usage", { metric: "minutes" }],
  ["p", "perUnit", { unitPrice: "0.01" }],
  ["line", "invoiceLine", { description: "Minutes" }],
];
const baseEdges = ["u.out -> p.in", "p.out -> line.amount"];
const problemsOf = (document: unknown) => {
  const result = compile(document);
  expect(result.ok).toBe(false);
  return result.problems;
};

describe("compile", () => {
  it("compiles a valid plan with its port types and no warnings", () => {
    const result = compile(planDocument(base, baseEdges));
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.portTypes).toEqual({ "u.out": "quantity", "p.out": "money" });
    if (result.ok) expect(result.plan.steps.map((s) => s.id)).toEqual(["u", "p", "line"]);
  });

  it("rejects a document that is not pricegraph/v1, with paths", () => {
    expect(problemsOf({ ...planDocument(base, baseEdges), format: "other/v9" })).toEqual([
      expect.objectContaining({ code: "INVALID_DOCUMENT", path: "$.format" }),
    ]);
    expect(problemsOf({ ...planDocument(base, baseEdges), extra: 1 })).toEqual([
      expect.objectContaining({ code: "INVALID_DOCUMENT", path: "$" }),
    ]);
    expect(problemsOf("not a plan")).toEqual([expect.objectContaining({ code: "INVALID_DOCUMENT" })]);
  });

  it("rejects an unknown currency and still checks the nodes", () => {
    const document = { ...planDocument([...base, ["x", "teleport", {}]], baseEdges), currency: "XYZ" };
    expect(problemsOf(document)).toEqual([
      expect.objectContaining({ code: "INVALID_DOCUMENT", path: "$.currency" }),
      expect.objectContaining({ code: "UNKNOWN_NODE_TYPE", nodeId: "x" }),
    ]);
  });

  it("names a malformed node by id", () => {
    const document = planDocument(base, baseEdges);
    (document.nodes[1] as { position?: unknown }).position = "left";
    expect(problemsOf(document)).toEqual([
      expect.objectContaining({ code: "INVALID_DOCUMENT", nodeId: "p", path: "$.nodes[1].position" }),
    ]);
  });

  it("reports an unknown node type by node id, without cascading edge problems", () => {
    const problems = problemsOf(planDocument([base[0], ["p", "teleport", {}], base[2]], baseEdges));
    expect(problems).toEqual([expect.objectContaining({ code: "UNKNOWN_NODE_TYPE", nodeId: "p" })]);
  });

  it("reports invalid data with the field path", () => {
    const problems = problemsOf(
      planDocument([base[0], ["p", "perUnit", { unitPrice: "1e5", colour: "red" }], base[2]], baseEdges),
    );
    expect(problems).toEqual([
      expect.objectContaining({ code: "INVALID_NODE_DATA", nodeId: "p", path: "$.unitPrice" }),
      expect.objectContaining({ code: "INVALID_NODE_DATA", nodeId: "p", path: "$" }),
    ]);
    const tierProblem = problemsOf(
      planDocument(
        [base[0], ["p", "tiered", { tiers: [{ upTo: null, unitPrice: "x" }] }], base[2]],
        baseEdges,
      ),
    );
    expect(tierProblem).toEqual([
      expect.objectContaining({ code: "INVALID_NODE_DATA", nodeId: "p", path: "$.tiers[0].unitPrice" }),
    ]);
  });

  it("reports duplicate node and edge ids", () => {
    const document = planDocument([...base, ["p", "perUnit", { unitPrice: "2" }]], baseEdges);
    document.edges!.push({ ...document.edges![0] });
    expect(problemsOf(document)).toEqual([
      expect.objectContaining({ code: "DUPLICATE_NODE_ID", nodeId: "p" }),
      expect.objectContaining({ code: "DUPLICATE_EDGE_ID", edgeId: "e1" }),
    ]);
  });

  it("reports an edge to a missing node or a missing port", () => {
    expect(
      problemsOf(planDocument(base, ["u.out -> p.in", "p.out -> ghost.amount", "p.out -> line.amount"])),
    ).toEqual([expect.objectContaining({ code: "EDGE_MISSING_NODE", edgeId: "e2" })]);
    expect(problemsOf(planDocument(base, ["u.out -> p.units", "p.out -> line.amount"]))).toEqual([
      expect.objectContaining({ code: "EDGE_MISSING_PORT", edgeId: "e1", nodeId: "p" }),
      expect.objectContaining({ code: "INPUT_UNCONNECTED", nodeId: "p" }),
    ]);
    expect(problemsOf(planDocument(base, ["u.total -> p.in", "p.out -> line.amount"]))).toEqual([
      expect.objectContaining({ code: "EDGE_MISSING_PORT", edgeId: "e1", nodeId: "u" }),
      expect.objectContaining({ code: "INPUT_UNCONNECTED", nodeId: "p" }),
    ]);
  });

  it("reports incompatible port types on the edge", () => {
    // usage (quantity) straight into an invoice line's money input.
    expect(problemsOf(planDocument(base, ["u.out -> p.in", "u.out -> line.amount"]))).toEqual([
      expect.objectContaining({ code: "PORT_TYPE_MISMATCH", edgeId: "e2", nodeId: "line" }),
    ]);
    const grouped = planDocument(
      [["u", "usage", { metric: "m", groupBy: ["region"] }], base[1], base[2]],
      baseEdges,
    );
    expect(problemsOf(grouped)).toEqual([
      expect.objectContaining({ code: "PORT_TYPE_MISMATCH", edgeId: "e1", nodeId: "p" }),
    ]);
  });

  it("reports a required input unconnected and an input with two edges", () => {
    expect(problemsOf(planDocument(base, ["p.out -> line.amount"]))).toEqual([
      expect.objectContaining({ code: "INPUT_UNCONNECTED", nodeId: "p", path: "$inputs.in" }),
    ]);
    const twice = planDocument(
      [...base, ["v", "usage", { metric: "other" }]],
      [...baseEdges, "v.out -> p.in"],
    );
    expect(problemsOf(twice)).toEqual([
      expect.objectContaining({ code: "INPUT_MULTIPLE_EDGES", nodeId: "p", path: "$inputs.in" }),
    ]);
  });

  it("reports a cycle naming its nodes", () => {
    const document = planDocument(
      [
        ["c", "constant", { value: "1", valueType: "money" }],
        ["a", "math", { op: "add" }],
        ["b", "math", { op: "add" }],
        ["line", "invoiceLine", { description: "x" }],
      ],
      ["c.out -> a.a", "b.out -> a.b", "a.out -> b.a", "c.out -> b.b", "a.out -> line.amount"],
    );
    const problems = problemsOf(document);
    expect(problems).toEqual([expect.objectContaining({ code: "CYCLE", nodeId: "a", nodeIds: ["a", "b"] })]);
    expect(problems[0].message).toContain("a → b");
  });

  it.each([
    [
      [
        { upTo: "10", unitPrice: "1" },
        { upTo: "5", unitPrice: "1" },
        { upTo: null, unitPrice: "1" },
      ],
      "TIERS_OUT_OF_ORDER",
      "$.tiers[1].upTo",
    ],
    [
      [
        { upTo: "10", unitPrice: "1" },
        { upTo: "10", unitPrice: "1" },
        { upTo: null, unitPrice: "1" },
      ],
      "TIERS_OUT_OF_ORDER",
      "$.tiers[1].upTo",
    ],
    [
      [
        { upTo: "0", unitPrice: "1" },
        { upTo: null, unitPrice: "1" },
      ],
      "TIERS_OUT_OF_ORDER",
      "$.tiers[0].upTo",
    ],
    [
      [
        { upTo: "10", unitPrice: "1" },
        { upTo: "20", unitPrice: "1" },
      ],
      "TIERS_NOT_UNBOUNDED",
      "$.tiers[1].upTo",
    ],
    [
      [
        { upTo: null, unitPrice: "1" },
        { upTo: null, unitPrice: "1" },
      ],
      "TIERS_NOT_UNBOUNDED",
      "$.tiers[0].upTo",
    ],
  ])("reports a bad tier table %j as %s at %s", (tiers, code, path) => {
    const problems = problemsOf(planDocument([base[0], ["p", "tiered", { tiers }], base[2]], baseEdges));
    expect(problems).toEqual([expect.objectContaining({ code, nodeId: "p", path })]);
  });

  it("checks tier tables of every node kind that has them", () => {
    const steps = [
      { upTo: "5", price: "1" },
      { upTo: "2", price: "1" },
      { upTo: null, price: "2" },
    ];
    expect(problemsOf(planDocument([base[0], ["p", "step", { steps }], base[2]], baseEdges))).toEqual([
      expect.objectContaining({ code: "TIERS_OUT_OF_ORDER", nodeId: "p", path: "$.steps[1].upTo" }),
    ]);
    const matrix = {
      dimensions: ["q"],
      rows: [{ match: { q: "hd" }, tiers: [{ upTo: "5", unitPrice: "1" }] }],
    };
    const grouped = planDocument(
      [["u", "usage", { metric: "m", groupBy: ["q"] }], ["p", "matrix", matrix], base[2]],
      baseEdges,
    );
    expect(problemsOf(grouped)).toEqual([
      expect.objectContaining({ code: "TIERS_NOT_UNBOUNDED", nodeId: "p", path: "$.rows[0].tiers[0].upTo" }),
    ]);
  });

  it("checks tier bounds given by parameters with the parameters' defaults", () => {
    const tiers = [
      { upTo: "100", unitPrice: "1" },
      { upTo: { param: "second" }, unitPrice: "0.5" },
      { upTo: null, unitPrice: "0.1" },
    ];
    const document = (value: string) =>
      planDocument([base[0], ["p", "tiered", { tiers }], base[2]], baseEdges, {
        params: [{ key: "second", type: "quantity", default: value }],
      });
    expect(problemsOf(document("50"))).toEqual([
      expect.objectContaining({ code: "TIERS_OUT_OF_ORDER", nodeId: "p", path: "$.tiers[1].upTo" }),
    ]);
    expect(compile(document("500")).ok).toBe(true);
  });

  it("reports a parameter reference undeclared or of the wrong type", () => {
    const undeclared = planDocument(
      [base[0], ["p", "perUnit", { unitPrice: { param: "rate" } }], base[2]],
      baseEdges,
    );
    expect(problemsOf(undeclared)).toEqual([
      expect.objectContaining({ code: "PARAM_UNDECLARED", nodeId: "p", path: "$.unitPrice" }),
    ]);
    const wrongType = planDocument(
      [base[0], ["p", "perUnit", { unitPrice: { param: "rate" } }], base[2]],
      baseEdges,
      {
        params: [{ key: "rate", type: "quantity", default: "1" }],
      },
    );
    expect(problemsOf(wrongType)).toEqual([
      expect.objectContaining({ code: "PARAM_WRONG_TYPE", nodeId: "p", path: "$.unitPrice" }),
    ]);
    const duplicate = planDocument(base, baseEdges, {
      params: [
        { key: "rate", type: "money", default: "1" },
        { key: "rate", type: "money", default: "2" },
      ],
    });
    expect(problemsOf(duplicate)).toEqual([
      expect.objectContaining({ code: "DUPLICATE_PARAM", path: "$.params[1].key" }),
    ]);
  });

  it("reports a plan without an invoice line", () => {
    expect(problemsOf(planDocument(base.slice(0, 2), ["u.out -> p.in"]))).toEqual([
      expect.objectContaining({ code: "NO_INVOICE_LINE" }),
    ]);
  });

  it("warns, but compiles, when a node reaches no invoice line", () => {
    const result = compile(
      planDocument([...base, ["loose", "perUnit", { unitPrice: "1" }]], [...baseEdges, "u.out -> loose.in"]),
    );
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: "UNREACHABLE_NODE", nodeId: "loose", severity: "warning" }),
    ]);
  });

  it("returns every problem at once", () => {
    const document = planDocument(
      [
        ["u", "usage", { metric: "m" }],
        ["u", "usage", { metric: "m2" }],
        ["x", "teleport", {}],
        ["p", "perUnit", { unitPrice: { param: "missing" } }],
        ["t", "tiered", { tiers: [{ upTo: "10", unitPrice: "1" }] }],
        ["s", "sum", {}],
        ["d", "discount", {}],
      ],
      ["u.out -> ghost.in", "u.out -> t.in", "u.out -> s.in", "s.out -> d.in"],
    );
    const codes = problemsOf(document).map((p) => [p.code, p.nodeId ?? p.edgeId ?? null]);
    expect(codes).toEqual([
      ["DUPLICATE_NODE_ID", "u"],
      ["UNKNOWN_NODE_TYPE", "x"],
      ["PARAM_UNDECLARED", "p"],
      ["TIERS_NOT_UNBOUNDED", "t"],
      ["INVALID_NODE_DATA", "d"],
      ["EDGE_MISSING_NODE", "e1"],
      ["INPUT_UNCONNECTED", "p"],
      ["PORT_TYPE_MISMATCH", "d"],
      ["NO_INVOICE_LINE", null],
    ]);
  });

  it("orders steps topologically with ties by node id, and lines by position", () => {
    const document = planDocument(
      [
        ["z", "constant", { value: "1", valueType: "money" }, [0, 0]],
        ["a", "constant", { value: "2", valueType: "money" }, [0, 140]],
        ["l2", "invoiceLine", { description: "second" }, [260, 140]],
        ["l1", "invoiceLine", { description: "first" }, [260, 0]],
        ["l0", "invoiceLine", { description: "same row, left" }, [0, 0]],
      ],
      ["z.out -> l1.amount", "a.out -> l2.amount", "a.out -> l0.amount"],
    );
    const result = compile(document);
    if (!result.ok) throw new Error("expected a plan");
    expect(result.plan.steps.map((s) => s.id)).toEqual(["a", "l0", "l2", "z", "l1"]);
    expect(result.plan.lines.map((s) => s.id)).toEqual(["l0", "l1", "l2"]);
  });
});

describe("compile with a cache of checked node data", () => {
  it("answers as without it, and re-checks a node whose data object was replaced", () => {
    const cache = createCompileCache();
    const document = planDocument(base, baseEdges);
    expect(compile(document, { cache })).toEqual(compile(document));
    // Compiled again from the cache: the same plan.
    expect(compile(document, { cache })).toEqual(compile(document));

    // An edit replaces the node's data object: the broken price is found, not hidden by the cache.
    const broken = {
      ...document,
      nodes: document.nodes.map((n) => (n.id === "p" ? { ...n, data: { unitPrice: "1e3" } } : n)),
    };
    const result = compile(broken, { cache });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(compile(broken).problems);
    expect(result.problems).toEqual([expect.objectContaining({ nodeId: "p", path: "$.unitPrice" })]);

    // The same data object under another node type is checked against that type's schema.
    const retyped = {
      ...document,
      nodes: document.nodes.map((n) => (n.id === "u" ? { ...n, type: "perUnit" } : n)),
    };
    expect(compile(retyped, { cache }).problems).toEqual(compile(retyped).problems);
  });
});
