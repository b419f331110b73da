import type { CustomerUsage } from "../api/customers.ts";

export interface DayRange {
  /** The customer's calendar date of the day (YYYY-MM-DD). */
  label: string;
  from: string;
  to: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The days of [start, end) that have begun by `now`, as 24-hour ranges from the period's start instant (the
 * customer's local midnight): what the per-day bars of the current period are asked for.
 */
export function daysOfPeriod(
  period: { start: string; end: string; startDate: string },
  now: Date = new Date(),
): DayRange[] {
  const days: DayRange[] = [];
  const end = new Date(period.end).getTime();
  const stop = Math.min(end, now.getTime());
  const first = Date.parse(`${period.startDate}T00:00:00Z`);
  for (let t = new Date(period.start).getTime(); t < stop && days.length < 400; t += DAY_MS) {
    const label = new Date(first + days.length * DAY_MS).toISOString().slice(0, 10);
    days.push({ label, from: iso(t), to: iso(Math.min(t + DAY_MS, end)) });
  }
  return days;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Runs `task` over every item with at most `limit` in flight; results keep the items' order. */
export async function mapBounded<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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
export function seriesByMetric(days: DayRange[], usage: CustomerUsage[]): MetricSeries[] {
  const keys = new Set<string>();
  for (const day of usage) for (const m of day.metrics) keys.add(m.key);
  return [...keys].sort().map((key) => {
    let running = 0;
    const points = days.map((day, index) => {
      const text = usage[index]?.metrics.find((m) => m.key === key)?.value ?? "0";
      const value = Number(text);
      running += value;
      return { day: day.label, value, cumulative: running, text };
    });
    return { key, points, total: running };
  });
}
