import { z } from "zod";

/**
 * The one bound on every decimal the API accepts (plan documents, parameters and overrides, credit grants and
 * notes, usage, event values): at most 40 digits in all, before and after the point. 40 is the engine's
 * precision, so an accepted value is always computed exactly, and it bounds magnitude (below 10^40) and
 * fineness (10^-39) alike; beyond it a value is refused with a 400 instead of poisoning every later bill.
 */
export const MAX_DECIMAL_DIGITS = 40;

/** A decimal as the wire carries it, `-?digits[.digits]`, with at most MAX_DECIMAL_DIGITS digits. */
export const DECIMAL_PATTERN = new RegExp(`^-?(?=(?:\\d\\.?){1,${MAX_DECIMAL_DIGITS}}$)\\d+(\\.\\d+)?$`);
const DECIMAL_SHAPE = /^-?(\d+)(?:\.(\d+))?$/;

/** Why a text is not an accepted decimal, or null when it is one. */
export function decimalProblem(value: string): string | null {
  const match = DECIMAL_SHAPE.exec(value);
  if (!match) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `"${shown}" is not a decimal (expected digits with an optional fraction, like "12.50")`;
  }
  const digits = match[1].length + (match[2]?.length ?? 0);
  if (digits > MAX_DECIMAL_DIGITS) return `has ${digits} digits (at most ${MAX_DECIMAL_DIGITS})`;
  return null;
}

/** A decimal string or a finite JSON number within the bound (what a numeric event property may hold). */
export function isDecimalValue(value: unknown): boolean {
  if (typeof value === "number") {
    return Number.isFinite(value) && DECIMAL_PATTERN.test(numberToDecimalString(value));
  }
  return typeof value === "string" && value.length <= MAX_DECIMAL_DIGITS + 2 && DECIMAL_PATTERN.test(value);
}

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

/** Accepts a decimal string or a JSON number (converted from its shortest text) within the bound. */
export const decimalString = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    if (typeof value === "number" && !Number.isFinite(value)) {
      ctx.addIssue({ code: "custom", message: "must be a finite decimal" });
      return z.NEVER;
    }
    const text = typeof value === "number" ? numberToDecimalString(value) : value;
    const problem = decimalProblem(text);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return text;
  })
  .meta({
    type: "string",
    pattern: DECIMAL_PATTERN.source,
    description: `decimal string, e.g. "12.50", of at most ${MAX_DECIMAL_DIGITS} digits`,
  });
