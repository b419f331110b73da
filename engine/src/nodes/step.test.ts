import { describe, expect, it } from "vitest";
import { priceOf, runNode } from "../testing/plan.ts";

const steps = [
  { upTo: "10", price: "5" },
  { upTo: "100", price: "40" },
  { upTo: null, price: "100" },
];

describe("step", () => {
  it.each([
    ["0", "5"], // chargeAtZero defaults to true
    ["1", "5"],
    ["10", "5"],
    ["10.001", "40"],
    ["11", "40"],
    ["100", "40"],
    ["101", "100"],
    ["12345678901234567890123", "100"],
  ])("%s units → %s", (q, expected) => {
    expect(priceOf("step", { steps }, q)).toBe(expected);
  });

  it.each([
    [undefined, "5"],
    [true, "5"],
    [false, "0"],
  ])("chargeAtZero %s at zero usage → %s", (chargeAtZero, expected) => {
    const data = chargeAtZero === undefined ? { steps } : { steps, chargeAtZero };
    expect(priceOf("step", data, "0")).toBe(expected);
    expect(priceOf("step", data, "1")).toBe("5");
  });

  it("substitutes a parameter in a step's price", () => {
    const spec = {
      type: "step",
      data: { steps: [{ upTo: null, price: { param: "fee" } }] },
      params: [{ key: "fee", type: "money" as const, default: "9" }],
    };
    expect(runNode(spec, { in: "3" }).out.out).toBe("9");
    expect(runNode(spec, { in: "3" }, { params: { fee: "12.5" } }).out.out).toBe("12.5");
  });

  it("explains the step", () => {
    const run = runNode({ type: "step", data: { steps } }, { in: "50" });
    expect(run.explanation?.text).toBe("50 falls in step 2 = 40");
    expect(run.explanation?.items).toEqual([{ text: "step 2", tier: "2", amount: "40" }]);
  });
});
