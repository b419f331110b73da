import { describe, expect, it } from "vitest";
import { planDocument, runDocument } from "../testing/plan.ts";

const plan = (usageData: Record<string, unknown>) =>
  planDocument(
    [
      ["u", "usage", usageData],
      ["c", "constant", { value: "0", valueType: "money" }],
      ["line", "invoiceLine", { description: "x" }],
    ],
    ["c.out -> line.amount"],
  );
const evaluateUsage = (usageData: Record<string, unknown>, usage: Record<string, unknown>) => {
  const result = runDocument(plan(usageData), { usage });
  if (!result.ok) return { ok: false as const, problems: result.problems };
  return { ok: true as const, value: result.output.values["u.out"], warnings: result.output.warnings };
};

describe("usage", () => {
  it.each([["0"], ["1"], ["0.5"], ["12345678901234567890123"]])("passes %s through exactly", (q) => {
    expect(evaluateUsage({ metric: "m" }, { m: q })).toMatchObject({ value: q, warnings: [] });
  });

  it("accepts JSON numbers through their shortest decimal text", () => {
    expect(evaluateUsage({ metric: "m" }, { m: 0.1 })).toMatchObject({ value: "0.1" });
  });

  it("is 0 with a MISSING_USAGE warning when the metric is absent", () => {
    const result = evaluateUsage({ metric: "m" }, {});
    expect(result).toMatchObject({ value: "0" });
    expect(result.ok && result.warnings).toEqual([
      expect.objectContaining({ code: "MISSING_USAGE", nodeId: "u" }),
    ]);
  });

  it("sums groups given to an ungrouped node", () => {
    const groups = [
      { group: { region: "eu" }, value: "1.5" },
      { group: { region: "us" }, value: "2" },
    ];
    expect(evaluateUsage({ metric: "m" }, { m: groups })).toMatchObject({ value: "3.5" });
  });

  it("re-projects grouped usage onto groupBy, summing coinciding groups, sorted", () => {
    const groups = [
      { group: { region: "us", quality: "hd" }, value: "1" },
      { group: { region: "eu", quality: "hd" }, value: "2" },
      { group: { region: "eu", quality: "sd" }, value: "4" },
      { group: { quality: "hd" }, value: "8" },
    ];
    expect(evaluateUsage({ metric: "m", groupBy: ["region"] }, { m: groups })).toMatchObject({
      value: [
        { group: { region: "" }, value: "8" },
        { group: { region: "eu" }, value: "6" },
        { group: { region: "us" }, value: "1" },
      ],
    });
  });

  it("regroups many groups (the Map path) the same way", () => {
    const groups = Array.from({ length: 100 }, (_, i) => ({ group: { region: `r${i % 40}` }, value: "1.5" }));
    const result = evaluateUsage({ metric: "m", groupBy: ["region"] }, { m: groups });
    const value = result.ok ? (result.value as { group: { region: string }; value: string }[]) : [];
    expect(value).toHaveLength(40);
    expect(value[0]).toEqual({ group: { region: "r0" }, value: "4.5" });
    expect(value[1]).toEqual({ group: { region: "r1" }, value: "4.5" });
    expect(value[39]).toEqual({ group: { region: "r9" }, value: "4.5" });
    expect(value.reduce((sum, g) => sum + Number(g.value), 0)).toBe(150);
  });

  it("fails with INVALID_USAGE when a grouped metric is given as one number", () => {
    const result = evaluateUsage({ metric: "m", groupBy: ["region"] }, { m: "5" });
    expect(result).toEqual({
      ok: false,
      problems: [expect.objectContaining({ code: "INVALID_USAGE", nodeId: "u" })],
    });
  });

  it("is an empty group list when a grouped metric is missing", () => {
    expect(evaluateUsage({ metric: "m", groupBy: ["region"] }, {})).toMatchObject({ value: [] });
  });
});
