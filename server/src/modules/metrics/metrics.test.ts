import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("metrics", () => {
  it("defines, reads, lists and updates a metric", async () => {
    const t = await createTestTenant(ctx);
    const created = await t.post("/v1/metrics", {
      key: "api_calls",
      eventType: "api_call",
      aggregation: "sum",
      property: "calls",
      filters: [{ property: "env", values: ["prod"] }],
      groupBy: ["region"],
      rounding: { mode: "ceil", precision: -2 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      key: "api_calls",
      name: "api_calls",
      description: null,
      aggregation: "sum",
      property: "calls",
      filters: [{ property: "env", values: ["prod"] }],
      groupBy: ["region"],
      rounding: { mode: "ceil", precision: -2 },
    });
    await t.post("/v1/metrics", { key: "seats", eventType: "seat", aggregation: "latest", property: "n" });
    const list = (await t.get("/v1/metrics?limit=1")).json();
    expect(list.data.map((m: { key: string }) => m.key)).toEqual(["api_calls"]);
    const rest = (await t.get(`/v1/metrics?cursor=${list.nextCursor}`)).json();
    expect(rest).toMatchObject({ data: [{ key: "seats" }], nextCursor: null });

    const patched = await t.patch("/v1/metrics/api_calls", {
      aggregation: "count",
      rounding: null,
      name: "API calls",
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      aggregation: "count",
      property: null,
      rounding: null,
      name: "API calls",
    });
    expect((await t.get("/v1/metrics/api_calls")).json().aggregation).toBe("count");
  });

  it("refuses inconsistent definitions naming the field, and duplicate keys", async () => {
    const t = await createTestTenant(ctx);
    const noProperty = await t.post("/v1/metrics", { key: "m", eventType: "e", aggregation: "sum" });
    expect(noProperty.statusCode).toBe(400);
    expect(noProperty.json().error.details[0].path).toBe("$.property");
    const countWithProperty = await t.post("/v1/metrics", {
      key: "m",
      eventType: "e",
      aggregation: "count",
      property: "x",
    });
    expect(countWithProperty.statusCode).toBe(400);
    const badRounding = await t.post("/v1/metrics", {
      key: "m",
      eventType: "e",
      aggregation: "count",
      rounding: { mode: "banker", precision: 1.5 },
    });
    expect(badRounding.statusCode).toBe(400);
    expect(
      badRounding
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["$.rounding.mode", "$.rounding.precision"]);
    const badKey = await t.post("/v1/metrics", { key: "has space", eventType: "e", aggregation: "count" });
    expect(badKey.json().error.details[0].path).toBe("$.key");
    expect((await t.post("/v1/metrics", { key: "m", eventType: "e", aggregation: "count" })).statusCode).toBe(
      201,
    );
    expect((await t.post("/v1/metrics", { key: "m", eventType: "e", aggregation: "count" })).statusCode).toBe(
      409,
    );
    const patchToSum = await t.patch("/v1/metrics/m", { aggregation: "sum" });
    expect(patchToSum.statusCode).toBe(400);
    expect((await t.get("/v1/metrics/m")).json().aggregation).toBe("count");
  });

  it("hides other tenants' metrics (404)", async () => {
    const a = await createTestTenant(ctx);
    const b = await createTestTenant(ctx);
    await a.post("/v1/metrics", { key: "private", eventType: "e", aggregation: "count" });
    expect((await b.get("/v1/metrics/private")).statusCode).toBe(404);
    expect((await b.patch("/v1/metrics/private", { name: "x" })).statusCode).toBe(404);
    expect((await b.get("/v1/metrics")).json().data).toEqual([]);
    expect(
      (await b.post("/v1/metrics", { key: "private", eventType: "other", aggregation: "count" })).statusCode,
    ).toBe(201);
    expect((await a.get("/v1/metrics/private")).json().eventType).toBe("e");
  });

  it("previews a definition over recent events, per external id, before it is saved", async () => {
    const t = await createTestTenant(ctx);
    ctx.clock.set("2025-03-31T00:00:00Z");
    await t.post("/v1/customers", { externalId: "acme", name: "Acme" });
    const call = (id: string, customer: string, day: string, properties: Record<string, unknown>) => ({
      id,
      customer,
      type: "api_call",
      timestamp: `2025-03-${day}T00:00:00Z`,
      properties,
    });
    await t.post("/v1/events", {
      events: [
        call("p1", "acme", "20", { n: 2, region: "eu", env: "prod" }),
        call("p2", "acme", "21", { n: 3, region: "us", env: "prod" }),
        call("p3", "acme", "22", { n: 100, region: "us", env: "dev" }), // filtered out
        call("p4", "ghost", "23", { n: 7, region: "eu", env: "prod" }), // no such customer
        call("p5", "acme", "01", { n: 50, region: "eu", env: "prod" }), // before the 7-day window
      ],
    });
    const res = await t.post("/v1/metrics/preview", {
      definition: {
        eventType: "api_call",
        aggregation: "sum",
        property: "n",
        filters: [{ property: "env", values: ["prod"] }],
        groupBy: ["region"],
      },
      days: 14,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: "2025-03-17T00:00:00.000Z",
      to: "2025-03-31T00:00:00.000Z",
      events: 3,
      customers: 2,
      values: [
        { customer: "ghost", known: false, value: "7", groups: [{ group: { region: "eu" }, value: "7" }] },
        {
          customer: "acme",
          known: true,
          value: "5",
          groups: [
            { group: { region: "eu" }, value: "2" },
            { group: { region: "us" }, value: "3" },
          ],
        },
      ],
    });
    // Nothing was stored: no metric exists.
    expect((await t.get("/v1/metrics")).json().data).toEqual([]);
    const bad = await t.post("/v1/metrics/preview", { definition: { eventType: "x", aggregation: "max" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("$.definition.property");
  });
});
