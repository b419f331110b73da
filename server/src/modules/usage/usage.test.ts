import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { roundValue } from "./aggregate.ts";
import { usageForPeriod } from "./service.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  // Events of March may be sent: "now" is after the month (timestamps > now + 24 h are refused).
  ctx.clock.set("2025-04-15T00:00:00Z");
});
afterAll(async () => ctx?.close());

let seq = 0;
const ev = (customer: string, type: string, timestamp: string, properties: Record<string, unknown> = {}) => ({
  id: `ev-${++seq}`,
  customer,
  type,
  timestamp,
  properties,
});

async function usage(
  t: TestTenant,
  customerId: string,
  from = "2025-03-01T00:00:00Z",
  to = "2025-04-01T00:00:00Z",
) {
  const res = await t.get(`/v1/customers/${customerId}/usage?from=${from}&to=${to}`);
  expect(res.statusCode).toBe(200);
  return Object.fromEntries(
    (res.json().metrics as { key: string; value: string; groups?: unknown }[]).map((m) => [
      m.key,
      m.groups ? { value: m.value, groups: m.groups } : m.value,
    ]),
  );
}

describe("aggregation semantics", () => {
  it("computes count, sum, min, max, uniqueCount and latest over [from, to)", async () => {
    const t = await createTestTenant(ctx);
    const c = (await t.post("/v1/customers", { externalId: "acme", name: "Acme" })).json();
    for (const [key, aggregation, property] of [
      ["n", "count", undefined],
      ["total", "sum", "v"],
      ["low", "min", "v"],
      ["high", "max", "v"],
      ["users", "uniqueCount", "user"],
      ["seats", "latest", "v"],
    ] as const) {
      expect((await t.post("/v1/metrics", { key, eventType: "use", aggregation, property })).statusCode).toBe(
        201,
      );
    }
    await t.post("/v1/events", {
      events: [
        ev("acme", "use", "2025-02-28T23:59:59.999Z", { v: 1000, user: "zed" }), // before the window
        ev("acme", "use", "2025-03-01T00:00:00Z", { v: 5, user: "ann" }), // first instant: in
        ev("acme", "use", "2025-03-20T00:00:00Z", { v: "2.5", user: "bob" }), // the latest
        ev("acme", "use", "2025-03-10T00:00:00+05:00", { v: -1, user: "ann" }),
        ev("acme", "use", "2025-03-11T00:00:00Z", { user: "cy" }), // missing v counts as 0
        ev("acme", "use", "2025-04-01T00:00:00Z", { v: 7777, user: "zed" }), // `to` is exclusive
        ev("other", "use", "2025-03-05T00:00:00Z", { v: 50, user: "x" }), // another customer
        ev("acme", "other", "2025-03-05T00:00:00Z", { v: 50, user: "x" }), // another type
      ],
    });
    expect(await usage(t, c.id)).toEqual({
      n: "4",
      total: "6.5",
      low: "-1",
      high: "5",
      users: "3",
      seats: "2.5",
    });
    // An empty window is zero for every aggregation.
    expect(await usage(t, c.id, "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z")).toEqual({
      n: "0",
      total: "0",
      low: "0",
      high: "0",
      users: "0",
      seats: "0",
    });
  });

  it("takes `latest` by event timestamp, not arrival order", async () => {
    const t = await createTestTenant(ctx);
    const c = (await t.post("/v1/customers", { externalId: "l", name: "L" })).json();
    await t.post("/v1/metrics", {
      key: "seats",
      eventType: "seat",
      aggregation: "latest",
      property: "count",
    });
    await t.post("/v1/events", { events: [ev("l", "seat", "2025-03-20T00:00:00Z", { count: 12 })] });
    await t.post("/v1/events", { events: [ev("l", "seat", "2025-03-05T00:00:00Z", { count: 3 })] });
    expect(await usage(t, c.id)).toEqual({ seats: "12" });
  });

  it("requires every filter to match and groups by dimensions", async () => {
    const t = await createTestTenant(ctx);
    const c = (await t.post("/v1/customers", { externalId: "g", name: "G" })).json();
    await t.post("/v1/metrics", {
      key: "gpu",
      eventType: "job",
      aggregation: "sum",
      property: "hours",
      filters: [
        { property: "env", values: ["prod", "staging"] },
        { property: "billable", values: ["true"] },
      ],
      groupBy: ["region", "tier"],
    });
    await t.post("/v1/events", {
      events: [
        ev("g", "job", "2025-03-02T00:00:00Z", {
          hours: 1,
          env: "prod",
          billable: true,
          region: "eu",
          tier: "a",
        }),
        ev("g", "job", "2025-03-03T00:00:00Z", {
          hours: 2,
          env: "staging",
          billable: "true",
          region: "eu",
          tier: "a",
        }),
        ev("g", "job", "2025-03-04T00:00:00Z", {
          hours: 4,
          env: "prod",
          billable: true,
          region: "us",
          tier: "a",
        }),
        ev("g", "job", "2025-03-05T00:00:00Z", { hours: 8, env: "prod", billable: true, region: "eu" }),
        ev("g", "job", "2025-03-06T00:00:00Z", {
          hours: 100,
          env: "dev",
          billable: true,
          region: "eu",
          tier: "a",
        }),
        ev("g", "job", "2025-03-07T00:00:00Z", {
          hours: 100,
          env: "prod",
          billable: false,
          region: "eu",
          tier: "a",
        }),
        ev("g", "job", "2025-03-08T00:00:00Z", { hours: 100, env: "prod", region: "eu", tier: "a" }),
      ],
    });
    expect(await usage(t, c.id)).toEqual({
      gpu: {
        value: "15",
        groups: [
          { group: { region: "eu", tier: "" }, value: "8" },
          { group: { region: "eu", tier: "a" }, value: "3" },
          { group: { region: "us", tier: "a" }, value: "4" },
        ],
      },
    });
  });

  it("rounds the aggregated value (round, ceil, floor; negative precision)", async () => {
    const t = await createTestTenant(ctx);
    const c = (await t.post("/v1/customers", { externalId: "r", name: "R" })).json();
    const defs = [
      ["r2", { mode: "round", precision: 2 }],
      ["c0", { mode: "ceil", precision: 0 }],
      ["f1", { mode: "floor", precision: 1 }],
      ["cm2", { mode: "ceil", precision: -2 }],
      ["rm1", { mode: "round", precision: -1 }],
    ] as const;
    for (const [key, rounding] of defs) {
      await t.post("/v1/metrics", { key, eventType: "x", aggregation: "sum", property: "v", rounding });
    }
    await t.post("/v1/events", {
      events: [
        ev("r", "x", "2025-03-02T00:00:00Z", { v: "101.005" }),
        ev("r", "x", "2025-03-02T00:00:00Z", { v: "3.99" }),
      ],
    });
    // 104.995 → round(2) 105.00 → "105", ceil 105, floor(1) 104.9, ceil(-2) 200, round(-1) 100
    expect(await usage(t, c.id)).toEqual({ r2: "105", c0: "105", f1: "104.9", cm2: "200", rm1: "100" });
    expect(roundValue("-2.5", { mode: "round", precision: 0 })).toBe("-3");
    expect(roundValue("15", { mode: "round", precision: -1 })).toBe("20");
    expect(roundValue("0.125", { mode: "floor", precision: 2 })).toBe("0.12");
    expect(roundValue("12.50", null)).toBe("12.5");
  });

  it("counts events sent before the customer existed", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "calls", eventType: "call", aggregation: "count" });
    await t.post("/v1/events", {
      events: [ev("late", "call", "2025-03-02T00:00:00Z"), ev("late", "call", "2025-03-03T00:00:00Z")],
    });
    const c = (await t.post("/v1/customers", { externalId: "late", name: "Late" })).json();
    expect(await usage(t, c.id)).toEqual({ calls: "2" });
  });

  it("aggregates many customers and metrics in one call, with zeros for customers without events", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "calls", eventType: "call", aggregation: "count" });
    await t.post("/v1/metrics", {
      key: "bytes",
      eventType: "xfer",
      aggregation: "sum",
      property: "b",
      groupBy: ["dc"],
    });
    const ids: string[] = [];
    const batch = [];
    for (let i = 0; i < 30; i++) {
      ids.push((await t.post("/v1/customers", { externalId: `m${i}`, name: `M${i}` })).json().id);
      for (let j = 0; j < i % 4; j++) batch.push(ev(`m${i}`, "call", "2025-03-02T00:00:00Z"));
      if (i % 3 === 0)
        batch.push(ev(`m${i}`, "xfer", "2025-03-02T00:00:00Z", { b: i, dc: i % 2 ? "odd" : "even" }));
    }
    await t.post("/v1/events", { events: batch });
    const result = await usageForPeriod(ctx.database.db, t.tenantId, {
      customerIds: ids,
      from: new Date("2025-03-01T00:00:00Z"),
      to: new Date("2025-04-01T00:00:00Z"),
      metrics: [{ key: "calls" }, { key: "bytes", groupBy: ["dc"] }, { key: "undefined-metric" }],
    });
    expect(result.size).toBe(30);
    for (let i = 0; i < 30; i++) {
      expect(result.get(ids[i])).toEqual({
        calls: String(i % 4),
        bytes: i % 3 === 0 ? [{ group: { dc: i % 2 ? "odd" : "even" }, value: String(i) }] : [],
      });
    }
    // Another tenant's ids yield zeros, never that tenant's usage.
    const other = await createTestTenant(ctx);
    const foreign = await usageForPeriod(ctx.database.db, other.tenantId, {
      customerIds: [ids[3]],
      from: new Date("2025-03-01T00:00:00Z"),
      to: new Date("2025-04-01T00:00:00Z"),
      metrics: [{ key: "calls" }],
    });
    expect(foreign.get(ids[3])).toEqual({});
  });

  it("validates the window", async () => {
    const t = await createTestTenant(ctx);
    const c = (await t.post("/v1/customers", { externalId: "w", name: "W" })).json();
    const bad = await t.get(`/v1/customers/${c.id}/usage?from=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("query.from");
    const reversed = await t.get(
      `/v1/customers/${c.id}/usage?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z`,
    );
    expect(reversed.statusCode).toBe(400);
    // Default window: the current UTC month of the clock.
    ctx.clock.set("2025-03-15T12:00:00Z");
    const res = (await t.get(`/v1/customers/${c.id}/usage`)).json();
    expect(res).toEqual({ from: "2025-03-01T00:00:00.000Z", to: "2025-04-01T00:00:00.000Z", metrics: [] });
    ctx.clock.set("2025-04-15T00:00:00Z");
  });
});

describe("events sent before their metric existed", () => {
  it("counts what Postgres reads as a finite number; anything else counts for nothing", async () => {
    const t = await createTestTenant(ctx);
    const c = (await t.post("/v1/customers", { externalId: "old", name: "Old" })).json();
    const values = ["abc", true, "NaN", "1e3", 2, null, { nested: 1 }, "Infinity", " 4 "];
    const res = await t.post("/v1/events", {
      events: values.map((v) => ev("old", "legacy", "2025-03-02T00:00:00Z", { v })),
    });
    expect(res.json().accepted).toBe(values.length);
    await t.post("/v1/metrics", { key: "total", eventType: "legacy", aggregation: "sum", property: "v" });
    await t.post("/v1/metrics", { key: "top", eventType: "legacy", aggregation: "max", property: "v" });
    // 1e3 + 2 + " 4 " = 1006; null is a missing value (0); "abc", true, "NaN", the object and "Infinity" are
    // no values at all.
    expect(await usage(t, c.id)).toEqual({ total: "1006", top: "1000" });
  });
});

describe("aggregation inside a caller's transaction", () => {
  it("falls back to the safe cast without breaking the transaction", async () => {
    const t = await createTestTenant(ctx);
    const c = (await t.post("/v1/customers", { externalId: "tx", name: "Tx" })).json();
    await t.post("/v1/events", {
      events: [
        ev("tx", "legacy", "2025-03-02T00:00:00Z", { v: "abc" }),
        ev("tx", "legacy", "2025-03-02T00:00:00Z", { v: 5 }),
      ],
    });
    await t.post("/v1/metrics", { key: "total", eventType: "legacy", aggregation: "sum", property: "v" });
    const result = await ctx.database.db.transaction(async (tx) => {
      const usage = await usageForPeriod(tx, t.tenantId, {
        customerIds: [c.id],
        from: new Date("2025-03-01T00:00:00Z"),
        to: new Date("2025-04-01T00:00:00Z"),
        metrics: [{ key: "total" }],
      });
      // The transaction still works after the fast path failed.
      const again = await usageForPeriod(tx, t.tenantId, {
        customerIds: [c.id],
        from: new Date("2025-03-01T00:00:00Z"),
        to: new Date("2025-04-01T00:00:00Z"),
        metrics: [{ key: "total" }],
      });
      return [usage.get(c.id), again.get(c.id)];
    });
    expect(result).toEqual([{ total: "5" }, { total: "5" }]);
  });
});

describe("usage per day", () => {
  it("aggregates each calendar day of the customer's zone on its own, across a DST change", async () => {
    const t = await createTestTenant(ctx);
    // New York moves its clocks forward on 2025-03-09: that local day is 23 hours long.
    const c = (
      await t.post("/v1/customers", { externalId: "ny", name: "NY", timezone: "America/New_York" })
    ).json();
    await t.post("/v1/metrics", { key: "calls", eventType: "call", aggregation: "count" });
    await t.post("/v1/metrics", { key: "peak", eventType: "call", aggregation: "max", property: "v" });
    await t.post("/v1/metrics", {
      key: "users",
      eventType: "call",
      aggregation: "uniqueCount",
      property: "user",
      rounding: { mode: "ceil", precision: -1 },
    });
    await t.post("/v1/events", {
      events: [
        ev("ny", "call", "2025-03-08T04:59:59Z", { v: 100, user: "early" }), // 23:59:59 on the 7th: before `from`
        ev("ny", "call", "2025-03-08T05:00:00Z", { v: 3, user: "ann" }), // 00:00 on the 8th
        ev("ny", "call", "2025-03-09T04:59:59Z", { v: 9, user: "bob" }), // 23:59:59 on the 8th
        ev("ny", "call", "2025-03-09T05:00:00Z", { v: 4, user: "ann" }), // 00:00 on the 9th (EST)
        ev("ny", "call", "2025-03-10T03:59:59Z", { v: 1, user: "ann" }), // 23:59:59 on the 9th (EDT)
        ev("ny", "call", "2025-03-10T04:00:00Z", { v: 7, user: "cy" }), // 00:00 on the 10th
        ev("ny", "call", "2025-03-11T03:59:59Z", { v: 2, user: "dee" }), // 23:59:59 on the 10th
      ],
    });
    // From local midnight of the 8th to local noon of the 11th: the last day is cut at `to`.
    const res = await t.get(
      `/v1/customers/${c.id}/usage/daily?from=2025-03-08T05:00:00Z&to=2025-03-11T16:00:00Z`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.timezone).toBe("America/New_York");
    const byDay = Object.fromEntries(
      (body.days as { date: string; metrics: { key: string; value: string }[] }[]).map((d) => [
        d.date,
        Object.fromEntries(d.metrics.map((m) => [m.key, m.value])),
      ]),
    );
    expect(byDay).toEqual({
      "2025-03-08": { calls: "2", peak: "9", users: "2" },
      "2025-03-09": { calls: "2", peak: "4", users: "1" }, // one user twice; the metric's rounding is not applied
      "2025-03-10": { calls: "2", peak: "7", users: "2" },
      "2025-03-11": { calls: "0", peak: "0", users: "0" },
    });
    // The days add up to the range's total for additive metrics.
    expect((await usage(t, c.id, "2025-03-08T05:00:00Z", "2025-03-11T16:00:00Z")).calls).toBe("6");
  });

  it("validates the range and the customer", async () => {
    const t = await createTestTenant(ctx);
    const c = (await t.post("/v1/customers", { externalId: "v", name: "V" })).json();
    const missing = await t.get(`/v1/customers/${c.id}/usage/daily?from=2025-03-01T00:00:00Z`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe("VALIDATION_FAILED");
    expect(missing.json().error.details[0].path).toBe("query.to");
    const reversed = await t.get(
      `/v1/customers/${c.id}/usage/daily?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z`,
    );
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.details[0].path).toBe("query.from");
    const tooLong = await t.get(
      `/v1/customers/${c.id}/usage/daily?from=2024-01-01T00:00:00Z&to=2025-03-01T00:00:00Z`,
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details[0]).toMatchObject({
      path: "query.to",
      message: "at most 400 days after `from`",
    });
    const unknown = await t.get(
      "/v1/customers/cus_nope/usage/daily?from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:00Z",
    );
    expect(unknown.statusCode).toBe(404);
    const empty = await t.get(
      `/v1/customers/${c.id}/usage/daily?from=2025-03-01T00:00:00Z&to=2025-03-01T00:00:00Z`,
    );
    expect(empty.json().days).toEqual([]);
  });
});
