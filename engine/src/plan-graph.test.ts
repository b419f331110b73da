import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.ts";
import { metricFeeding } from "./plan-graph.ts";
import { compileOrThrow, planDocument } from "./testing/plan.ts";

const plan = compileOrThrow(
  planDocument(
    [
      ["u", "usage", { metric: "minutes" }],
      ["f", "freeUnits", { allowance: "100" }],
      ["p", "perUnit", { unitPrice: "2" }],
      ["line", "invoiceLine", { description: "Minutes" }],
      ["g", "freeUnits", { allowance: "5" }],
      ["fee", "flatFee", { amount: "10" }],
      ["feeLine", "invoiceLine", { description: "Fee" }],
      ["u2", "usage", { metric: "seats" }],
    ],
    [
      "u.out -> f.in",
      "f.billable -> p.in",
      "p.out -> line.amount",
      "fee.out -> feeLine.amount",
      "u2.out -> g.in",
    ],
  ),
);

describe("metricFeeding", () => {
  it("finds the metric of the nearest usage node upstream", () => {
    expect(metricFeeding(plan, "f")).toBe("minutes");
    expect(metricFeeding(plan, "line")).toBe("minutes");
    expect(metricFeeding(plan, "g")).toBe("seats");
  });

  it("answers null when no usage node feeds the node", () => {
    expect(metricFeeding(plan, "feeLine")).toBeNull();
    expect(metricFeeding(plan, "nope")).toBeNull();
  });
});

describe("evaluate explainTypes", () => {
  it("explains every node of the types asked for, also those that feed no line", () => {
    const result = evaluate(
      plan,
      { usage: { minutes: "130", seats: "2" } },
      { explain: false, values: false, explainTypes: ["freeUnits"] },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.output.nodes?.map((n) => [n.nodeId, n.items[0]?.remaining])).toEqual([
      ["f", "0"],
      ["g", "3"],
    ]);
    // Lines keep no explanation when none was asked for.
    expect(result.output.lines.every((l) => l.explanation.length === 0)).toBe(true);
  });

  it("adds no nodes when none are asked for", () => {
    const result = evaluate(plan, { usage: { minutes: "1", seats: "1" } });
    expect(result.ok && result.output.nodes).toBe(undefined);
  });
});
