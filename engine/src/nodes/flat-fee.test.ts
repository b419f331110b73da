import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

describe("flatFee", () => {
  it.each([
    [{ amount: "100" }, "1", "100"],
    [{ amount: "100" }, "0.5", "100"], // proration only applies when asked
    [{ amount: "100", prorate: true }, "0.5", "50"],
    [{ amount: "100", prorate: true }, "0", "0"],
    [{ amount: "99.99", prorate: true }, "0.3333", "33.326667"],
  ])("%o at proration %s → %s", (data, proration, expected) => {
    expect(runNode({ type: "flatFee", data, inputs: {} }, {}, { proration }).out.out).toBe(expected);
  });

  it.each([
    ["0", "0"],
    ["1", "25"],
    ["3", "75"],
    ["12345678901234567890123", "308641972530864197253075"],
  ])("times a seat quantity %s → %s", (q, expected) => {
    expect(
      runNode({ type: "flatFee", data: { amount: "25" }, inputs: { quantity: "quantity" } }, { quantity: q })
        .out.out,
    ).toBe(expected);
  });

  it("substitutes its amount parameter and explains the proration", () => {
    const spec = {
      type: "flatFee",
      data: { amount: { param: "fee" }, prorate: true },
      inputs: {},
      params: [{ key: "fee", type: "money" as const, default: "300" }],
    };
    const run = runNode(spec, {}, { proration: "0.5" });
    expect(run.out.out).toBe("150");
    expect(run.explanation?.text).toBe("300 × proration 0.5 = 150");
  });
});
