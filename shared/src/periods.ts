import type { BillingPeriod } from "./api/enums.ts";
import { Decimal } from "./decimal.ts";
import {
  addDays,
  compareLocalDates,
  daysBetween,
  formatLocalDate,
  LAST_SUPPORTED_LOCAL_DATE,
  type LocalDate,
  localDateOf,
  parseSupportedDate,
  startOfLocalDay,
} from "./local-dates.ts";

/**
 * Billing periods, pure. Periods are **calendar periods** in the customer's time zone (Lago's calendar billing):
 * monthly periods start on the 1st, quarterly on Jan/Apr/Jul/Oct 1st, yearly on Jan 1st, each at local midnight.
 * A contract that starts mid-period gets a partial first period from its start date; one that ends mid-period a
 * partial last period through its end date (inclusive). Proration = days served / days in the calendar period,
 * counted in local calendar days inclusively (Jan 15–31 of a 31-day January serves 17/31).
 *
 * Every boundary is the UTC instant of a local midnight, and a period ends exactly where the next one starts, so
 * each instant belongs to exactly one period whatever the zone's DST rules.
 */

export interface ContractTerms {
  /** First day served, `YYYY-MM-DD` in the customer's zone. */
  startDate: string;
  /** Last day served (inclusive), or null while the contract runs. */
  endDate?: string | null;
  billingPeriod: BillingPeriod;
  timezone: string;
}

export interface Period {
  /** 0 for the contract's first period. */
  index: number;
  /** Served interval [start, end) as UTC instants. */
  start: Date;
  end: Date;
  /** Served interval as local dates: first day, and the day after the last. */
  startDate: string;
  endDate: string;
  /** The whole calendar period the served interval lies in. */
  periodStartDate: string;
  periodEndDate: string;
  daysServed: number;
  daysInPeriod: number;
  /** daysServed / daysInPeriod as a decimal string ("1" for a full period). */
  proration: string;
  /** True when the contract ends with this period. */
  last: boolean;
}

const MONTHS: Record<BillingPeriod, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/** First day of the calendar period holding `date`. */
export function calendarPeriodStart(date: LocalDate, period: BillingPeriod): LocalDate {
  const size = MONTHS[period];
  const month = Math.floor((date.month - 1) / size) * size + 1;
  return { year: date.year, month, day: 1 };
}

/** First day of the calendar period after the one starting at `start` (a period start). */
export function nextPeriodStart(start: LocalDate, period: BillingPeriod): LocalDate {
  const months = start.month - 1 + MONTHS[period];
  return { year: start.year + Math.floor(months / 12), month: (months % 12) + 1, day: 1 };
}

const prorations = new Map<string, string>();

/** daysServed / daysInPeriod as a decimal string, "1" for a full period. */
export function prorationOf(served: number, days: number): string {
  if (served === days) return "1";
  const key = `${served}/${days}`;
  let value = prorations.get(key);
  if (value === undefined) {
    value = new Decimal(served).div(days).toFixed();
    prorations.set(key, value);
  }
  return value;
}

// ---- periods ----------------------------------------------------------------------------------------------

function makePeriod(
  index: number,
  servedStart: LocalDate,
  servedEnd: LocalDate,
  calStart: LocalDate,
  calEnd: LocalDate,
  timeZone: string,
  last: boolean,
): Period {
  const daysServed = daysBetween(servedStart, servedEnd);
  const daysInPeriod = daysBetween(calStart, calEnd);
  return {
    index,
    start: startOfLocalDay(servedStart, timeZone),
    end: startOfLocalDay(servedEnd, timeZone),
    startDate: formatLocalDate(servedStart),
    endDate: formatLocalDate(servedEnd),
    periodStartDate: formatLocalDate(calStart),
    periodEndDate: formatLocalDate(calEnd),
    daysServed,
    daysInPeriod,
    proration: prorationOf(daysServed, daysInPeriod),
    last,
  };
}

/** The calendar period `index` periods after the one starting at `calStart0` (month arithmetic, no loop). */
function calendarPeriodAt(calStart0: LocalDate, index: number, period: BillingPeriod): LocalDate {
  const months = calStart0.month - 1 + index * MONTHS[period];
  return { year: calStart0.year + Math.floor(months / 12), month: (months % 12) + 1, day: 1 };
}

/** How many whole periods lie between two period starts (a and b both start a calendar period). */
function periodsBetween(a: LocalDate, b: LocalDate, period: BillingPeriod): number {
  return Math.floor(((b.year - a.year) * 12 + (b.month - a.month)) / MONTHS[period]);
}

interface ContractSpan {
  first: LocalDate;
  /** The day after the last day served, or null while the contract runs. */
  stop: LocalDate | null;
  /** Start of the calendar period holding `first`. */
  calStart0: LocalDate;
  /** Index of the contract's last period: its own end, or the period holding LAST_SUPPORTED_DATE. */
  lastIndex: number;
}

function spanOf(terms: ContractTerms): ContractSpan | null {
  const first = parseSupportedDate(terms.startDate, "startDate");
  const stop = terms.endDate ? addDays(parseSupportedDate(terms.endDate, "endDate"), 1) : null;
  if (stop && compareLocalDates(stop, first) <= 0) return null;
  const calStart0 = calendarPeriodStart(first, terms.billingPeriod);
  const lastDay = stop ? addDays(stop, -1) : LAST_SUPPORTED_LOCAL_DATE;
  const lastIndex = periodsBetween(
    calStart0,
    calendarPeriodStart(lastDay, terms.billingPeriod),
    terms.billingPeriod,
  );
  return { first, stop, calStart0, lastIndex };
}

function periodOfSpan(span: ContractSpan, index: number, terms: ContractTerms): Period | null {
  if (index < 0 || index > span.lastIndex) return null;
  const calStart = calendarPeriodAt(span.calStart0, index, terms.billingPeriod);
  const calEnd = nextPeriodStart(calStart, terms.billingPeriod);
  const servedStart = compareLocalDates(calStart, span.first) < 0 ? span.first : calStart;
  const last = span.stop !== null && compareLocalDates(span.stop, calEnd) <= 0;
  const servedEnd = last && span.stop ? span.stop : calEnd;
  return makePeriod(index, servedStart, servedEnd, calStart, calEnd, terms.timezone, last);
}

/**
 * The contract's periods in order, lazily: stops after the contract's last period, or for an open-ended
 * contract after the period holding LAST_SUPPORTED_DATE (callers bound it far earlier, by a date they know).
 */
export function* contractPeriods(terms: ContractTerms): Generator<Period> {
  const span = spanOf(terms);
  if (!span) return;
  for (let index = 0; index <= span.lastIndex; index += 1) {
    const period = periodOfSpan(span, index, terms);
    if (period) yield period;
  }
}

/** The contract's period `index` (0 for the first), or null when it has none. Computed, not iterated. */
export function periodAt(terms: ContractTerms, index: number): Period | null {
  const span = spanOf(terms);
  return span ? periodOfSpan(span, index, terms) : null;
}

/** The contract's last period, or null while it is open-ended. */
export function lastPeriod(terms: ContractTerms): Period | null {
  const span = spanOf(terms);
  return span?.stop ? periodOfSpan(span, span.lastIndex, terms) : null;
}

/** Periods that ended at or before `asOf`. */
export function periodsEndedBy(terms: ContractTerms, asOf: Date): Period[] {
  const out: Period[] = [];
  for (const period of contractPeriods(terms)) {
    if (period.end.getTime() > asOf.getTime()) break;
    out.push(period);
  }
  return out;
}

/** The period serving a local calendar date, or null when the contract does not serve it. */
export function periodHoldingDate(terms: ContractTerms, date: LocalDate): Period | null {
  const span = spanOf(terms);
  if (
    !span ||
    compareLocalDates(date, span.first) < 0 ||
    (span.stop && compareLocalDates(date, span.stop) >= 0)
  )
    return null;
  const index = periodsBetween(
    span.calStart0,
    calendarPeriodStart(date, terms.billingPeriod),
    terms.billingPeriod,
  );
  return periodOfSpan(span, index, terms);
}

/** The period holding an instant, or null when the contract does not serve it. */
export function periodContaining(terms: ContractTerms, instant: Date): Period | null {
  const t = instant.getTime();
  if (!Number.isFinite(t)) return null;
  // The local date decides the period (boundaries are local midnights); the check below keeps DST edges exact.
  const period = periodHoldingDate(terms, localDateOf(instant, terms.timezone));
  return period && period.start.getTime() <= t && t < period.end.getTime() ? period : null;
}

/**
 * The period a report shows for an instant: the one holding it, the first while the contract has not started,
 * the last once it has ended.
 */
export function nearestPeriod(terms: ContractTerms, instant: Date): Period | null {
  const span = spanOf(terms);
  if (!span) return null;
  const first = periodOfSpan(span, 0, terms);
  if (first && instant.getTime() < first.start.getTime()) return first;
  return periodContaining(terms, instant) ?? lastPeriod(terms);
}

/** The period starting at a given instant (an invoice's period), or null. */
export function periodStartingAt(terms: ContractTerms, start: Date): Period | null {
  const period = periodContaining(terms, start);
  return period && period.start.getTime() === start.getTime() ? period : null;
}

/** The period after `period`, or null when the contract ends with it. */
export function periodAfter(terms: ContractTerms, period: Period): Period | null {
  if (period.last) return null;
  return periodAt(terms, period.index + 1);
}
