import { describe, expect, it } from "vitest";
import { compile } from "../compile.ts";
import { planDocument, runNode } from "../testing/plan.ts";

describe("sum", () => {
  it.each([
    [["0"], "0"],
    [["1", "2.5"], "3.5"],
    [["12345678901234567890123", "0.001", "7"], "12345678901234567890130.001"],
  ])("%j → %s", (values, expected) => {
    const inputs = { in: values.map(() => "money" as const) };
    const usage = Object.fromEntries(values.map((v, i) => [`in${i + 1}`, v]));
    expect(runNode({ type: "sum", data: {}, inputs }, usage).out.out).toBe(expected);
  });

  it("with no inputs is money 0", () => {
    const run = runNode({ type: "sum", data: {}, inputs: {} }, {});
    expect(run.out.out).toBe("0");
    expect(run.output?.lines[0].amount).toBe("0.00");
  });

  it("refuses inputs of mixed types", () => {
    const doc = planDocument(
      [
        ["q", "usage", { metric: "q" }],
        ["m", "constant", { value: "1", valueType: "money" }],
        ["n", "sum", {}],
        ["line", "invoiceLine", { description: "x" }],
      ],
      ["q.out -> n.in", "m.out -> n.in", "n.out -> line.amount"],
    );
    expect(compile(doc).problems).toEqual([
      expect.objectContaining({ code: "PORT_TYPE_MISMATCH", nodeId: "n" }),
    ]);
  });
});
