import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

const money = { in: "money" as const };
describe("discount", () => {
  it.each([
    [{ percent: "10" }, "0", "0", "0"],
    [{ percent: "10" }, "1", "0.9", "-0.1"],
    [{ percent: "10" }, "250", "225", "-25"],
    [{ percent: "10", maximum: "20" }, "250", "230", "-20"],
    [{ amount: "30" }, "250", "220", "-30"],
    [{ amount: "30" }, "20", "0", "-20"], // never more than the charge
    [{ amount: "30" }, "-5", "-5", "0"], // never negative: a discount never raises a charge
    [{ percent: "150" }, "10", "0", "-10"],
    [{ percent: "50" }, "12345678901234567890123", "6172839450617283945061.5", "-6172839450617283945061.5"],
  ])("%o on %s → out %s, discount %s", (data, amount, out, discount) => {
    expect(runNode({ type: "discount", data, inputs: money }, { in: amount }).out).toEqual({ out, discount });
  });

  it("needs exactly one of percent and amount", () => {
    expect(() =>
      runNode({ type: "discount", data: { percent: "1", amount: "1" }, inputs: money }, { in: "1" }),
    ).toThrow(/either percent or amount/);
  });

  it("substitutes its percent parameter", () => {
    const spec = {
      type: "discount",
      data: { percent: { param: "off" } },
      inputs: money,
      params: [{ key: "off", type: "quantity" as const, default: "5" }],
    };
    expect(runNode(spec, { in: "200" }, { params: { off: "20" } }).out.out).toBe("160");
  });
});
