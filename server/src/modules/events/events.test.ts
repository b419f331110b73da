import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { events } from "../../db/schema/index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

async function storedIds(tenant: TestTenant): Promise<string[]> {
  const rows = await ctx.database.db
    .select({ id: events.eventId })
    .from(events)
    .where(eq(events.tenantId, tenant.tenantId))
    .orderBy(events.eventId);
  return rows.map((row) => row.id);
}

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  customer: "cust-1",
  type: "api_call",
  timestamp: "2025-03-10T10:00:00Z",
  properties: { calls: 1 },
  ...extra,
});

describe("POST /v1/events", () => {
  it("accepts new events and reports duplicates, also within one batch", async () => {
    const t = await createTestTenant(ctx);
    const first = await t.post("/v1/events", { events: [event("e1"), event("e2"), event("e1")] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      accepted: 2,
      duplicates: 1,
      events: [
        { id: "e1", status: "accepted" },
        { id: "e2", status: "accepted" },
        { id: "e1", status: "duplicate" },
      ],
      // No metric reads api_call and no customer cust-1 exists: both accepted events count for nothing yet.
      unmatched: {
        events: 2,
        reasons: [
          {
            reason: "noMetric",
            subject: "api_call",
            events: 2,
            message: 'type "api_call" matches no metric',
            sampleIds: ["e1", "e2"],
          },
          {
            reason: "unknownCustomer",
            subject: "cust-1",
            events: 2,
            message: 'no customer has the external id "cust-1"',
            sampleIds: ["e1", "e2"],
          },
        ],
      },
    });
    const again = await t.post("/v1/events", { events: [event("e2"), event("e3")] });
    expect(again.json().events).toEqual([
      { id: "e2", status: "duplicate" },
      { id: "e3", status: "accepted" },
    ]);
    expect(await storedIds(t)).toEqual(["e1", "e2", "e3"]);
  });

  it("stores nothing when any event is invalid, listing every invalid event by index and field", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", {
      key: "calls",
      eventType: "api_call",
      aggregation: "sum",
      property: "calls",
    });
    const res = await t.post("/v1/events", {
      events: [
        event("ok"),
        event("future", { timestamp: "2025-03-16T12:00:01Z" }),
        event("no-offset", { timestamp: "2025-03-10T10:00:00" }),
        event("text", { properties: { calls: "many" } }),
        { id: "missing-type", customer: "c", timestamp: "2025-03-10T10:00:00Z" },
        event("bad-date", { timestamp: "2025-02-30T10:00:00Z" }),
      ],
    });
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { index: number; field: string; path: string }[];
    expect(details.map((d) => [d.index, d.field]).sort()).toEqual([
      [2, "timestamp"],
      [4, "type"],
      [5, "timestamp"],
    ]);
    expect(details.find((d) => d.index === 2)?.path).toBe("$.events[2].timestamp");
    expect(await storedIds(t)).toEqual([]);

    // With the schema satisfied, the semantic checks still refuse the whole batch: a timestamp too far ahead,
    // and a number beyond the 40-digit bound where a metric reads one.
    const semantic = await t.post("/v1/events", {
      events: [
        event("ok"),
        event("future", { timestamp: "2025-03-16T12:00:01Z" }),
        event("huge", { properties: { calls: "1".repeat(41) } }),
      ],
    });
    expect(semantic.statusCode).toBe(400);
    expect(
      semantic.json().error.details.map((d: { index: number; field: string }) => [d.index, d.field]),
    ).toEqual([
      [1, "timestamp"],
      [2, "properties.calls"],
    ]);
    expect(await storedIds(t)).toEqual([]);
    // Exactly 24 h ahead is still fine; numeric strings and missing values count; a text value is stored and
    // reported as unmatched (it counts for nothing), not refused.
    await t.post("/v1/customers", { externalId: "cust-1", name: "Cust" });
    const edge = await t.post("/v1/events", {
      events: [
        event("edge", { timestamp: "2025-03-16T12:00:00Z" }),
        event("str", { properties: { calls: "2.5" } }),
        event("none", { properties: {} }),
        event("text", { properties: { calls: "many" } }),
        event("other-type", { type: "other", properties: { calls: "many" } }),
      ],
    });
    expect(edge.statusCode).toBe(200);
    expect(await storedIds(t)).toEqual(["edge", "none", "other-type", "str", "text"]);
    expect(edge.json().unmatched).toEqual({
      events: 2,
      reasons: [
        {
          reason: "nonNumericValue",
          subject: "calls",
          events: 1,
          message: 'metric "calls" reads "calls", which is not a number here',
          sampleIds: ["text"],
        },
        {
          reason: "noMetric",
          subject: "other",
          events: 1,
          message: 'type "other" matches no metric',
          sampleIds: ["other-type"],
        },
      ],
    });
  });

  it("refuses empty and oversized batches", async () => {
    const t = await createTestTenant(ctx);
    expect((await t.post("/v1/events", { events: [] })).statusCode).toBe(400);
    const big = Array.from({ length: 10_001 }, (_, i) => event(`b${i}`));
    const res = await t.post("/v1/events", { events: big });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe("$.events");
  });

  it("stores exactly one row per id when batches sharing ids run concurrently", async () => {
    const t = await createTestTenant(ctx);
    const ids = Array.from({ length: 200 }, (_, i) => `c${i}`);
    const batches = Array.from({ length: 6 }, (_, b) =>
      // Each batch holds all shared ids in its own order plus ids of its own.
      [...ids]
        .sort(() => (b % 2 ? -1 : 1))
        .concat([`own-${b}-1`, `own-${b}-2`])
        .map((id) => event(id)),
    );
    const responses = await Promise.all(batches.map((batch) => t.post("/v1/events", { events: batch })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    const acceptedShared = responses
      .flatMap((r) => r.json().events as { id: string; status: string }[])
      .filter((e) => e.status === "accepted" && e.id.startsWith("c"));
    expect(acceptedShared).toHaveLength(200);
    expect(new Set(acceptedShared.map((e) => e.id)).size).toBe(200);
    const counts = await ctx.database.db
      .select({
        n: sql<string>`count(*)::text`,
        distinct: sql<string>`count(DISTINCT ${events.eventId})::text`,
      })
      .from(events)
      .where(and(eq(events.tenantId, t.tenantId)));
    expect(counts[0]).toEqual({ n: "212", distinct: "212" });
  });

  it("keeps tenants apart: the same id is new in each tenant, lists show only the tenant's events", async () => {
    const a = await createTestTenant(ctx);
    const b = await createTestTenant(ctx);
    expect((await a.post("/v1/events", { events: [event("same")] })).json().accepted).toBe(1);
    expect(
      (await b.post("/v1/events", { events: [event("same", { properties: { calls: 9 } })] })).json().accepted,
    ).toBe(1);
    const listA = (await a.get("/v1/events")).json().data;
    expect(listA).toHaveLength(1);
    expect(listA[0].properties).toEqual({ calls: 1 });
    expect((await b.get("/v1/events")).json().data[0].properties).toEqual({ calls: 9 });
  });
});

describe("GET /v1/events", () => {
  it("lists the most recent timestamps first with filters and cursors", async () => {
    const t = await createTestTenant(ctx);
    const batch = Array.from({ length: 5 }, (_, i) =>
      event(`l${i}`, { customer: i % 2 ? "odd" : "even", timestamp: `2025-03-0${i + 1}T00:00:00.123456Z` }),
    );
    batch.push(event("l5", { type: "other", timestamp: "2025-03-01T00:00:00.123456Z" }));
    await t.post("/v1/events", { events: batch });
    const page1 = (await t.get("/v1/events?limit=2&type=api_call")).json();
    expect(page1.data.map((e: { id: string }) => e.id)).toEqual(["l4", "l3"]);
    expect(page1.data[0]).toMatchObject({
      customer: "even",
      type: "api_call",
      timestamp: "2025-03-05T00:00:00.123Z",
    });
    const page2 = (await t.get(`/v1/events?limit=2&type=api_call&cursor=${page1.nextCursor}`)).json();
    expect(page2.data.map((e: { id: string }) => e.id)).toEqual(["l2", "l1"]);
    const page3 = (await t.get(`/v1/events?limit=2&type=api_call&cursor=${page2.nextCursor}`)).json();
    expect(page3).toMatchObject({ data: [{ id: "l0" }], nextCursor: null });
    const tampered = Buffer.from(JSON.stringify(["not a time", "x"])).toString("base64url");
    const bad = await t.get(`/v1/events?cursor=${tampered}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("VALIDATION_FAILED");
    const odd = (await t.get("/v1/events?customer=odd")).json();
    expect(odd.data.map((e: { id: string }) => e.id)).toEqual(["l3", "l1"]);
  });
});

describe("POST /v1/events/csv", () => {
  it("ingests rows with extra columns as properties and reports duplicates", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "tokens", eventType: "llm", aggregation: "sum", property: "tokens" });
    const csv = [
      "id,customer,type,timestamp,tokens,model,properties",
      'r1,acme,llm,2025-03-01T00:00:00Z,100,gpt,"{""region"":""eu""}"',
      "r2,acme,llm,2025-03-01T01:00:00+02:00,50,,",
      "r1,acme,llm,2025-03-01T00:00:00Z,100,gpt,",
    ].join("\n");
    const res = await t.csv("/v1/events/csv", csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 2, duplicates: 1 });
    const listed = (await t.get("/v1/events")).json().data;
    expect(listed.find((e: { id: string }) => e.id === "r1").properties).toEqual({
      tokens: "100",
      model: "gpt",
      region: "eu",
    });
    expect(listed.find((e: { id: string }) => e.id === "r2").properties).toEqual({ tokens: "50" });
  });

  it("reports bad rows by row number and column and stores nothing", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "tokens", eventType: "llm", aggregation: "sum", property: "tokens" });
    const csv = [
      "id,customer,type,timestamp,tokens",
      "ok,acme,llm,2025-03-01T00:00:00Z,1",
      "bad-ts,acme,llm,yesterday,1",
      ",acme,llm,2025-03-01T00:00:00Z,1",
      "future,acme,llm,2030-01-01T00:00:00Z,1",
    ].join("\n");
    const res = await t.csv("/v1/events/csv", csv);
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { row: number; column: string }[];
    expect(details.map((d) => [d.row, d.column])).toEqual([
      [3, "timestamp"],
      [4, "id"],
      [5, "timestamp"],
    ]);
    expect(await storedIds(t)).toEqual([]);
    const noHeader = await t.csv("/v1/events/csv", "id,customer\n1,2\n");
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().error.details.map((d: { column: string }) => d.column)).toEqual([
      "type",
      "timestamp",
    ]);
  });
});
