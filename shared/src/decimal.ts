import DecimalJs from "decimal.js";

/**
 * The project's one Decimal constructor: the engine prices with it, the server sums and rounds with it, the web
 * previews with it (through the engine's re-export). It lives here, at the bottom of the dependency graph,
 * because shared itself needs it (prorations) and cannot import the engine.
 *
 * 40 significant digits: the library default of 20 would silently round a 20-digit usage times a rate.
 * Exponent notation is pushed far out so toString() is always plain digits.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -1000,
  toExpPos: 1000,
});
export type Decimal = InstanceType<typeof Decimal>;
