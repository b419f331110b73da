import type { BillingPeriod } from "../../db/schema/index.ts";

/**
 * Billing periods are anchored on the contract's start date, in the customer's time zone: a monthly contract
 * starting 2025-01-31 has periods starting Jan 31, Feb 28, Mar 31, … (the anchor day, clamped to the month's end).
 */
export const PERIOD_MONTHS: Record<BillingPeriod, number> = { monthly: 1, quarterly: 3, yearly: 12 };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split("-").map(Number);
  return [y, m, d];
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** `anchor` plus `months` months, the anchor's day clamped to the target month's length. */
export function addMonths(anchor: string, months: number): string {
  const [y, m, d] = parts(anchor);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

/** The calendar date an instant falls on in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
  return text; // en-CA formats as YYYY-MM-DD
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const fields = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(fields.find((f) => f.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant local midnight starts `date` in `timeZone` (DST-safe: two passes over the offset). */
export function startOfDay(date: string, timeZone: string): Date {
  const [y, m, d] = parts(date);
  const wall = Date.UTC(y, m - 1, d);
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant);
}

export interface Period {
  /** Local dates: the period is [startDate, endDate). */
  startDate: string;
  endDate: string;
  start: Date;
  end: Date;
  /** Served fraction of the period (below 1 when the contract ends inside it). */
  proration: string;
}

/** The period of a contract containing `at` (the first one before the start, the last one after the end). */
export function periodAt(
  contract: { startDate: string; endDate: string | null; billingPeriod: BillingPeriod },
  at: Date,
  timeZone: string,
): Period {
  const step = PERIOD_MONTHS[contract.billingPeriod];
  let today = localDate(at, timeZone);
  // After the end, the last period (the one holding the contract's last day).
  if (contract.endDate && today >= contract.endDate) today = previousDay(contract.endDate);
  if (today < contract.startDate) today = contract.startDate;
  const [sy, sm] = parts(contract.startDate);
  const [ty, tm] = parts(today);
  let n = Math.floor(((ty - sy) * 12 + (tm - sm)) / step);
  while (n > 0 && addMonths(contract.startDate, n * step) > today) n--;
  while (addMonths(contract.startDate, (n + 1) * step) <= today) n++;
  const startDate = addMonths(contract.startDate, n * step);
  const naturalEnd = addMonths(contract.startDate, (n + 1) * step);
  const endDate = contract.endDate && contract.endDate < naturalEnd ? contract.endDate : naturalEnd;
  const start = startOfDay(startDate, timeZone);
  const end = startOfDay(endDate, timeZone);
  const full = startOfDay(naturalEnd, timeZone).getTime() - start.getTime();
  const served = end.getTime() - start.getTime();
  return { startDate, endDate, start, end, proration: served === full ? "1" : fraction(served, full) };
}

function previousDay(date: string): string {
  const [y, m, d] = parts(date);
  const prev = new Date(Date.UTC(y, m - 1, d - 1));
  return format(prev.getUTCFullYear(), prev.getUTCMonth() + 1, prev.getUTCDate());
}

/** served/full as a decimal string with 10 places (the engine rounds only at the line). */
function fraction(served: number, full: number): string {
  const scaled = (BigInt(served) * 10n ** 10n) / BigInt(full);
  const text = scaled.toString().padStart(11, "0");
  return `${text.slice(0, -10)}.${text.slice(-10)}`.replace(/\.?0+$/, "") || "0";
}
