import { describe, expect, it } from "vitest";
import { priceOf, runNode } from "../testing/plan.ts";

const tiers = [
  { upTo: "100", unitPrice: "1" },
  { upTo: "1000", unitPrice: "0.5", flatFee: "5" },
  { upTo: null, unitPrice: "0.1" },
];

describe("volume", () => {
  it.each([
    ["0", "0"],
    ["1", "1"],
    ["100", "100"], // top of tier 1: all at 1
    ["101", "55.5"], // first unit of tier 2: all 101 at 0.5 + 5
    ["100.5", "55.25"], // fractional usage lands in tier 2
    ["0.25", "0.25"],
    ["1000", "505"],
    ["1001", "100.1"],
    ["12345678901234567890123", "1234567890123456789012.3"],
  ])("%s units → %s", (q, expected) => {
    expect(priceOf("volume", { tiers }, q)).toBe(expected);
  });

  it.each([
    [undefined, "0"],
    [false, "0"],
    [true, "7"],
  ])("chargeAtZero %s at zero usage → %s", (chargeAtZero, expected) => {
    const flatFirst = [
      { upTo: "10", unitPrice: "1", flatFee: "7" },
      { upTo: null, unitPrice: "0.5" },
    ];
    const data = chargeAtZero === undefined ? { tiers: flatFirst } : { tiers: flatFirst, chargeAtZero };
    expect(priceOf("volume", data, "0")).toBe(expected);
  });

  it("treats negative usage as zero usage", () => {
    const flatFirst = [
      { upTo: "10", unitPrice: "1", flatFee: "7" },
      { upTo: null, unitPrice: "0.5" },
    ];
    expect(priceOf("volume", { tiers: flatFirst }, "-5")).toBe("0");
    expect(priceOf("volume", { tiers: flatFirst, chargeAtZero: true }, "-5")).toBe("7");
    expect(priceOf("tiered", { tiers: flatFirst, chargeAtZero: true }, "-5")).toBe("7");
    expect(priceOf("step", { steps: [{ upTo: null, price: "3" }], chargeAtZero: false }, "-5")).toBe("0");
  });

  it("substitutes a parameter in a tier's price", () => {
    const spec = {
      type: "volume",
      data: { tiers: [{ upTo: null, unitPrice: { param: "rate" } }] },
      params: [{ key: "rate", type: "money" as const, default: "0.2" }],
    };
    expect(runNode(spec, { in: "10" }).out.out).toBe("2");
    expect(runNode(spec, { in: "10" }, { params: { rate: "0.3" } }).out.out).toBe("3");
  });

  it("explains the one tier that priced every unit", () => {
    const run = runNode({ type: "volume", data: { tiers } }, { in: "200" });
    expect(run.explanation?.text).toBe("200 × 0.5 + 5 = 105");
    expect(run.explanation?.items).toEqual([
      { text: "tier 2", tier: "2", quantity: "200", unitPrice: "0.5", flatFee: "5", amount: "105" },
    ]);
  });
});
