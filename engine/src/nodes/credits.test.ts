import { describe, expect, it } from "vitest";
import { runNode } from "../testing/plan.ts";

describe("credits", () => {
  const spec = { type: "credits", data: { grant: "startup" }, inputs: { in: "money" as const } };
  it.each([
    ["500", "0", "0", "0", "500"],
    ["500", "1", "0", "-1", "499"],
    ["500", "499.99", "0", "-499.99", "0.01"],
    ["500", "500", "0", "-500", "0"],
    ["500", "500.01", "0.01", "-500", "0"],
    ["0", "50", "50", "0", "0"],
    ["500", "-20", "-20", "0", "500"], // a credit line is never drawn into
    ["12345678901234567890123", "12345678901234567890000", "0", "-12345678901234567890000", "123"],
  ])("balance %s, charge %s → out %s, applied %s, closing %s", (balance, charge, out, applied, closing) => {
    const run = runNode(spec, { in: charge }, { credits: { startup: balance } });
    expect(run.out).toEqual({ out, applied });
    expect(run.output?.credits.startup.closing).toBe(closing);
  });

  it("treats a missing pool as empty, with a warning", () => {
    const run = runNode(spec, { in: "10" });
    expect(run.out).toEqual({ out: "10", applied: "0" });
    expect(run.output?.credits).toEqual({ startup: { opening: "0", used: "0", closing: "0" } });
    expect(run.output?.warnings).toEqual([
      expect.objectContaining({ code: "MISSING_CREDIT_POOL", nodeId: "n", severity: "warning" }),
    ]);
  });

  it("never draws from a negative balance", () => {
    const run = runNode(spec, { in: "10" }, { credits: { startup: "-5" } });
    expect(run.out).toEqual({ out: "10", applied: "0" });
    expect(run.output?.credits.startup).toEqual({ opening: "-5", used: "0", closing: "-5" });
  });
});
