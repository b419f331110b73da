/**
 * Calendar dates and time zones, pure: `YYYY-MM-DD` dates without a zone, the supported date range, and the
 * UTC instant a local day starts in an IANA zone (Intl offsets, no tz library).
 */

/** A calendar date (no time, no zone). Month is 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The dates period arithmetic covers: contracts start and end, and reports are asked about, within these
 * (both inclusive). The lower bound is the contracts' own; the upper one is the last date `YYYY-MM-DD` can
 * write, so the last period of year 9999 ends on `10000-01-01`. Outside it a date is refused, never looped to.
 */
export const FIRST_SUPPORTED_DATE = "1970-01-01";
export const LAST_SUPPORTED_DATE = "9999-12-31";
const FIRST_DATE: LocalDate = { year: 1970, month: 1, day: 1 };
export const LAST_SUPPORTED_LOCAL_DATE: LocalDate = { year: 9999, month: 12, day: 31 };

/** A calendar date `YYYY-MM-DD` within the supported range. */
export function isSupportedDate(text: string): boolean {
  try {
    parseSupportedDate(text, "date");
    return true;
  } catch {
    return false;
  }
}

/** An instant whose UTC date lies within the supported range (a day of margin either side for time zones). */
export function isSupportedInstant(instant: Date): boolean {
  const t = instant.getTime();
  return Number.isFinite(t) && t >= Date.UTC(1970, 0, 1) - 86_400_000 && t < Date.UTC(10000, 0, 2);
}

/** parseLocalDate, refusing dates outside the supported range with a RangeError naming `field`. */
export function parseSupportedDate(text: string, field: string): LocalDate {
  const date = parseLocalDate(text);
  if (compareLocalDates(date, FIRST_DATE) < 0 || compareLocalDates(date, LAST_SUPPORTED_LOCAL_DATE) > 0) {
    throw new RangeError(`${field} ${text} is outside ${FIRST_SUPPORTED_DATE}..${LAST_SUPPORTED_DATE}`);
  }
  return date;
}

export function parseLocalDate(text: string): LocalDate {
  const match = DATE.exec(text);
  if (!match) throw new Error(`Not a YYYY-MM-DD date: ${text}`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) {
    throw new Error(`Not a calendar date: ${text}`);
  }
  return date;
}

export function formatLocalDate(date: LocalDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 of a calendar date (proleptic Gregorian, zone-free). */
function dayNumber(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / 86_400_000;
}

function fromDayNumber(n: number): LocalDate {
  const d = new Date(n * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Days from a to b (b exclusive). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return dayNumber(a) - dayNumber(b);
}

// ---- time zones -------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
function wallClock(instant: number, timeZone: string) {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  const year = parts.era === "BC" || parts.era === "B" ? 1 - Number(parts.year) : Number(parts.year);
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at an instant, in ms (local = utc + offset). */
export function zoneOffset(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The calendar date an instant falls on in a zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const w = wallClock(instant.getTime(), timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

/**
 * The first instant of a local day: local midnight, or, where a DST change skips midnight (e.g. clocks jump
 * from 00:00 to 01:00), the first instant that day exists.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  // Many contracts share a zone and period boundaries: the Intl work is done once per zone and day.
  const key = `${timeZone}|${date.year}-${date.month}-${date.day}`;
  const cached = dayStarts.get(key);
  if (cached !== undefined) return new Date(cached);
  const start = computeStartOfLocalDay(date, timeZone);
  if (dayStarts.size >= 100_000) dayStarts.clear();
  dayStarts.set(key, start.getTime());
  return start;
}

const dayStarts = new Map<string, number>();

function computeStartOfLocalDay(date: LocalDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  // Try the offsets in force a day either side; the right one maps back to this date at or just after midnight.
  const candidates = new Set([
    zoneOffset(wall - 86_400_000, timeZone),
    zoneOffset(wall, timeZone),
    zoneOffset(wall + 86_400_000, timeZone),
  ]);
  let best: number | null = null;
  for (const offset of candidates) {
    const instant = wall - offset;
    const local = localDateOf(new Date(instant), timeZone);
    if (compareLocalDates(local, date) === 0 && zoneOffset(instant, timeZone) === offset) {
      if (best === null || instant < best) best = instant;
    }
  }
  // Where midnight happens twice (a fall-back overlap), the earlier one starts the day.
  if (best !== null) return new Date(best);
  // Midnight does not exist (DST gap at 00:00): the day starts when the gap ends. Binary search the first
  // instant whose local date is `date`, between the previous and the next UTC midnight-ish bounds.
  let low = wall - 14 * 3_600_000 - 86_400_000;
  let high = wall + 14 * 3_600_000 + 86_400_000;
  while (high - low > 1000) {
    const mid = Math.floor((low + high) / 2 / 1000) * 1000;
    if (compareLocalDates(localDateOf(new Date(mid), timeZone), date) < 0) low = mid;
    else high = mid;
  }
  return new Date(high);
}
