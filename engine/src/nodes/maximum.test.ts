import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

describe("maximum", () => {
  it.each([
    [{ amount: "100" }, "1", "0", "0"],
    [{ amount: "100" }, "1", "1", "1"],
    [{ amount: "100" }, "1", "100", "100"],
    [{ amount: "100" }, "1", "100.01", "100"],
    [{ amount: "100", prorate: true }, "0.25", "100", "25"],
    [{ amount: "100" }, "1", "12345678901234567890123", "100"],
  ])("%o, proration %s, %s → %s", (data, proration, amount, expected) => {
    expect(
      runNode({ type: "maximum", data, inputs: { in: "money" } }, { in: amount }, { proration }).out.out,
    ).toBe(expected);
  });
});
