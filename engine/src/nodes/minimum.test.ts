import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

describe("minimum", () => {
  const spec = (data: Record<string, unknown>) => ({
    type: "minimum",
    data,
    inputs: { in: "money" as const },
  });
  it.each([
    [{ amount: "500" }, "1", "0", "500", "500"],
    [{ amount: "500" }, "1", "1", "500", "499"],
    [{ amount: "500" }, "1", "499.99", "500", "0.01"],
    [{ amount: "500" }, "1", "500", "500", "0"],
    [{ amount: "500" }, "1", "501", "501", "0"],
    [{ amount: "500", prorate: true }, "0.5", "100", "250", "150"],
    [{ amount: "500" }, "0.5", "100", "500", "400"],
    [{ amount: "500" }, "1", "12345678901234567890123", "12345678901234567890123", "0"],
  ])("%o, proration %s, spend %s → out %s, true-up %s", (data, proration, spend, out, trueUp) => {
    expect(runNode(spec(data), { in: spend }, { proration }).out).toEqual({ out, trueUp });
  });

  it("substitutes its amount parameter", () => {
    const withParam = {
      ...spec({ amount: { param: "commit" } }),
      params: [{ key: "commit", type: "money" as const, default: "100" }],
    };
    expect(runNode(withParam, { in: "40" }, { params: { commit: "80" } }).out).toEqual({
      out: "80",
      trueUp: "40",
    });
  });
});
