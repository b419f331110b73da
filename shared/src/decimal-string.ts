import { z } from "zod";

/** A decimal as the wire carries it: `-?digits[.digits]`. */
export const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** Shortest decimal text of a JSON number, without exponent notation (1e21 → "1000000000000000000000"). */
export function numberToDecimalString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = "", exponentText] = match;
  const exponent = Number(exponentText);
  const digits = whole + fraction;
  const point = whole.length + exponent;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`.replace(/\.?0+$/, "");
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Accepts a decimal string or a JSON number (converted from its shortest text); yields the string. */
export const decimalString = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    if (typeof value === "number") {
      if (!Number.isFinite(value)) {
        ctx.addIssue({ code: "custom", message: "must be a finite decimal" });
        return z.NEVER;
      }
      return numberToDecimalString(value);
    }
    if (!DECIMAL_PATTERN.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is not a decimal (expected digits with an optional fraction, like "12.50")`,
      });
      return z.NEVER;
    }
    return value;
  })
  .meta({ type: "string", pattern: DECIMAL_PATTERN.source, description: 'decimal string, e.g. "12.50"' });
