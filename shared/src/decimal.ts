import DecimalJs from "decimal.js";

/**
 * The project's one Decimal constructor: the engine prices with it, the server sums and rounds with it, the web
 * previews with it (through the engine's re-export). It lives here, at the bottom of the dependency graph,
 * because shared itself needs it (prorations) and cannot import the engine.
 *
 * 40 significant digits: the library default of 20 would silently round a 20-digit usage times a rate.
 * Exponent notation is off up to decimal.js's own limits (±9e15), so toString() and JSON are plain digits
 * whatever the magnitude (a chain of multiplications can pass 1e1000).
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Decimal = InstanceType<typeof Decimal>;
