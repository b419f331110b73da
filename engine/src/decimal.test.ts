import { describe, expect, it } from "vitest";
import { Decimal, decimalText, fixed, humanNumber } from "./decimal.ts";

describe("decimal helpers", () => {
  it.each([
    ["0", "0"],
    ["-0", "0"],
    ["999", "999"],
    ["1000", "1,000"],
    ["-1000.5", "-1,000.5"],
    ["123456", "123,456"],
    ["0.004", "0.004"],
    ["12345678901234567890123.45", "12,345,678,901,234,567,890,123.45"],
  ])("humanNumber(%s) = %s", (value, expected) => {
    expect(humanNumber(new Decimal(value))).toBe(expected);
  });

  it("keeps 40 significant digits and never writes exponents", () => {
    expect(decimalText(new Decimal("12345678901234567890123").times("0.004"))).toBe(
      "49382715604938271560.492",
    );
    expect(decimalText(new Decimal("1e-30"))).toBe("0.000000000000000000000000000001");
    expect(new Decimal(1).div(3).toString()).toHaveLength(42);
  });

  it("writes plain digits at any magnitude: text, fixed amounts and JSON", () => {
    const huge = new Decimal(`1${"0".repeat(2000)}`);
    expect(decimalText(huge)).toBe(`1${"0".repeat(2000)}`);
    expect(fixed(huge.div(2), 2)).toBe(`5${"0".repeat(1999)}.00`);
    expect(huge.toString()).not.toMatch(/e/);
    expect(JSON.stringify({ v: huge.negated() })).toBe(`{"v":"-1${"0".repeat(2000)}"}`);
    expect(decimalText(new Decimal("1e-1500"))).toBe(`0.${"0".repeat(1499)}1`);
  });

  it("fixed rounds half-up and never writes a negative zero", () => {
    expect(fixed(new Decimal("2.345"), 2)).toBe("2.35");
    expect(fixed(new Decimal("-2.345"), 2)).toBe("-2.35");
    expect(fixed(new Decimal("-0.001"), 2)).toBe("0.00");
    expect(fixed(new Decimal("1023.5"), 0)).toBe("1024");
  });
});
