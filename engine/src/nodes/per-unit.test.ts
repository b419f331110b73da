import { describe, expect, it } from "vitest";
import { priceOf, runNode } from "../testing/plan.ts";

describe("perUnit", () => {
  it.each([
    ["0", "0"],
    ["1", "0.004"],
    ["2.5", "0.01"],
    ["12345678901234567890123", "49382715604938271560.492"],
  ])("%s units × 0.004 → %s", (q, expected) => {
    expect(priceOf("perUnit", { unitPrice: "0.004" }, q)).toBe(expected);
  });

  it("substitutes its price parameter", () => {
    const spec = {
      type: "perUnit",
      data: { unitPrice: { param: "rate" } },
      params: [{ key: "rate", type: "money" as const, default: "0.5" }],
    };
    const run = runNode(spec, { in: "4" }, { params: { rate: "0.25" } });
    expect(run.out.out).toBe("1");
    expect(run.explanation?.text).toBe("4 × 0.25 = 1");
  });
});
