import { compile, nodeRegistry } from "@pricegraph/engine";
import { describe, expect, it } from "vitest";
import { toDocument } from "../graph.ts";
import { testGraph } from "../testing.ts";
import { describeProblem } from "./problemText.ts";

const plainProblems = (graph: ReturnType<typeof testGraph>) =>
  compile(toDocument(graph)).problems.map((p) => describeProblem(p, graph.nodes));

describe("problems in a pricing team's words", () => {
  it("names an unconnected input by its node's name and the port's label", () => {
    const graph = testGraph([["n6", "invoiceLine", { description: "Video minutes" }]]);
    const [problem] = plainProblems(graph);
    expect(problem.sentence).toBe("Invoice line 'Video minutes' needs an amount connected");
    expect(problem.focusPath).toBe("$inputs.amount");
    expect(problem.sentence).not.toMatch(/n6|INPUT_UNCONNECTED/);
  });

  it("names a tier bound out of order as the inspector labels it", () => {
    const graph = testGraph(
      [
        ["n1", "usage", { metric: "calls" }],
        [
          "n2",
          "tiered",
          {
            tiers: [
              { upTo: "500", unitPrice: "2" },
              { upTo: "400", unitPrice: "1" },
              { upTo: null, unitPrice: "0.5" },
            ],
          },
        ],
        ["n3", "invoiceLine", { description: "Calls" }],
      ],
      ["n1.out>n2.in", "n2.out>n3.amount"],
    );
    const [problem] = plainProblems(graph);
    expect(problem.text).toBe("Tier 2: up to must be greater than 500");
    expect(problem.sentence).toBe(
      `${nodeRegistry.get("tiered")!.label}: Tier 2: up to must be greater than 500`,
    );
    expect(problem.focusPath).toBe("$.tiers[1].upTo");
  });

  it("says a field that is not a number needs one, instead of 'Invalid input'", () => {
    const graph = testGraph(
      [
        ["n1", "usage", { metric: "calls" }],
        ["n2", "perUnit", { unitPrice: "abc", label: "API calls" }],
        ["n3", "invoiceLine", { description: "Calls" }],
      ],
      ["n1.out>n2.in", "n2.out>n3.amount"],
    );
    const texts = plainProblems(graph).map((p) => p.sentence);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^Per unit 'API calls': Unit price /);
    expect(texts[0]).not.toMatch(/Invalid input|INVALID_NODE_DATA/);
  });

  it("calls the credits node's grant a credit pool", () => {
    const graph = testGraph(
      [
        ["n1", "constant", { value: "5" }],
        ["n2", "credits", { grant: "" }],
      ],
      ["n1.out>n2.in"],
    );
    const texts = plainProblems(graph).map((p) => p.sentence);
    expect(texts).toContain("Credits: Credit pool needs the name of a credit pool");
  });
});
