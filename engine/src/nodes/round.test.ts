import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

describe("round", () => {
  it.each([
    [2, "halfUp", "1.005", "1.01"],
    [2, "halfUp", "-1.005", "-1.01"],
    [2, "halfEven", "1.005", "1"],
    [2, "halfEven", "1.015", "1.02"],
    [0, "up", "1.1", "2"],
    [0, "up", "-1.1", "-2"],
    [0, "down", "1.9", "1"],
    [0, "ceiling", "-1.9", "-1"],
    [0, "floor", "-1.1", "-2"],
    [-2, "halfUp", "1250", "1300"],
    [-3, "floor", "12345678901234567890123", "12345678901234567890000"],
    [0, "halfUp", "0", "0"],
  ])("%i decimals %s: %s → %s", (decimals, mode, value, expected) => {
    expect(
      runNode({ type: "round", data: { decimals, mode }, inputs: { in: "money" } }, { in: value }).out.out,
    ).toBe(expected);
  });
});
