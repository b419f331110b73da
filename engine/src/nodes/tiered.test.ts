import { describe, expect, it } from "vitest";
import { priceOf, runNode } from "../testing/plan.ts";

const tiers = [
  { upTo: "100", unitPrice: "1" },
  { upTo: "1000", unitPrice: "0.5" },
  { upTo: null, unitPrice: "0.1" },
];

describe("tiered (graduated)", () => {
  it.each([
    ["0", "0"],
    ["1", "1"],
    ["100", "100"], // top of tier 1
    ["101", "100.5"], // first unit of tier 2
    ["100.5", "100.25"], // fractional usage straddling the boundary
    ["0.5", "0.5"],
    ["1000", "550"],
    ["1001", "550.1"],
    ["12345678901234567890123", "1234567890123456789462.3"], // 23 digits, exact
  ])("%s units → %s", (q, expected) => {
    expect(priceOf("tiered", { tiers }, q)).toBe(expected);
  });

  const withFlat = [
    { upTo: "100", unitPrice: "1", flatFee: "10" },
    { upTo: null, unitPrice: "0.5", flatFee: "20" },
  ];
  it.each([
    [undefined, "0", "0"],
    [false, "0", "0"],
    [true, "0", "10"], // first tier's flat fee (and 0 × its price) at zero usage
    [false, "1", "11"],
    [true, "100", "110"],
    [false, "101", "130.5"], // both tiers' flat fees once tier 2 holds usage
  ])("chargeAtZero %s, %s units → %s", (chargeAtZero, q, expected) => {
    const data = chargeAtZero === undefined ? { tiers: withFlat } : { tiers: withFlat, chargeAtZero };
    expect(priceOf("tiered", data, q)).toBe(expected);
  });

  it("substitutes parameters in tier cells, with contract overrides", () => {
    const spec = {
      type: "tiered",
      data: {
        tiers: [
          { upTo: { param: "included" }, unitPrice: "0" },
          { upTo: null, unitPrice: { param: "rate" } },
        ],
      },
      params: [
        { key: "included", type: "quantity" as const, default: "10" },
        { key: "rate", type: "money" as const, default: "2" },
      ],
    };
    expect(runNode(spec, { in: "15" }).out.out).toBe("10");
    expect(runNode(spec, { in: "15" }, { params: { rate: "3", included: "12" } }).out.out).toBe("9");
  });

  it("explains one item per tier used", () => {
    const run = runNode({ type: "tiered", data: { tiers } }, { in: "150" });
    expect(run.explanation?.text).toBe("100 × 1 + 50 × 0.5 = 125");
    expect(run.explanation?.items).toEqual([
      {
        text: "tier 1 (0–100): 100 × 1",
        tier: "1",
        quantity: "100",
        unitPrice: "1",
        flatFee: "0",
        amount: "100",
      },
      {
        text: "tier 2 (100–1,000): 50 × 0.5",
        tier: "2",
        quantity: "50",
        unitPrice: "0.5",
        flatFee: "0",
        amount: "25",
      },
    ]);
    expect(run.explanation?.inputs).toEqual({ in: "150" });
    expect(run.explanation?.outputs).toEqual({ out: "125" });
  });
});
