import { Decimal } from "@pricegraph/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { usageForPeriod } from "./service.ts";

// The cases Lago publishes for its weighted sum (spec/services/billable_metrics/aggregations/
// weighted_sum_service_spec.rb): August 2023, a 31-day month, values are changes of the level.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set("2023-09-15T00:00:00Z");
});
afterAll(async () => ctx?.close());

const AUGUST = { from: "2023-08-01T00:00:00Z", to: "2023-09-01T00:00:00Z" };
const LAGO_DAY = [
  ["00:00:00", 2],
  ["01:00:00", 3],
  ["01:30:00", 1],
  ["02:00:00", -4],
  ["04:00:00", -2],
  ["05:00:00", 10],
  ["05:30:00", -10],
] as const;

let seq = 0;
async function setUp(groupBy: string[] = []) {
  const t = await createTestTenant(ctx);
  const customer = (await t.post("/v1/customers", { externalId: "acme", name: "Acme" })).json();
  const metric = await t.post("/v1/metrics", {
    key: "storage",
    eventType: "storage_changed",
    aggregation: "weightedSum",
    property: "gb",
    groupBy,
  });
  expect(metric.statusCode).toBe(201);
  return { t, customerId: customer.id as string };
}

async function send(
  t: TestTenant,
  events: { at: string; gb: unknown; region?: string; customer?: string }[],
) {
  const res = await t.post("/v1/events", {
    events: events.map((e) => ({
      id: `ws-${++seq}`,
      customer: e.customer ?? "acme",
      type: "storage_changed",
      timestamp: e.at,
      properties: e.region === undefined ? { gb: e.gb } : { gb: e.gb, region: e.region },
    })),
  });
  expect(res.statusCode).toBe(200);
}

async function storage(t: TestTenant, customerId: string, window = AUGUST) {
  const res = await t.get(`/v1/customers/${customerId}/usage?from=${window.from}&to=${window.to}`);
  expect(res.statusCode).toBe(200);
  return res.json().metrics[0] as {
    value: string;
    groups?: { group: Record<string, string>; value: string }[];
  };
}

const round5 = (value: string) => new Decimal(value).toDecimalPlaces(5).toFixed();

describe("weighted sum (Lago's published cases)", () => {
  it("weights each level by how long it held within the 31-day month", async () => {
    const { t, customerId } = await setUp();
    await send(
      t,
      LAGO_DAY.map(([time, gb]) => ({ at: `2023-08-01T${time}Z`, gb })),
    );
    // 16.5 GB-hours over 744 hours.
    expect(round5((await storage(t, customerId)).value)).toBe("0.02218");
    const exact = new Decimal((await storage(t, customerId)).value);
    expect(exact.minus(new Decimal("16.5").div(744)).abs().lt("1e-15")).toBe(true);
  });

  it("holds a single event's level for the rest of the period, and is 0 without events", async () => {
    const { t, customerId } = await setUp();
    expect((await storage(t, customerId)).value).toBe("0");
    await send(t, [{ at: "2023-08-01T00:00:00Z", gb: 1000 }]);
    expect((await storage(t, customerId)).value).toBe("1000");
    // Half of a 30-day month (September) at the level August ended with: carried, not reset.
    await send(t, [{ at: "2023-09-16T00:00:00Z", gb: -1000 }]);
    ctx.clock.set("2023-10-15T00:00:00Z");
    const september = { from: "2023-09-01T00:00:00Z", to: "2023-10-01T00:00:00Z" };
    expect((await storage(t, customerId, september)).value).toBe("500");
    ctx.clock.set("2023-09-15T00:00:00Z");
  });

  it("applies every event of one instant before the level is held", async () => {
    const { t, customerId } = await setUp();
    await send(t, [
      { at: "2023-08-01T00:00:00Z", gb: 3 },
      { at: "2023-08-01T00:00:00Z", gb: 3 },
    ]);
    expect((await storage(t, customerId)).value).toBe("6");
  });

  it("carries the level from earlier periods into the period's start", async () => {
    const { t, customerId } = await setUp();
    await send(t, [
      { at: "2023-03-01T22:22:22Z", gb: 10 },
      ...LAGO_DAY.map(([time, gb]) => ({ at: `2023-08-01T${time}Z`, gb })),
    ]);
    expect(round5((await storage(t, customerId)).value)).toBe("10.02218");
    // Lago's recurring case: a start level of 1000 and no events in the period is 1000.
    const quiet = await setUp();
    await send(quiet.t, [{ at: "2023-07-31T23:00:00Z", gb: 1000 }]);
    expect((await storage(quiet.t, quiet.customerId)).value).toBe("1000");
  });

  it("weights each group's own level, the carried level included", async () => {
    const { t, customerId } = await setUp(["region"]);
    await send(t, [
      { at: "2023-08-01T00:00:00Z", gb: 2, region: "eu" },
      { at: "2023-08-01T01:00:00Z", gb: 3, region: "us" },
      { at: "2023-08-01T02:00:00Z", gb: -1, region: "eu" },
    ]);
    const { groups } = await storage(t, customerId);
    expect(groups?.map((g) => [g.group.region, round5(g.value)])).toEqual([
      ["eu", "1.00269"],
      ["us", "2.99597"],
    ]);
    // A level held before the period by events without the dimension stays its own group ("").
    const carried = await setUp(["region"]);
    await send(carried.t, [
      { at: "2023-03-01T22:22:22Z", gb: 10 },
      { at: "2023-08-01T00:00:00Z", gb: 2, region: "eu" },
      { at: "2023-08-01T01:00:00Z", gb: 3, region: "eu" },
    ]);
    const both = await storage(carried.t, carried.customerId);
    expect(both.groups?.map((g) => [g.group.region, round5(g.value)])).toEqual([
      ["", "10"],
      ["eu", "4.99597"],
    ]);
  });
});

describe("weighted sum in billing and per day", () => {
  it("gives billing's usage lookup the same value for many customers, filters and rounding applied", async () => {
    const t = await createTestTenant(ctx);
    const ids: string[] = [];
    for (const externalId of ["a", "b"]) {
      ids.push((await t.post("/v1/customers", { externalId, name: externalId })).json().id);
    }
    await t.post("/v1/metrics", {
      key: "seats",
      eventType: "seat_changed",
      aggregation: "weightedSum",
      property: "delta",
      filters: [{ property: "kind", values: ["paid"] }],
      rounding: { mode: "ceil", precision: 2 },
    });
    const event = (customer: string, timestamp: string, delta: number, kind = "paid") => ({
      id: `seat-${++seq}`,
      customer,
      type: "seat_changed",
      timestamp,
      properties: { delta, kind },
    });
    await t.post("/v1/events", {
      events: [
        event("a", "2023-08-01T00:00:00Z", 10),
        event("a", "2023-08-11T00:00:00Z", 5, "free"), // filtered out
        event("a", "2023-08-16T12:00:00Z", -4), // 10 for 15.5 days, 6 for 15.5 days → 8
        event("b", "2023-07-20T00:00:00Z", 3), // carried: 3 all month
        event("b", "2023-08-21T00:00:00Z", 1), // 4 for 11 days: 3 + 11/31 = 3.3548… → ceil 3.36
      ],
    });
    const usage = await usageForPeriod(ctx.database.db, t.tenantId, {
      customerIds: ids,
      from: new Date(AUGUST.from),
      to: new Date(AUGUST.to),
      metrics: [{ key: "seats" }],
    });
    expect([usage.get(ids[0]), usage.get(ids[1])]).toEqual([{ seats: "8" }, { seats: "3.36" }]);
  });

  it("averages each calendar day over that day's own length", async () => {
    const { t, customerId } = await setUp();
    await send(t, [
      { at: "2023-07-01T00:00:00Z", gb: 4 },
      { at: "2023-08-02T06:00:00Z", gb: 4 }, // 8 from 06:00: (6 × 4 + 18 × 8) / 24 = 7
      { at: "2023-08-03T00:00:00Z", gb: "lots" }, // not a number: changes nothing
    ]);
    const res = await t.get(
      `/v1/customers/${customerId}/usage/daily?from=2023-08-01T00:00:00Z&to=2023-08-04T00:00:00Z`,
    );
    expect(res.statusCode).toBe(200);
    const days = res.json().days as { date: string; metrics: { value: string }[] }[];
    expect(days.map((d) => [d.date, d.metrics[0].value])).toEqual([
      ["2023-08-01", "4"],
      ["2023-08-02", "7"],
      ["2023-08-03", "8"],
    ]);
  });
});
