import { describe, expect, it } from "vitest";
import { toDocument } from "../graph.ts";
import { testGraph, zenskarTiers } from "../testing.ts";
import { priceCurve, suggestedCurveEnd, sweepValues } from "./curve.ts";
import { emptySample, runPreview, sampleInput } from "./runPreview.ts";

const document = toDocument(
  testGraph(
    [
      ["n1", "usage", { metric: "calls" }],
      ["n2", "tiered", { tiers: zenskarTiers }],
      ["n3", "invoiceLine", { description: "Calls" }],
      ["n4", "usage", { metric: "minutes", groupBy: ["region"] }],
    ],
    ["n1.out>n2.in", "n2.out>n3.amount"],
  ),
);

describe("runPreview", () => {
  it("bills the sample and reports every port's value", () => {
    const result = runPreview(document, { ...emptySample(), usage: { calls: "1500" } });
    expect(result.evaluation?.ok && result.evaluation.output.total).toBe("2500.00");
    expect(result.values["n2.out"]).toBe("2500");
    expect(result.metrics).toEqual([{ key: "calls" }, { key: "minutes", groupBy: ["region"] }]);
  });

  it("groups compile problems by node for outlines", () => {
    const broken = { ...document, edges: document.edges?.slice(1) };
    const result = runPreview(broken, emptySample());
    expect(result.evaluation).toBeNull();
    expect(result.problemsByNode.get("n2")?.[0].code).toBe("INPUT_UNCONNECTED");
  });

  it("fills missing usage with zero and skips fields that are not decimals yet", () => {
    const input = sampleInput(document, { usage: { calls: "12." }, params: {}, credits: {} });
    expect(input.usage).toEqual({ calls: "0", minutes: [] });
  });
});

describe("priceCurve", () => {
  it("sweeps a metric exactly and prices each point", () => {
    expect(sweepValues("0", "3000", 3)).toEqual(["0", "1000", "2000", "3000"]);
    const { points, errors } = priceCurve(
      [{ key: "draft", label: "Draft", document }],
      emptySample(),
      "calls",
      sweepValues("0", "3000", 3),
    );
    expect(errors).toEqual({});
    expect(points.map((p) => p.draft_text)).toEqual(["0.00", "1750.00", "3250.00", "4250.00"]);
  });
});

describe("the price curve's range", () => {
  const doc = (data: Record<string, unknown>) => ({
    format: "pricegraph/v1" as const,
    currency: "USD",
    params: [],
    nodes: [{ id: "n", type: "tiered", position: { x: 0, y: 0 }, data }],
    edges: [],
  });
  const none = { usage: {}, params: {}, credits: {} };

  it("reaches twice the last tier bound, rounded up to a round number", () => {
    const tiers = [{ upTo: "10000" }, { upTo: "100000" }, { upTo: null }];
    expect(suggestedCurveEnd(doc({ tiers }), "calls", none)).toBe("200000");
    expect(suggestedCurveEnd(doc({ tiers: [{ upTo: "2000" }, { upTo: null }] }), "calls", none)).toBe("5000");
  });

  it("counts allowances and the sample's usage, and falls back to 5,000", () => {
    expect(suggestedCurveEnd(doc({ allowance: "300" }), "calls", none)).toBe("1000");
    const sample = { ...none, usage: { calls: "40000" } };
    expect(suggestedCurveEnd(doc({ allowance: "300" }), "calls", sample)).toBe("100000");
    expect(suggestedCurveEnd(doc({ unitPrice: "1" }), "calls", none)).toBe("5000");
  });
});
