import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../test/helpers.ts";
import { apiKeys } from "./db/schema/index.ts";
import { ensureDemoTenant, hashApiKey } from "./modules/tenants/service.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("auth", () => {
  it("refuses /v1 without a key, with a malformed header and with an unknown key", async () => {
    const none = await ctx.app.inject({ method: "GET", url: "/v1/customers" });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe("UNAUTHORIZED");
    const basic = await ctx.app.inject({
      method: "GET",
      url: "/v1/customers",
      headers: { authorization: "Basic abc" },
    });
    expect(basic.statusCode).toBe(401);
    const unknown = await ctx.app.inject({
      method: "GET",
      url: "/v1/customers",
      headers: { authorization: "Bearer pg_live_doesnotexist" },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual({
      error: { code: "UNAUTHORIZED", message: "The API key is not valid", details: [] },
    });
  });

  it("stores only the key's sha256 and accepts the key", async () => {
    const tenant = await createTestTenant(ctx);
    expect(tenant.apiKey).toMatch(/^pg_live_[0-9A-Za-z]{32}$/);
    const rows = await ctx.database.db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenant.tenantId));
    expect(rows).toHaveLength(1);
    expect(rows[0].keyHash).toBe(hashApiKey(tenant.apiKey));
    expect(JSON.stringify(rows[0])).not.toContain(tenant.apiKey);
    expect((await tenant.get("/v1/customers")).statusCode).toBe(200);
  });
});

describe("errors", () => {
  it("answers malformed JSON, wrong content types and unknown routes with the error shape", async () => {
    const tenant = await createTestTenant(ctx);
    const bad = await tenant.request({
      method: "POST",
      url: "/v1/customers",
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("INVALID_JSON");
    const xml = await tenant.request({
      method: "POST",
      url: "/v1/customers",
      payload: "<a/>",
      headers: { "content-type": "application/xml" },
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const missing = await tenant.get("/v1/nothing-here");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: "NOT_FOUND", details: [] });
  });

  it("names every invalid field with its JSON path", async () => {
    const tenant = await createTestTenant(ctx);
    const res = await tenant.post("/v1/customers", {
      externalId: "",
      name: 5,
      timezone: "Mars/Base",
      extra: 1,
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe("VALIDATION_FAILED");
    const paths = error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["$.externalId", "$.name", "$.timezone"]));
    const query = await tenant.get("/v1/customers?limit=0");
    expect(query.statusCode).toBe(400);
    expect(query.json().error.details[0].path).toBe("query.limit");
  });
});

describe("OpenAPI", () => {
  it("serves the generated document and Swagger UI", async () => {
    const spec = await ctx.app.inject({ method: "GET", url: "/openapi.json" });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      "/v1/customers",
      "/v1/customers/{id}",
      "/v1/customers/csv",
      "/v1/customers/{id}/usage",
      "/v1/metrics",
      "/v1/metrics/{key}",
      "/v1/events",
      "/v1/events/csv",
      "/v1/plans",
      "/v1/plans/{id}/draft",
      "/v1/plans/{id}/versions",
      "/v1/plans/{id}/versions/{version}",
      "/v1/plans/{id}/preview",
      "/v1/contracts",
      "/v1/contracts/{id}/quote",
      "/v1/quotes",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths["/v1/events"].post.requestBody.content["application/json"].schema).toBeTruthy();
    const ui = await ctx.app.inject({ method: "GET", url: "/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain("swagger");
  });
});

describe("demo tenant", () => {
  it("creates the demo tenant only on an empty database and honours a given key", async () => {
    // The shared test database already holds tenants: no new demo tenant without a key.
    const none = await ensureDemoTenant(ctx.database.db);
    expect(none.apiKey).toBeNull();
    const key = `pg_live_demo${Date.now()}`;
    const given = await ensureDemoTenant(ctx.database.db, { apiKey: key });
    expect(given.apiKey).toBe(key);
    const again = await ensureDemoTenant(ctx.database.db, { apiKey: key });
    expect(again).toMatchObject({ tenantId: given.tenantId, apiKey: null, created: false });
    const res = await ctx.app.inject({
      method: "GET",
      url: "/v1/plans",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.statusCode).toBe(200);
  });
});
