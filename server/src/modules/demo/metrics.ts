import { prng } from "@pricegraph/shared";
import type { DemoCustomer } from "./customers.ts";
import type { DemoEvent } from "./usage.ts";

/**
 * API requests: counted, not billed by the demo plans. It is the metric the README's first plan in the editor
 * prices (the engine's templates name it too), so that plan can be published as the walkthrough says.
 */
export const apiCallsMetric = {
  key: "api_calls",
  name: "API requests",
  description: "Requests to the platform's public API",
  eventType: "api.request",
  aggregation: "count",
} as const;

/**
 * Stored video: a weighted-sum metric (GB-months), billed by the Growth plan. Each customer's storage level
 * changes a few times a month by events carrying the change in GB; the metric averages the level over the
 * period, weighted by time, and carries it from one period into the next.
 */
export const STORED_EVENT = "storage.changed";

export const storageMetric = {
  key: "storage_gb",
  name: "Stored video (GB-months)",
  description: "GB of video kept in storage, averaged over the period (weighted by time)",
  eventType: STORED_EVENT,
  aggregation: "weightedSum",
  property: "gb",
  rounding: { mode: "round", precision: 2 },
} as const;

const DAY_MS = 86_400_000;

/** A first upload at the contract's start, then a change every week or two: uploads, and clean-ups. */
export function storageEvents(
  customer: DemoCustomer,
  index: number,
  from: Date,
  now: Date,
  seed: number,
): DemoEvent[] {
  const random = prng(seed + 104_729 + index * 31);
  const scale = Math.max(20, Math.round(customer.usage.monthlyMinutes / 400));
  const events: DemoEvent[] = [];
  let level = 0;
  for (
    let at = from.getTime(), n = 0;
    at < now.getTime();
    at += (7 + Math.floor(random() * 8)) * DAY_MS, n++
  ) {
    // Mostly growth; now and then a clean-up that never takes the level below zero.
    const change =
      n === 0 || random() < 0.7 ? Math.round(scale * (0.2 + random())) : -Math.round(level * 0.3);
    if (change === 0) continue;
    level += change;
    events.push({
      id: `demo-${customer.externalId}-storage-${n}`,
      customer: customer.externalId,
      type: STORED_EVENT,
      timestamp: new Date(at + Math.floor(random() * (DAY_MS / 2))).toISOString(),
      properties: { gb: change },
    });
  }
  return events.filter((event) => event.timestamp < now.toISOString());
}

/**
 * Usage that counts for nothing, as real integrations send it: a misspelled event type, a customer id nobody
 * created (a staging account), and a value that is not a number. The Unmatched usage view lists them.
 */
interface Stray {
  type: string;
  customer: string;
  daysAgo: number;
  properties: DemoEvent["properties"];
}

export function strayEvents(now: Date, knownCustomer: string): DemoEvent[] {
  const at = (daysAgo: number, hour: number) =>
    new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) -
        daysAgo * DAY_MS +
        hour * 3_600_000,
    ).toISOString();
  const strays: Stray[] = [
    { type: "video.encode", customer: knownCustomer, daysAgo: 3, properties: { minutes: 42, quality: "hd" } },
    { type: "video.encode", customer: knownCustomer, daysAgo: 2, properties: { minutes: 18, quality: "sd" } },
    { type: "video.encode", customer: knownCustomer, daysAgo: 1, properties: { minutes: 27, quality: "hd" } },
    { type: "video.delivered", customer: "acme-staging", daysAgo: 5, properties: { minutes: 300 } },
    { type: "video.delivered", customer: "acme-staging", daysAgo: 4, properties: { minutes: 120 } },
    {
      type: "video.encoded",
      customer: knownCustomer,
      daysAgo: 2,
      properties: { minutes: "n/a", quality: "4k" },
    },
  ];
  return strays.map((stray, i) => ({
    id: `demo-stray-${i + 1}`,
    customer: stray.customer,
    type: stray.type,
    timestamp: at(stray.daysAgo, 9 + i),
    properties: stray.properties,
  }));
}
