import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

describe("freeUnits", () => {
  it.each([
    ["0", "0", "0"],
    ["1", "0", "1"],
    ["100", "0", "100"],
    ["101", "1", "100"],
    ["100.5", "0.5", "100"],
    ["12345678901234567890123", "12345678901234567890023", "100"],
  ])("allowance 100, %s used → billable %s, free %s", (q, billable, free) => {
    const run = runNode({ type: "freeUnits", data: { allowance: "100" }, bill: "billable" }, { in: q });
    expect(run.out).toEqual({ billable, free });
  });

  // Waterfall: the allowance grows with consumption.
  const tiers = [
    { upTo: "1000", allowance: "100" },
    { upTo: "10000", allowance: "500" },
    { upTo: null, allowance: "2000" },
  ];
  it.each([
    ["0", "0", "0"],
    ["50", "0", "50"],
    ["1000", "900", "100"],
    ["1001", "501", "500"],
    ["10000", "9500", "500"],
    ["10000.5", "8000.5", "2000"],
  ])("waterfall, %s used → billable %s, free %s", (q, billable, free) => {
    const run = runNode({ type: "freeUnits", data: { tiers }, bill: "billable" }, { in: q });
    expect(run.out).toEqual({ billable, free });
  });

  it("never gives a negative free amount", () => {
    const run = runNode({ type: "freeUnits", data: { allowance: "-5" }, bill: "billable" }, { in: "10" });
    expect(run.out).toEqual({ billable: "10", free: "0" });
  });

  it("substitutes its allowance parameter and explains the waterfall tier", () => {
    const spec = {
      type: "freeUnits",
      data: {
        tiers: [
          { upTo: "10", allowance: "1" },
          { upTo: null, allowance: { param: "free" } },
        ],
      },
      bill: "billable",
      params: [{ key: "free", type: "quantity" as const, default: "5" }],
    };
    const run = runNode(spec, { in: "20" }, { params: { free: "8" } });
    expect(run.out).toEqual({ billable: "12", free: "8" });
    expect(run.explanation?.text).toBe("20 used, 8 free (waterfall tier 2): 8 free, 12 billable");
  });

  it("explains allowance, used, free, billable and remaining as numbers (what a usage report shows)", () => {
    const run = runNode({ type: "freeUnits", data: { tiers }, bill: "billable" }, { in: "1200" });
    expect(run.explanation?.items).toEqual([
      expect.objectContaining({
        used: "1200",
        allowance: "500",
        free: "500",
        billable: "700",
        remaining: "0",
      }),
    ]);
    const under = runNode({ type: "freeUnits", data: { allowance: "100" }, bill: "billable" }, { in: "40" });
    expect(under.explanation?.items?.[0]).toMatchObject({ allowance: "100", free: "40", remaining: "60" });
  });
});
