/**
 * Display helpers for the operations screens. Money stays the API's decimal string: only its integer part is
 * grouped by string manipulation, the digits themselves are never parsed to a float.
 */

const grouping = /\B(?=(\d{3})+(?!\d))/g;

/** "12500.50" → "12,500.50", "-3000" → "-3,000"; anything that is not a plain decimal is returned as is. */
export function groupThousands(text: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const negative = text.startsWith("-");
  const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
  return `${negative ? "-" : ""}${whole.replace(grouping, ",")}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** "USD 1,250.00": the amount exactly as the API wrote it, grouped. */
export function money(amount: string, currency: string): string {
  return `${currency} ${groupThousands(amount)}`;
}

/** A quantity as given, grouped ("26459" → "26,459"). */
export function quantity(value: string | null | undefined): string {
  return value === null || value === undefined ? "—" : groupThousands(value);
}

const dateFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** A calendar date "2026-10-01" → "Oct 1, 2026" (no time zone shift: it is a date, not an instant). */
export function calendarDate(date: string | null | undefined): string {
  if (!date) return "—";
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : dateFormat.format(parsed);
}

/** An instant in the viewer's local time. */
export function instant(value: string | null | undefined): string {
  if (!value) return "—";
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? value : dateTimeFormat.format(parsed);
}

/** The day before an exclusive end date, so a period reads "Oct 1 – Oct 31, 2026". */
export function inclusiveEnd(exclusiveEndDate: string): string {
  const d = new Date(`${exclusiveEndDate.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** "Oct 1 – Oct 31, 2026" for [start, endExclusive). */
export function periodRange(startDate: string, endDateExclusive: string): string {
  return `${calendarDate(startDate)} – ${calendarDate(inclusiveEnd(endDateExclusive))}`;
}

/** An invoice's period, or for an adjustment invoice what it follows: "Adjustments after Feb 14, 2025". */
export function invoicePeriod(invoice: {
  kind: "period" | "adjustment";
  periodStartDate: string;
  periodEndDate: string;
}): string {
  return invoice.kind === "adjustment"
    ? `Adjustments after ${calendarDate(inclusiveEnd(invoice.periodStartDate))}`
    : periodRange(invoice.periodStartDate, invoice.periodEndDate);
}

/** Today's UTC calendar date as YYYY-MM-DD. */
export function todayDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
