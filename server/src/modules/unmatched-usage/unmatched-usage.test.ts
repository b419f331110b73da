import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set("2025-03-20T00:00:00Z");
});
afterAll(async () => ctx?.close());

let seq = 0;
const ev = (customer: string, type: string, properties: Record<string, unknown> = {}, day = "10") => ({
  id: `u-${++seq}`,
  customer,
  type,
  timestamp: `2025-03-${day}T12:00:00Z`,
  properties,
});

async function unmatched(t: TestTenant, query = "") {
  const res = await t.get(`/v1/usage/unmatched${query}`);
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function marchUsage(t: TestTenant, customerId: string) {
  const res = await t.get(
    `/v1/customers/${customerId}/usage?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z`,
  );
  return Object.fromEntries(
    (res.json().metrics as { key: string; value: string }[]).map((m) => [m.key, m.value]),
  );
}

describe("unmatched usage", () => {
  it("stores every event, says at ingestion how many count for nothing and why, and lists them per reason", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/customers", { externalId: "acme", name: "Acme" });
    await t.post("/v1/metrics", { key: "gb", eventType: "storage", aggregation: "sum", property: "gb" });
    const res = await t.csv(
      "/v1/events/csv",
      [
        "id,customer,type,timestamp,gb",
        "r1,acme,storage,2025-03-10T00:00:00Z,5",
        "r2,acme,storag,2025-03-10T00:00:00Z,5", // misspelled type
        "r3,acme,storag,2025-03-11T00:00:00Z,1",
        "r4,acne,storage,2025-03-10T00:00:00Z,2", // misspelled customer
        "r5,acme,storage,2025-03-12T00:00:00Z,five", // not a number
      ].join("\n"),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toBe(5);
    expect(res.json().unmatched).toEqual({
      events: 4,
      reasons: [
        {
          reason: "noMetric",
          subject: "storag",
          events: 2,
          message: 'type "storag" matches no metric',
          sampleIds: ["r2", "r3"],
        },
        {
          reason: "unknownCustomer",
          subject: "acne",
          events: 1,
          message: 'no customer has the external id "acne"',
          sampleIds: ["r4"],
        },
        {
          reason: "nonNumericValue",
          subject: "gb",
          events: 1,
          message: 'metric "gb" reads "gb", which is not a number here',
          sampleIds: ["r5"],
        },
      ],
    });

    const listed = await unmatched(t);
    expect(listed.from).toBe("2025-02-18T00:00:00.000Z");
    expect(listed.to).toBe("2025-03-21T00:00:00.000Z");
    expect(
      listed.reasons.map((r: { reason: string; events: number; groups: number }) => [
        r.reason,
        r.events,
        r.groups,
      ]),
    ).toEqual([
      ["noMetric", 2, 1],
      ["unknownCustomer", 1, 1],
      ["nonNumericValue", 1, 1],
    ]);
    expect(listed.groups).toMatchObject([
      {
        reason: "noMetric",
        customer: "acme",
        subject: "storag",
        events: 2,
        firstTimestamp: "2025-03-10T00:00:00.000Z",
        lastTimestamp: "2025-03-11T00:00:00.000Z",
        message: 'type "storag" matches no metric',
        samples: [
          { id: "r3", type: "storag", properties: { gb: "1" } },
          { id: "r2", type: "storag", properties: { gb: "5" } },
        ],
      },
      {
        reason: "nonNumericValue",
        customer: "acme",
        subject: "gb",
        events: 1,
        samples: [{ id: "r5", properties: { gb: "five" } }],
      },
      {
        reason: "unknownCustomer",
        customer: "acne",
        subject: "storage",
        events: 1,
        message: 'no customer has the external id "acne"',
        samples: [{ id: "r4" }],
      },
    ]);
    // Only the number counts.
    const acme = (await t.get("/v1/customers?limit=10")).json().data[0];
    expect(await marchUsage(t, acme.id)).toEqual({ gb: "5" });
  });

  it("counts the usage once the customer or the metric is created, and lists it no more", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/events", {
      events: [ev("late", "calls", { n: 1 }), ev("late", "calls", { n: 2 }), ev("late", "calls", { n: "x" })],
    });
    const before = await unmatched(t);
    expect(before.reasons.map((r: { events: number }) => r.events)).toEqual([3, 3, 0]);

    const customer = (await t.post("/v1/customers", { externalId: "late", name: "Late" })).json();
    const afterCustomer = await unmatched(t);
    expect(afterCustomer.reasons.map((r: { events: number }) => r.events)).toEqual([3, 0, 0]);

    await t.post("/v1/metrics", { key: "calls", eventType: "calls", aggregation: "sum", property: "n" });
    const afterMetric = await unmatched(t);
    // The text value stays unmatched: it can never count.
    expect(afterMetric.reasons.map((r: { events: number }) => r.events)).toEqual([0, 0, 1]);
    expect(afterMetric.groups).toMatchObject([
      { reason: "nonNumericValue", customer: "late", subject: "calls" },
    ]);
    expect(await marchUsage(t, customer.id)).toEqual({ calls: "3" });

    // New events now match at ingestion too.
    const next = await t.post("/v1/events", { events: [ev("late", "calls", { n: 4 })] });
    expect(next.json().unmatched).toEqual({ events: 0, reasons: [] });
  });

  it("reads a metric's filters: a text value where the filter excludes the event is no loss", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/customers", { externalId: "f", name: "F" });
    await t.post("/v1/metrics", {
      key: "prod_calls",
      eventType: "call",
      aggregation: "sum",
      property: "n",
      filters: [{ property: "env", values: ["prod"] }],
    });
    const res = await t.post("/v1/events", {
      events: [ev("f", "call", { n: "x", env: "dev" }), ev("f", "call", { n: "y", env: "prod" })],
    });
    expect(res.json().unmatched.reasons).toMatchObject([
      { reason: "nonNumericValue", sampleIds: [`u-${seq}`] },
    ]);
    expect((await unmatched(t)).reasons[2]).toMatchObject({ reason: "nonNumericValue", events: 1 });
  });

  it("validates the window and keeps tenants apart", async () => {
    const t = await createTestTenant(ctx);
    const other = await createTestTenant(ctx);
    await other.post("/v1/events", { events: [ev("nobody", "nothing")] });
    expect((await unmatched(t)).groups).toEqual([]);
    expect((await unmatched(other)).groups).toHaveLength(2);
    // Outside the window: none.
    expect((await unmatched(other, "?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z")).groups).toEqual([]);
    const reversed = await t.get("/v1/usage/unmatched?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z");
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.details[0].path).toBe("query.from");
    const long = await t.get("/v1/usage/unmatched?from=2020-01-01T00:00:00Z&to=2025-03-01T00:00:00Z");
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details[0].path).toBe("query.to");
  });
});
