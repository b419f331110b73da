import { Decimal, MAX_DECIMAL_DIGITS } from "@pricegraph/shared";
import { type SQL, sql } from "drizzle-orm";

/**
 * When an event property counts as a number: a JSON number, or text Postgres reads as a finite number (digits
 * with an optional sign, point and exponent, spaces around). One pattern, read by ingestion's classification
 * (JavaScript) and by aggregation (Postgres), so a value cannot count in one and be reported lost by the other.
 * A missing or null property counts as 0; anything else (words, "NaN", true, an object) counts for nothing and
 * is reported as unmatched usage (`nonNumericValue`).
 */
export const NUMERIC_TEXT = "^ *[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]{1,4})? *$";
const numericText = new RegExp(NUMERIC_TEXT);
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

export function countsAsNumber(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && numericText.test(value);
}

/**
 * A value that counts as a number but has more than MAX_DECIMAL_DIGITS digits written out (1e300, or a
 * 50-digit string): refused at ingestion like every decimal beyond the bound, instead of poisoning every bill.
 */
export function beyondDecimalBound(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  // The common cases without a Decimal: a JSON number or plain digits, counted as written.
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text === "string" && PLAIN_DECIMAL.test(text)) {
    return text.length - (text.startsWith("-") ? 1 : 0) - (text.includes(".") ? 1 : 0) > MAX_DECIMAL_DIGITS;
  }
  if (!countsAsNumber(value)) return false;
  const plain = new Decimal(typeof value === "number" ? value : (value as string).trim()).abs().toFixed();
  return plain.replace(/\./, "").length > MAX_DECIMAL_DIGITS;
}

/**
 * A property as numeric in SQL (events aliased `e`). The fast form casts directly and fails (or yields NaN) on
 * a value that is not a number; the caller then runs the statement again in the safe form, where such a value
 * is NULL: it adds nothing to a sum, is no minimum, maximum or latest value, changes no level.
 */
export function numericProperty(property: string, safe: boolean): SQL {
  if (!safe) return sql`coalesce((e.properties ->> ${property})::numeric, 0)`;
  return sql`CASE jsonb_typeof(e.properties -> ${property})
    WHEN 'number' THEN (e.properties -> ${property})::numeric
    WHEN 'string' THEN CASE WHEN (e.properties ->> ${property}) ~ ${NUMERIC_TEXT} THEN (e.properties ->> ${property})::numeric END
    WHEN 'null' THEN 0
    ELSE CASE WHEN e.properties -> ${property} IS NULL THEN 0 END END`;
}
