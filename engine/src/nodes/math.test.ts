import { describe, expect, it } from "vitest";
import { compile } from "../compile.ts";
import { planDocument, runNode } from "../testing/plan.ts";

const ab = (a: "quantity" | "money", b: "quantity" | "money") => ({ a, b });

describe("math", () => {
  const types: Record<string, { a: "money"; b: "money" | "quantity" }> = {
    multiply: { a: "money", b: "quantity" },
    divide: { a: "money", b: "quantity" },
  };
  it.each([
    ["add", "2", "3", "5"],
    ["subtract", "2", "3", "-1"],
    ["multiply", "1.5", "4", "6"],
    ["divide", "1", "3", "0.3333333333333333333333333333333333333333"],
    ["divide", "12345678901234567890123", "1", "12345678901234567890123"],
    ["min", "2", "3", "2"],
    ["max", "2", "3", "3"],
    ["add", "0", "0", "0"],
  ])("%s(%s, %s) → %s", (op, a, b, expected) => {
    const inputs = types[op] ?? ab("money", "money");
    expect(runNode({ type: "math", data: { op }, inputs }, { a, b }).out.out).toBe(expected);
  });

  it("fails with DIVISION_BY_ZERO naming the node", () => {
    const run = runNode(
      { type: "math", data: { op: "divide" }, inputs: ab("money", "quantity") },
      { a: "5", b: "0" },
    );
    expect(run.ok).toBe(false);
    expect(run.problems).toEqual([expect.objectContaining({ code: "DIVISION_BY_ZERO", nodeId: "n" })]);
  });

  // The spec's typing rules, checked by what compile resolves for n.out (or refuses).
  it.each([
    ["add", "quantity", "quantity", "quantity"],
    ["add", "money", "quantity", null],
    ["min", "money", "money", "money"],
    ["multiply", "quantity", "money", "money"],
    ["multiply", "money", "money", null],
    ["multiply", "quantity", "quantity", "quantity"],
    ["divide", "money", "quantity", "money"],
    ["divide", "money", "money", "quantity"],
    ["divide", "quantity", "quantity", "quantity"],
    ["divide", "quantity", "money", null],
  ])("%s(%s, %s) has type %s", (op, a, b, expected) => {
    const feed = (port: string, type: string) =>
      type === "money"
        ? [
            [`u${port}`, "usage", { metric: port }],
            [`p${port}`, "perUnit", { unitPrice: "1" }],
          ]
        : [[`u${port}`, "usage", { metric: port }]];
    const edge = (port: string, type: string) =>
      type === "money"
        ? [`u${port}.out -> p${port}.in`, `p${port}.out -> n.${port}`]
        : [`u${port}.out -> n.${port}`];
    const doc = planDocument(
      [
        ...(feed("a", a) as never[]),
        ...(feed("b", b) as never[]),
        ["n", "math", { op }],
        ["c", "constant", { value: "1", valueType: "money" }],
        ["line", "invoiceLine", { description: "x" }],
      ],
      [...edge("a", a), ...edge("b", b), "c.out -> line.amount"],
    );
    const result = compile(doc);
    if (expected === null) {
      expect(result.problems).toEqual([expect.objectContaining({ code: "PORT_TYPE_MISMATCH", nodeId: "n" })]);
    } else expect(result.portTypes["n.out"]).toBe(expected);
  });
});
