import { describe, expect, it } from "vitest";
import { currencyMinorUnits, minorUnits } from "./currencies.ts";
import { decimalString, numberToDecimalString } from "./decimal-string.ts";

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
