import { Decimal } from "@pricegraph/shared";

// The project's one Decimal configuration (see shared/src/decimal.ts); the engine re-exports it for the web.
export { Decimal };

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);
export const HUNDRED = new Decimal(100);

/** Plain decimal text (never exponent notation) without a negative zero. */
export function decimalText(value: Decimal): string {
  return value.isZero() ? "0" : value.toFixed();
}

/** Rounds half-up to `places` decimals and writes exactly that many ("44.00", JPY "1024"). */
export function fixed(value: Decimal, places: number): string {
  return padded(value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP), places);
}

/**
 * Plain text of a value that has at most `places` decimals, padded with zeros to exactly that many;
 * a zero (also a negative one) is written without a sign. Cheaper than toFixed, which rounds again.
 */
export function padded(value: Decimal, places: number): string {
  const text = decimalText(value);
  if (places <= 0) return text;
  const point = text.indexOf(".");
  const have = point === -1 ? 0 : text.length - point - 1;
  return (point === -1 ? `${text}.` : text) + "0".repeat(places - have);
}

/** Human text for explanations: thousands separated, exact ("10,000", "0.004"). */
export function humanNumber(value: Decimal): string {
  // A hand-written loop: explanations call this for every number they show, and a regex was the hot spot.
  const text = decimalText(value);
  const sign = text.charCodeAt(0) === 45 ? 1 : 0;
  const point = text.indexOf(".");
  const end = point === -1 ? text.length : point;
  if (end - sign <= 3) return text;
  const head = (end - sign) % 3 || 3;
  let out = text.slice(0, sign + head);
  for (let i = sign + head; i < end; i += 3) out += `,${text.slice(i, i + 3)}`;
  return out + text.slice(end);
}

export const minOf = (a: Decimal, b: Decimal): Decimal => (a.lt(b) ? a : b);
export const maxOf = (a: Decimal, b: Decimal): Decimal => (a.gt(b) ? a : b);
