import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

describe("percent", () => {
  const base = { type: "percent", inputs: { in: "money" as const, count: "quantity" as const } };
  it.each([
    [{ rate: "2.9", fixedFee: "0.30" }, "0", "0", "0"],
    [{ rate: "2.9", fixedFee: "0.30" }, "100", "1", "3.2"],
    [{ rate: "2.9", fixedFee: "0.30" }, "1000", "10", "32"],
    [{ rate: "2.9", fixedFee: "0.30", minimum: "5" }, "100", "1", "5"],
    [{ rate: "2.9", fixedFee: "0.30", maximum: "3" }, "100", "1", "3"],
    [{ rate: "2.9" }, "12345678901234567890123", "0", "358024688135802468813.567"],
  ])("%o of %s with count %s → %s", (data, amount, count, expected) => {
    expect(runNode({ ...base, data }, { in: amount, count }).out.out).toBe(expected);
  });

  it("accepts a quantity base and adds no fixed fee without a count", () => {
    const run = runNode({ type: "percent", data: { rate: "10", fixedFee: "1" } }, { in: "50" });
    expect(run.out.out).toBe("5");
    expect(run.explanation?.text).toBe("50 × 10% = 5");
  });

  it("substitutes its rate parameter", () => {
    const spec = {
      type: "percent",
      data: { rate: { param: "take" } },
      params: [{ key: "take", type: "quantity" as const, default: "1" }],
    };
    expect(runNode(spec, { in: "200" }, { params: { take: "2.5" } }).out.out).toBe("5");
  });
});
