import { addDays, daysInMonth, formatLocalDate, localDateOf, startOfLocalDay } from "@pricegraph/shared";
import type { CustomerDailyUsage } from "../api/customers.ts";
import { periodRange } from "../ui/format.ts";

/** The current calendar month in the customer's zone: the charts' period when no contract is active. */
export function currentMonth(
  timeZone: string,
  now: Date = new Date(),
): { start: string; end: string; label: string } {
  const first = { ...localDateOf(now, timeZone), day: 1 };
  const next = addDays(first, daysInMonth(first.year, first.month));
  return {
    start: startOfLocalDay(first, timeZone).toISOString(),
    end: startOfLocalDay(next, timeZone).toISOString(),
    label: periodRange(formatLocalDate(first), formatLocalDate(next)),
  };
}

/** The part of a period that has begun by `now`: what the daily charts ask usage for (null before it starts). */
export function periodSoFar(
  period: { start: string; end: string },
  now: Date = new Date(),
): { from: string; to: string } | null {
  const end = Math.min(Date.parse(period.end), now.getTime());
  if (end <= Date.parse(period.start)) return null;
  return { from: period.start, to: new Date(end).toISOString() };
}

export interface MetricSeries {
  key: string;
  points: { day: string; value: number; cumulative: number; text: string }[];
  /** The running total at the last day (for the caption; plotted quantities only). */
  total: number;
}

/**
 * Per metric, the day's value and the running total for a chart. Quantities are plotted, so converting them to
 * numbers here is fine (money never goes through this).
 */
export function seriesByMetric(days: CustomerDailyUsage["days"]): MetricSeries[] {
  const keys = new Set<string>();
  for (const day of days) for (const m of day.metrics) keys.add(m.key);
  return [...keys].sort().map((key) => {
    let running = 0;
    const points = days.map((day) => {
      const text = day.metrics.find((m) => m.key === key)?.value ?? "0";
      const value = Number(text);
      running += value;
      return { day: day.date, value, cumulative: running, text };
    });
    return { key, points, total: running };
  });
}
