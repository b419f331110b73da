import { evaluationInputSchema } from "@pricegraph/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "./compile.ts";
import { evaluate } from "./evaluate.ts";
import { evaluateDocument } from "./evaluate-document.ts";
import { compileOrThrow, type NodeSpec, planDocument, runDocument } from "./testing/plan.ts";

/** One line per amount, each a money constant: isolates rounding from pricing. */
function linesPlan(currency: string, amounts: string[], extra: Record<string, unknown> = {}) {
  const nodes: NodeSpec[] = [];
  const edges: string[] = [];
  amounts.forEach((amount, i) => {
    nodes.push([`c${i}`, "constant", { value: amount, valueType: "money" }, [0, i * 140]]);
    nodes.push([`l${i}`, "invoiceLine", { description: `line ${i}`, ...extra }, [260, i * 140]]);
    edges.push(`c${i}.out -> l${i}.amount`);
  });
  return planDocument(nodes, edges, { currency });
}
const invoice = (currency: string, amounts: string[], extra: Record<string, unknown> = {}) => {
  const result = runDocument(linesPlan(currency, amounts, extra), {});
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.output;
};

describe("evaluate: rounding to minor units", () => {
  it.each([
    ["USD", "0.005", "0.01", "0.0050"],
    ["USD", "0.00499", "0.00", "0.00499"],
    ["USD", "-0.005", "-0.01", "-0.0050"],
    ["USD", "44", "44.00", "44.0000"],
    ["USD", "12345678901234567890123.456", "12345678901234567890123.46", "12345678901234567890123.4560"],
    ["JPY", "1023.5", "1024", "1023.50"],
    ["JPY", "1023.49", "1023", "1023.49"],
    ["KWD", "1.0005", "1.001", "1.00050"],
    ["KWD", "2", "2.000", "2.00000"],
  ])("%s %s → amount %s, unrounded %s", (currency, value, amount, unrounded) => {
    const output = invoice(currency, [value]);
    expect(output.currency).toBe(currency);
    expect(output.lines[0]).toMatchObject({ amount, unrounded });
    expect(output.total).toBe(amount);
  });

  it("totals the rounded lines, so the invoice adds up", () => {
    expect(invoice("USD", ["0.005", "0.005", "0.005"]).total).toBe("0.03"); // unrounded sum 0.015 → 0.02
    expect(invoice("JPY", ["0.5", "0.5"]).total).toBe("2");
    expect(invoice("KWD", ["0.0004", "0.0004"]).total).toBe("0.000");
  });

  it("leaves out a hideWhenZero line whose rounded amount is zero, and keeps others", () => {
    const output = invoice("USD", ["0", "0.004", "0.005"], { hideWhenZero: true });
    expect(output.lines.map((l) => l.nodeId)).toEqual(["l2"]);
    expect(invoice("USD", ["0"]).lines).toHaveLength(1);
  });
});

describe("evaluate: invoice lines", () => {
  it("orders lines by position, top to bottom then left to right", () => {
    const document = planDocument(
      [
        ["c", "constant", { value: "1", valueType: "money" }],
        ["bottom", "invoiceLine", { description: "bottom" }, [0, 300]],
        ["topRight", "invoiceLine", { description: "top right" }, [500, 0]],
        ["topLeft", "invoiceLine", { description: "top left" }, [100, 0]],
      ],
      ["c.out -> bottom.amount", "c.out -> topRight.amount", "c.out -> topLeft.amount"],
    );
    const result = runDocument(document, {});
    expect(result.ok && result.output.lines.map((l) => l.description)).toEqual([
      "top left",
      "top right",
      "bottom",
    ]);
  });

  it("carries description, product, timing and quantity", () => {
    const document = planDocument(
      [
        ["u", "usage", { metric: "seats" }],
        ["f", "flatFee", { amount: "10" }],
        ["line", "invoiceLine", { description: "Seats", product: "seats", timing: "advance" }],
      ],
      ["u.out -> f.quantity", "f.out -> line.amount", "u.out -> line.quantity"],
    );
    const result = runDocument(document, { usage: { seats: "3" } });
    expect(result.ok && result.output.lines[0]).toEqual({
      nodeId: "line",
      description: "Seats",
      product: "seats",
      timing: "advance",
      quantity: "3",
      amount: "30.00",
      unrounded: "30.0000",
      explanation: [
        {
          nodeId: "f",
          type: "flatFee",
          text: "10 × 3 = 30",
          inputs: { quantity: "3" },
          outputs: { out: "30" },
          items: [],
        },
        {
          nodeId: "u",
          type: "usage",
          text: "seats = 3",
          inputs: {},
          outputs: { out: "3" },
          items: [],
        },
      ],
    });
  });

  it("defaults product to null, timing to arrears and quantity to null", () => {
    const output = invoice("USD", ["5"]);
    expect(output.lines[0]).toMatchObject({ product: null, timing: "arrears", quantity: null });
  });
});

describe("evaluate: credits, proration, warnings, failures", () => {
  const creditPlan = (order: NodeSpec[]) =>
    planDocument(
      [
        ["charge", "constant", { value: "80", valueType: "money" }],
        ...order,
        ["l1", "invoiceLine", { description: "one" }, [0, 0]],
        ["l2", "invoiceLine", { description: "two" }, [0, 140]],
      ],
      ["charge.out -> c1.in", "charge.out -> c2.in", "c1.out -> l1.amount", "c2.out -> l2.amount"],
    );

  it("draws credit pools in topological order, ties by node id", () => {
    // c2 comes first in the document, but c1 sorts first among equals.
    const document = creditPlan([
      ["c2", "credits", { grant: "startup" }],
      ["c1", "credits", { grant: "startup" }],
    ]);
    const result = runDocument(document, { credits: { startup: "100" } });
    if (!result.ok) throw new Error("failed");
    expect(result.output.values["c1.applied"]).toBe("-80");
    expect(result.output.values["c2.applied"]).toBe("-20");
    expect(result.output.lines.map((l) => l.amount)).toEqual(["0.00", "60.00"]);
    expect(result.output.credits).toEqual({ startup: { opening: "100", used: "100", closing: "0" } });
  });

  it("draws after upstream credits even when its id sorts first", () => {
    const document = planDocument(
      [
        ["charge", "constant", { value: "80", valueType: "money" }],
        ["more", "constant", { value: "50", valueType: "money" }],
        ["z", "credits", { grant: "p" }],
        ["s", "sum", {}],
        ["a", "credits", { grant: "p" }],
        ["line", "invoiceLine", { description: "x" }],
      ],
      ["charge.out -> z.in", "z.out -> s.in", "more.out -> s.in", "s.out -> a.in", "a.out -> line.amount"],
    );
    const result = runDocument(document, { credits: { p: "100" } });
    if (!result.ok) throw new Error("failed");
    expect(result.output.values["z.applied"]).toBe("-80");
    expect(result.output.values["a.applied"]).toBe("-20");
    expect(result.output.total).toBe("30.00");
  });

  it("applies proration to prorated fees and minimums only", () => {
    const document = planDocument(
      [
        ["fee", "flatFee", { amount: "300", prorate: true }],
        ["fixed", "flatFee", { amount: "10" }],
        ["u", "usage", { metric: "m" }],
        ["p", "perUnit", { unitPrice: "1" }],
        ["min", "minimum", { amount: "100", prorate: true }],
        ["l1", "invoiceLine", { description: "fee" }, [0, 0]],
        ["l2", "invoiceLine", { description: "fixed" }, [0, 140]],
        ["l3", "invoiceLine", { description: "usage" }, [0, 280]],
      ],
      [
        "fee.out -> l1.amount",
        "fixed.out -> l2.amount",
        "u.out -> p.in",
        "p.out -> min.in",
        "min.out -> l3.amount",
      ],
    );
    const result = runDocument(document, { usage: { m: "20" }, proration: "0.25" });
    expect(result.ok && result.output.lines.map((l) => l.amount)).toEqual(["75.00", "10.00", "25.00"]);
    const full = runDocument(document, { usage: { m: "20" } });
    expect(full.ok && full.output.lines.map((l) => l.amount)).toEqual(["300.00", "10.00", "100.00"]);
  });

  it("warns about missing usage and still bills", () => {
    const document = planDocument(
      [
        ["u", "usage", { metric: "minutes" }],
        ["p", "perUnit", { unitPrice: "2" }],
        ["line", "invoiceLine", { description: "x" }],
      ],
      ["u.out -> p.in", "p.out -> line.amount"],
    );
    const result = runDocument(document, {});
    expect(result.ok && result.output.total).toBe("0.00");
    expect(result.ok && result.output.warnings).toEqual([
      {
        code: "MISSING_USAGE",
        message: 'No usage given for metric "minutes"; using 0',
        nodeId: "u",
        severity: "warning",
      },
    ]);
  });

  it("fails on division by zero with code and node id, never a silent 0", () => {
    const document = planDocument(
      [
        ["a", "constant", { value: "10", valueType: "money" }],
        ["u", "usage", { metric: "seats" }],
        ["d", "math", { op: "divide" }],
        ["line", "invoiceLine", { description: "x" }],
      ],
      ["a.out -> d.a", "u.out -> d.b", "d.out -> line.amount"],
    );
    expect(runDocument(document, { usage: { seats: "0" } })).toEqual({
      ok: false,
      problems: [{ code: "DIVISION_BY_ZERO", message: "Division by zero (10 ÷ 0)", nodeId: "d" }],
    });
    expect(runDocument(document, { usage: { seats: "4" } })).toMatchObject({
      ok: true,
      output: { total: "2.50" },
    });
  });

  it("fails when a matrix group has no price", () => {
    const document = planDocument(
      [
        ["u", "usage", { metric: "m", groupBy: ["region"] }],
        [
          "x",
          "matrix",
          {
            dimensions: ["region"],
            rows: [{ match: { region: "eu" }, tiers: [{ upTo: null, unitPrice: "1" }] }],
          },
        ],
        ["line", "invoiceLine", { description: "x" }],
      ],
      ["u.out -> x.in", "x.out -> line.amount"],
    );
    const result = runDocument(document, { usage: { m: [{ group: { region: "apac" }, value: "1" }] } });
    expect(result).toEqual({
      ok: false,
      problems: [expect.objectContaining({ code: "MATRIX_NO_PRICE", nodeId: "x" })],
    });
  });

  it("refuses overrides that put parameterised tier bounds out of order", () => {
    const document = planDocument(
      [
        ["u", "usage", { metric: "m" }],
        [
          "t",
          "tiered",
          {
            tiers: [
              { upTo: { param: "included" }, unitPrice: "0" },
              { upTo: "1000", unitPrice: "1" },
              { upTo: null, unitPrice: "0.5" },
            ],
          },
        ],
        ["line", "invoiceLine", { description: "x" }],
      ],
      ["u.out -> t.in", "t.out -> line.amount"],
      { params: [{ key: "included", type: "quantity", default: "100" }] },
    );
    const plan = compileOrThrow(document);
    expect(evaluate(plan, { usage: { m: "200" }, params: { included: "150" } })).toMatchObject({
      ok: true,
      output: { total: "50.00" },
    });
    expect(evaluate(plan, { usage: { m: "200" }, params: { included: "2000" } })).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({ code: "TIERS_OUT_OF_ORDER", nodeId: "t", path: "$.tiers[1].upTo" }),
      ],
    });
  });

  it("refuses an override of an undeclared parameter and invalid input", () => {
    const plan = compileOrThrow(linesPlan("USD", ["1"]));
    expect(evaluate(plan, { params: { nope: "1" } })).toEqual({
      ok: false,
      problems: [expect.objectContaining({ code: "UNKNOWN_PARAM", path: "$.params.nope" })],
    });
    expect(evaluate(plan, { usage: { m: "1e3" } })).toEqual({
      ok: false,
      problems: [expect.objectContaining({ code: "INVALID_INPUT", path: "$.usage.m" })],
    });
    expect(evaluate(plan, { usage: {}, surprise: true })).toMatchObject({
      ok: false,
      problems: [{ code: "INVALID_INPUT" }],
    });
  });
});

describe("evaluate: output", () => {
  const document = planDocument(
    [
      ["u", "usage", { metric: "minutes" }],
      [
        "t",
        "tiered",
        {
          tiers: [
            { upTo: "10000", unitPrice: { param: "rate" } },
            { upTo: null, unitPrice: "0.004" },
          ],
        },
      ],
      ["c", "credits", { grant: "startup" }],
      ["line", "invoiceLine", { description: "Video minutes", product: "video" }],
    ],
    ["u.out -> t.in", "t.out -> c.in", "c.out -> line.amount", "u.out -> line.quantity"],
    { params: [{ key: "rate", type: "money", default: "0.004" }] },
  );
  const input = {
    usage: { minutes: "11000" },
    params: { rate: "0.004" },
    credits: { startup: "10" },
    proration: "1",
  };

  it("matches the spec's output shape", () => {
    const result = evaluateDocument(document, input);
    if (!result.ok) throw new Error("failed");
    expect(result.output).toMatchObject({
      currency: "USD",
      total: "34.00",
      credits: { startup: { opening: "10", used: "10", closing: "0" } },
      values: { "u.out": "11000", "t.out": "44", "c.out": "34", "c.applied": "-10" },
      warnings: [],
    });
    expect(result.output.lines[0]).toMatchObject({
      quantity: "11000",
      amount: "34.00",
      unrounded: "34.0000",
    });
    expect(result.output.lines[0].explanation.map((e) => [e.nodeId, e.text])).toEqual([
      ["c", '44 − credits "startup" 10 = 34'],
      ["u", "minutes = 11,000"],
      ["t", "10,000 × 0.004 + 1,000 × 0.004 = 44"],
    ]);
  });

  it("is deterministic: byte-identical output, whatever the input's key order", () => {
    const plan = compileOrThrow(document);
    const first = JSON.stringify(evaluate(plan, input));
    expect(JSON.stringify(evaluate(plan, input))).toBe(first);
    expect(JSON.stringify(evaluateDocument(structuredClone(document), input))).toBe(first);
    const reordered = {
      proration: "1",
      credits: { startup: "10" },
      params: { rate: "0.004" },
      usage: { minutes: "11000" },
    };
    expect(JSON.stringify(evaluate(plan, reordered))).toBe(first);
  });

  it("leaves out explanations and values when asked", () => {
    const result = evaluate(compileOrThrow(document), input, { explain: false, values: false });
    if (!result.ok) throw new Error("failed");
    expect(result.output.lines[0].explanation).toEqual([]);
    expect(result.output.values).toEqual({});
    expect(result.output.total).toBe("34.00");
  });

  it("exposes compile's port types for the editor", () => {
    expect(compile(document).portTypes).toMatchObject({ "u.out": "quantity", "c.applied": "money" });
  });
});

describe("evaluate: input already in wire form takes a fast path that agrees with the schema", () => {
  const plan = compileOrThrow(
    planDocument(
      [
        ["u", "usage", { metric: "m" }],
        ["p", "perUnit", { unitPrice: "1" }],
        ["line", "invoiceLine", { description: "x" }],
      ],
      ["u.out -> p.in", "p.out -> line.amount"],
    ),
  );
  const agrees = (input: unknown) => {
    // evaluate reads a missing input (null, undefined) as {}.
    const schema = evaluationInputSchema.safeParse(input ?? {});
    const result = evaluate(plan, input);
    expect(result.ok).toBe(schema.success);
    if (!result.ok) expect(result.problems[0].code).toBe("INVALID_INPUT");
    return result;
  };

  it.each(["1", "-1", "0.5", "007", "-0", "1.", ".5", "-", "", "1e5", " 1", "1 ", "--1", "1.2.3", "١"])(
    "usage %j",
    (text) => {
      agrees({ usage: { m: text } });
      agrees({ usage: { m: [{ group: { r: "eu" }, value: text }] } });
      agrees({ credits: { pool: text } });
      agrees({ proration: text });
    },
  );

  it.each([
    [null],
    [undefined],
    [{}],
    [{ usage: { m: 5 } }],
    [{ usage: { m: [{ group: { r: "eu" }, value: "1", extra: 1 }] } }],
    [{ usage: { m: [{ group: { r: 1 }, value: "1" }] } }],
    [{ usage: [] }],
    [{ params: { x: "1" }, other: 1 }],
    [[]],
  ])("input %j", (input) => {
    agrees(input);
  });

  it("converts JSON numbers through the schema", () => {
    const result = agrees({ usage: { m: 0.1 }, proration: 1 });
    expect(result.ok && result.output.total).toBe("0.10");
  });

  it("agrees on random strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."-.0123456789e ") }), (text) => {
        agrees({ usage: { m: text } });
      }),
      { numRuns: 300 },
    );
  });
});
