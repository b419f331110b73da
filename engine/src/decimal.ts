import DecimalJs from "decimal.js";

/**
 * The engine's own Decimal constructor. 40 significant digits: the library default of 20 would silently
 * round a 20-digit usage times a rate. Exponent notation is pushed far out so toString() is always plain.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -1000,
  toExpPos: 1000,
});
export type Decimal = InstanceType<typeof Decimal>;

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);
export const HUNDRED = new Decimal(100);

/** Plain decimal text without a negative zero. */
export function decimalText(value: Decimal): string {
  return value.isZero() ? "0" : value.toString();
}

/** Rounds half-up to `places` decimals and writes exactly that many ("44.00", JPY "1024"). */
export function fixed(value: Decimal, places: number): string {
  const text = value.toFixed(places, Decimal.ROUND_HALF_UP);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

const grouping = /\B(?=(\d{3})+(?!\d))/g;

/** Human text for explanations: thousands separated, exact ("10,000", "0.004"). */
export function humanNumber(value: Decimal): string {
  const [whole, fraction] = decimalText(value).split(".");
  const grouped = whole.replace(grouping, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export const minOf = (a: Decimal, b: Decimal): Decimal => (a.lt(b) ? a : b);
export const maxOf = (a: Decimal, b: Decimal): Decimal => (a.gt(b) ? a : b);
