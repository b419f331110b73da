import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

describe("constant", () => {
  it.each([["0"], ["1"], ["12.345"], ["12345678901234567890123.45"]])("money %s", (value) => {
    expect(runNode({ type: "constant", data: { value, valueType: "money" }, inputs: {} }, {}).out.out).toBe(
      value,
    );
  });

  it("exposes a parameter", () => {
    const spec = {
      type: "constant",
      data: { value: { param: "fee" }, valueType: "money" },
      inputs: {},
      params: [{ key: "fee", type: "money" as const, default: "10" }],
    };
    expect(runNode(spec, {}).out.out).toBe("10");
    expect(runNode(spec, {}, { params: { fee: "11.5" } }).out.out).toBe("11.5");
  });
});
