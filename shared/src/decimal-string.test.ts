import { describe, expect, it } from "vitest";
import { currencyMinorUnits, minorUnits } from "./currencies.ts";
import { DECIMAL_PATTERN, decimalString, isDecimalValue, numberToDecimalString } from "./decimal-string.ts";

describe("numberToDecimalString", () => {
  it.each([
    [0.004, "0.004"],
    [12000, "12000"],
    [1e21, "1000000000000000000000"],
    [1.5e-7, "0.00000015"],
    [-2.5e22, "-25000000000000000000000"],
  ])("%s → %s", (input, expected) => {
    expect(numberToDecimalString(input)).toBe(expected);
  });
});

describe("decimalString", () => {
  it("accepts strings and numbers, rejects exponent and junk", () => {
    expect(decimalString.parse("12.50")).toBe("12.50");
    expect(decimalString.parse(0.1)).toBe("0.1");
    expect(decimalString.safeParse("1e5").success).toBe(false);
    expect(decimalString.safeParse("12.").success).toBe(false);
    expect(decimalString.safeParse(Number.NaN).success).toBe(false);
  });

  it("bounds digits: 20 before the point and 20 after, for strings and numbers alike", () => {
    const widest = `-${"9".repeat(20)}.${"1".repeat(20)}`;
    expect(decimalString.parse(widest)).toBe(widest);
    const tooLong = decimalString.safeParse("9".repeat(1100));
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0].message).toBe("has 1100 digits before the point (at most 20)");
    expect(decimalString.safeParse(`1${"0".repeat(2000)}`).success).toBe(false);
    expect(decimalString.safeParse(`0.${"0".repeat(20)}1`).error?.issues[0].message).toMatch(
      /after the point/,
    );
    expect(decimalString.safeParse(1e20).success).toBe(false);
    expect(decimalString.parse(1e19)).toBe("10000000000000000000");
    expect(decimalString.safeParse(1e-21).success).toBe(false);
    expect(DECIMAL_PATTERN.test("1".repeat(21))).toBe(false);
    expect([
      isDecimalValue(1e300),
      isDecimalValue("12.5"),
      isDecimalValue(12.5),
      isDecimalValue("1".repeat(21)),
    ]).toEqual([false, true, true, false]);
  });
});

describe("currencies", () => {
  it("knows minor units", () => {
    expect(minorUnits("USD")).toBe(2);
    expect(minorUnits("JPY")).toBe(0);
    expect(minorUnits("KWD")).toBe(3);
    expect(minorUnits("CLF")).toBe(4);
    expect(currencyMinorUnits.size).toBeGreaterThan(150);
    expect(() => minorUnits("HRK")).toThrow();
  });
});
