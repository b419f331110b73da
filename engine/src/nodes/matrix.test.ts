import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

const data = {
  dimensions: ["quality"],
  rows: [
    {
      match: { quality: "hd" },
      tiers: [
        { upTo: "1000", unitPrice: "0.01" },
        { upTo: null, unitPrice: "0.008" },
      ],
    },
    { match: { quality: "sd" }, tiers: [{ upTo: null, unitPrice: "0.005" }] },
  ],
};
const spec = { type: "matrix", data, inputs: { in: { groupBy: ["quality"] } } };
const g = (quality: string, value: string) => ({ group: { quality }, value });

describe("matrix", () => {
  it.each([
    [[], "0"],
    [[g("hd", "0")], "0"],
    [[g("hd", "1")], "0.01"],
    [[g("hd", "1000")], "10"], // top of tier 1
    [[g("hd", "1001")], "8.008"], // volume lookup: all 1,001 at tier 2's price
    [[g("hd", "0.5"), g("sd", "10")], "0.055"],
    [[g("sd", "12345678901234567890123")], "61728394506172839450.615"],
  ])("%j → %s", (groups, expected) => {
    expect(runNode(spec, { in: groups }).out.out).toBe(expected);
  });

  it("sums groups that share a row after projecting onto groupBy", () => {
    const usage = [
      { group: { quality: "hd", region: "eu" }, value: "600" },
      { group: { quality: "hd", region: "us" }, value: "600" },
    ];
    expect(runNode(spec, { in: usage }).out.out).toBe("9.6");
  });

  it("fails with MATRIX_NO_PRICE for a group with no row and no default", () => {
    const run = runNode(spec, { in: [g("4k", "5")] });
    expect(run.ok).toBe(false);
    expect(run.problems).toEqual([expect.objectContaining({ code: "MATRIX_NO_PRICE", nodeId: "n" })]);
    expect(run.problems[0].message).toContain("quality=4k");
  });

  it("prices unmatched groups with the default tiers", () => {
    const withDefault = { ...spec, data: { ...data, default: [{ upTo: null, unitPrice: "0.1" }] } };
    expect(runNode(withDefault, { in: [g("4k", "5"), g("sd", "2")] }).out.out).toBe("0.51");
  });

  it("substitutes a parameter in a row's price", () => {
    const withParam = {
      ...spec,
      data: {
        dimensions: ["quality"],
        rows: [{ match: { quality: "hd" }, tiers: [{ upTo: null, unitPrice: { param: "hd" } }] }],
      },
      params: [{ key: "hd", type: "money" as const, default: "0.02" }],
    };
    expect(runNode(withParam, { in: [g("hd", "100")] }).out.out).toBe("2");
    expect(runNode(withParam, { in: [g("hd", "100")] }, { params: { hd: "0.03" } }).out.out).toBe("3");
  });

  it("explains one item per group", () => {
    const run = runNode(spec, { in: [g("sd", "10"), g("hd", "1500")] });
    expect(run.explanation?.text).toBe("1,500 × 0.008 + 10 × 0.005 = 12.05");
    expect(run.explanation?.items).toEqual([
      {
        text: "quality=hd: 1,500 × 0.008",
        group: "quality=hd",
        row: "0",
        tier: "2",
        quantity: "1500",
        unitPrice: "0.008",
        amount: "12",
      },
      {
        text: "quality=sd: 10 × 0.005",
        group: "quality=sd",
        row: "1",
        tier: "1",
        quantity: "10",
        unitPrice: "0.005",
        amount: "0.05",
      },
    ]);
  });
});
