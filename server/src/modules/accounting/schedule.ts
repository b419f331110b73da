import { Decimal, fixed } from "@pricegraph/engine";
import { daysBetween, parseLocalDate } from "@pricegraph/shared";

/** A month as `YYYY-MM`. */
export type Month = string;

export const monthOf = (isoDate: string): Month => isoDate.slice(0, 7);

export function nextMonth(month: Month): Month {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

export function firstDayOf(month: Month): string {
  return `${month}-01`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) out.push(m);
  return out;
}

/**
 * Splits `amount` over parts proportionally to `weights`, at `places` decimals, so the parts add up to `amount`
 * exactly: each part is the rounded running total minus the rounded running total before it (no part is off by
 * more than one minor unit, and signs follow the weights).
 */
export function allocate(amount: Decimal, weights: readonly Decimal[], places: number): Decimal[] {
  const total = weights.reduce((s, w) => s.plus(w), new Decimal(0));
  if (total.isZero()) {
    // Nothing to weigh by: everything on the last part.
    return weights.map((_, i) => (i === weights.length - 1 ? amount : new Decimal(0)));
  }
  let running = new Decimal(0);
  let before = new Decimal(0);
  return weights.map((weight, i) => {
    running = running.plus(weight);
    const upTo =
      i === weights.length - 1 ? amount : new Decimal(fixed(amount.times(running).div(total), places));
    const part = upTo.minus(before);
    before = upTo;
    return part;
  });
}

/** The days of [startDate, endDate) in each calendar month they touch. */
export function daysPerMonth(startDate: string, endDate: string): { month: Month; days: number }[] {
  const out: { month: Month; days: number }[] = [];
  let cursor = startDate;
  while (cursor < endDate) {
    const month = monthOf(cursor);
    const next = firstDayOf(nextMonth(month));
    const stop = next < endDate ? next : endDate;
    out.push({ month, days: daysBetween(parseLocalDate(cursor), parseLocalDate(stop)) });
    cursor = stop;
  }
  return out;
}

/**
 * Recognition of `amount` earned evenly per day over [startDate, endDate): the amount of each month, at the
 * currency's minor unit, adding up to `amount`. An empty period (a one-off fee) is all in `fallbackMonth`.
 */
export function dailySchedule(
  amount: Decimal,
  startDate: string,
  endDate: string,
  places: number,
  fallbackMonth: Month,
): { month: Month; amount: Decimal }[] {
  const months = daysPerMonth(startDate, endDate);
  if (months.length === 0) return [{ month: fallbackMonth, amount }];
  const parts = allocate(
    amount,
    months.map((m) => new Decimal(m.days)),
    places,
  );
  return months.map((m, i) => ({ month: m.month, amount: parts[i] }));
}
