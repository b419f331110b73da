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
});
