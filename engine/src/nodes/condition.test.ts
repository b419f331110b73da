import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

// The spec names a port `then`; the linter guards against accidental thenables, which these are not.
const ports = <T>(test: T, whenTrue: T, whenFalse: T): Record<string, T> =>
  // biome-ignore lint/suspicious/noThenProperty: `then` is the condition node's port name
  ({ test, then: whenTrue, else: whenFalse });
const inputs = ports<"quantity" | "money">("quantity", "money", "money");
describe("condition", () => {
  it.each([
    ["<", "9", "10", "1"],
    ["<", "10", "10", "2"],
    ["<=", "10", "10", "1"],
    [">", "10.0001", "10", "1"],
    [">", "10", "10", "2"],
    [">=", "10", "10", "1"],
    ["==", "10.0", "10", "1"],
    ["!=", "10", "10", "2"],
    [">=", "12345678901234567890123", "12345678901234567890122", "1"],
  ])("test %s: %s vs %s → %s", (op, test, threshold, expected) => {
    const run = runNode({ type: "condition", data: { op, threshold }, inputs }, ports(test, "1", "2"));
    expect(run.out.out).toBe(expected);
  });

  it("substitutes a parameter threshold and explains the branch", () => {
    const spec = {
      type: "condition",
      data: { op: ">=", threshold: { param: "limit" } },
      inputs,
      params: [{ key: "limit", type: "quantity" as const, default: "100" }],
    };
    const run = runNode(spec, ports("50", "1", "2"), { params: { limit: "40" } });
    expect(run.out.out).toBe("1");
    expect(run.explanation?.text).toBe("50 >= 40 is true → then = 1");
  });
});
