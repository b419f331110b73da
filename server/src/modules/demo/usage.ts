import { prng } from "@pricegraph/shared";
import type { DemoCustomer } from "./customers.ts";

export interface DemoEvent {
  id: string;
  customer: string;
  type: string;
  timestamp: string;
  properties: Record<string, string | number>;
}

const DAY_MS = 86_400_000;
const QUALITIES = ["sd", "hd", "4k"] as const;

export const ENCODED_EVENT = "video.encoded";
export const DELIVERED_EVENT = "video.delivered";

function pickQuality(mix: DemoCustomer["usage"]["mix"], r: number): (typeof QUALITIES)[number] {
  if (r < mix[0]) return "sd";
  if (r < mix[0] + mix[1] || mix[2] === 0) return "hd";
  return "4k";
}

/**
 * A customer's events from `from` until `now`: each day a few encoding jobs (minutes by quality) and two
 * delivery roll-ups, growing month over month, quieter at weekends, with noise. Nothing at or after `now`.
 */
export function customerEvents(
  customer: DemoCustomer,
  index: number,
  from: Date,
  now: Date,
  seed: number,
): DemoEvent[] {
  const random = prng(seed + index * 7919);
  const { monthlyMinutes, mix, deliveryRatio, growth } = customer.usage;
  const events: DemoEvent[] = [];
  let seq = 0;
  const push = (type: string, at: number, properties: DemoEvent["properties"]) => {
    if (at >= now.getTime()) return;
    seq += 1;
    events.push({
      id: `demo-${customer.externalId}-${seq}`,
      customer: customer.externalId,
      type,
      timestamp: new Date(at).toISOString(),
      properties,
    });
  };
  for (let day = from.getTime(); day < now.getTime(); day += DAY_MS) {
    const elapsedMonths = (day - from.getTime()) / (30 * DAY_MS);
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.65 : 1;
    const daily = (monthlyMinutes / 30) * (1 + growth) ** elapsedMonths * weekend * (0.8 + 0.4 * random());
    const jobs = 3 + Math.floor(random() * 6);
    for (let job = 0; job < jobs; job++) {
      const minutes = Math.max(1, Math.round((daily / jobs) * (0.5 + random())));
      const quality = pickQuality(mix, random());
      push(ENCODED_EVENT, day + Math.floor(random() * DAY_MS), { minutes, quality });
    }
    for (let half = 0; half < 2; half++) {
      const minutes = Math.max(1, Math.round((daily * deliveryRatio * (0.7 + 0.6 * random())) / 2));
      push(DELIVERED_EVENT, day + half * (DAY_MS / 2) + Math.floor(random() * (DAY_MS / 2)), { minutes });
    }
  }
  return events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
}
