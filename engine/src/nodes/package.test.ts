import { describe, expect, it } from "vitest";
import { priceOf, runNode } from "../testing/plan.ts";

describe("package", () => {
  const data = { packageSize: "100", packagePrice: "8" };
  it.each([
    ["0", "0"],
    ["1", "8"],
    ["100", "8"],
    ["101", "16"],
    ["100.5", "16"],
    ["0.01", "8"],
    ["12345678901234567890123", "987654312098765431216"],
  ])("rounding up: %s units → %s", (q, expected) => {
    expect(priceOf("package", data, q)).toBe(expected);
  });

  it.each([
    ["0", "0"],
    ["99", "0"],
    ["100", "8"],
    ["199.99", "8"],
    ["12345678901234567890123", "987654312098765431208"],
  ])("rounding down: %s units → %s", (q, expected) => {
    expect(priceOf("package", { ...data, rounding: "down" }, q)).toBe(expected);
  });

  it("rejects a package size of 0 at compile time", () => {
    const run = () => priceOf("package", { packageSize: "0", packagePrice: "1" }, "1");
    expect(run).toThrow(/packageSize must be greater than 0/);
  });

  it("substitutes parameters and explains the rounding", () => {
    const spec = {
      type: "package",
      data: { packageSize: { param: "size" }, packagePrice: "3" },
      params: [{ key: "size", type: "quantity" as const, default: "10" }],
    };
    const run = runNode(spec, { in: "25" });
    expect(run.out.out).toBe("9");
    expect(run.explanation?.text).toBe("⌈25 / 10⌉ = 3 package(s) × 3 = 9");
    expect(runNode(spec, { in: "25" }, { params: { size: "5" } }).out.out).toBe("15");
  });
});
