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

  it("bounds digits: at most 40 in all, for strings and numbers alike", () => {
    const widest = `-${"9".repeat(25)}.${"1".repeat(15)}`;
    expect(decimalString.parse(widest)).toBe(widest);
    expect(decimalString.parse(`0.${"0".repeat(38)}1`)).toBe(`0.${"0".repeat(38)}1`);
    const tooLong = decimalString.safeParse("9".repeat(1100));
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0].message).toBe("has 1100 digits (at most 40)");
    expect(decimalString.safeParse(`1${"0".repeat(2000)}`).success).toBe(false);
    expect(decimalString.safeParse(`0.${"0".repeat(39)}1`).error?.issues[0].message).toBe(
      "has 41 digits (at most 40)",
    );
    expect(decimalString.safeParse(1e40).success).toBe(false);
    expect(decimalString.parse(1e39)).toBe(`1${"0".repeat(39)}`);
    expect(decimalString.safeParse(1e-40).success).toBe(false);
    expect(DECIMAL_PATTERN.test("1".repeat(41))).toBe(false);
    expect(DECIMAL_PATTERN.test("1.2.3")).toBe(false);
    expect([
      isDecimalValue(1e308),
      isDecimalValue("12.5"),
      isDecimalValue(12.5),
      isDecimalValue("9".repeat(99)),
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
