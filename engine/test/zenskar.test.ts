import { describe, expect, it } from "vitest";
import { runNode } from "../src/testing/plan.ts";

// The worked examples of Zenskar's public pricing-model docs (docs.zenskar.com / docs2.zenskar.com,
// "Pricing models"), with their tables translated into `upTo` tiers. Zenskar writes ranges as
// "0–500, 501–2,000, 2,001+"; with integer usage those are exactly our (0, 500], (500, 2000], (2000, ∞).
// Where Zenskar's last tier is bounded (tiered with flat fee: "501 – 1,000 GB") we make it unbounded, as the
// spec requires; the example's usage stays inside it either way.
const charge = (type: string, data: Record<string, unknown>, q: string) => {
  const run = runNode({ type, data }, { in: q });
  if (!run.ok || !run.output) throw new Error(JSON.stringify(run.problems));
  return run.output.lines[0].amount;
};

describe("Zenskar worked examples", () => {
  it("tiered: 1,500 GB → 2,500", () => {
    const tiers = [
      { upTo: "500", unitPrice: "2.00" },
      { upTo: "2000", unitPrice: "1.50" },
      { upTo: null, unitPrice: "1.00" },
    ];
    expect(charge("tiered", { tiers }, "1500")).toBe("2500.00");
  });

  it("tiered with flat fee: 750 GB → 448", () => {
    const tiers = [
      { upTo: "100", unitPrice: "0.01", flatFee: "50.00" },
      { upTo: "500", unitPrice: "0.08", flatFee: "100.00" },
      { upTo: null, unitPrice: "0.06", flatFee: "250.00" },
    ];
    // 50 + 100 × 0.01 + 100 + 400 × 0.08 + 250 + 250 × 0.06 = 51 + 132 + 265
    expect(charge("tiered", { tiers }, "750")).toBe("448.00");
  });

  it("volume with flat fee: 1,500 GB → 220", () => {
    const tiers = [
      { upTo: "500", unitPrice: "0.01", flatFee: "50.00" },
      { upTo: "2000", unitPrice: "0.08", flatFee: "100.00" },
      { upTo: null, unitPrice: "0.06", flatFee: "250.00" },
    ];
    expect(charge("volume", { tiers }, "1500")).toBe("220.00");
  });

  it("step: 1,500 GB → 300", () => {
    const steps = [
      { upTo: "500", price: "100.00" },
      { upTo: "2000", price: "300.00" },
      { upTo: null, price: "600.00" },
    ];
    expect(charge("step", { steps }, "1500")).toBe("300.00");
  });

  it.each([
    ["100", "8.00"],
    ["101", "16.00"],
    ["250", "24.00"],
    ["301", "32.00"],
  ])("package of 100 messages at 8: %s → %s", (q, expected) => {
    expect(charge("package", { packageSize: "100", packagePrice: "8.00" }, q)).toBe(expected);
  });
});
