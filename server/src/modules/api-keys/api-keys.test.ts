import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const withKey = (key: string, method: "GET" | "POST" | "DELETE", url: string, payload?: unknown) =>
  ctx.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

describe("API keys", () => {
  it("creates a key whose secret is shown once, works, and is listed without its secret", async () => {
    const t = await createTestTenant(ctx);
    ctx.clock.set("2025-04-01T09:00:00.000Z");
    const created = await t.post("/v1/api-keys", { name: "ingestion" });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ name: "ingestion", createdAt: "2025-04-01T09:00:00.000Z", revokedAt: null });
    expect(body.secret).toMatch(/^pg_live_[0-9A-Za-z]{32}$/);
    expect(body.secret.startsWith(body.prefix)).toBe(true);
    expect(body.prefix).toHaveLength("pg_live_".length + 4);

    expect((await withKey(body.secret, "GET", "/v1/customers")).statusCode).toBe(200);

    const list = await t.get("/v1/api-keys");
    expect(list.statusCode).toBe(200);
    const keys = list.json().data;
    // The tenant's first key was made with the system clock, this one with the test clock: compare as a set.
    expect(keys.map((k: { name: string }) => k.name).sort()).toEqual(["default", "ingestion"]);
    for (const key of keys)
      expect(Object.keys(key).sort()).toEqual(["createdAt", "id", "name", "prefix", "revokedAt", "role"]);
    expect(list.body).not.toContain(body.secret);
    expect(list.body).not.toContain(t.apiKey);
  });

  it("revokes a key: it is refused with 401 at once, and listed with its revocation time", async () => {
    const t = await createTestTenant(ctx);
    const second = (await t.post("/v1/api-keys", { name: "ci" })).json();
    // Warm the authentication cache with the key, then revoke it from the tenant's other key.
    expect((await withKey(second.secret, "GET", "/v1/customers")).statusCode).toBe(200);
    ctx.clock.set("2025-05-02T10:30:00.000Z");
    const revoked = await withKey(t.apiKey, "DELETE", `/v1/api-keys/${second.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: second.id, revokedAt: "2025-05-02T10:30:00.000Z" });

    const refused = await withKey(second.secret, "GET", "/v1/customers");
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({
      error: { code: "UNAUTHORIZED", message: "The API key is not valid", details: [] },
    });

    // Revoking again answers the key unchanged (the first revocation time stays).
    ctx.clock.set("2025-06-01T00:00:00.000Z");
    const again = await withKey(t.apiKey, "DELETE", `/v1/api-keys/${second.id}`);
    expect(again.statusCode).toBe(200);
    expect(again.json().revokedAt).toBe("2025-05-02T10:30:00.000Z");

    const all = (await t.get("/v1/api-keys")).json().data;
    expect(all.find((k: { id: string }) => k.id === second.id).revokedAt).toBe("2025-05-02T10:30:00.000Z");
    const active = (await t.get("/v1/api-keys?includeRevoked=false")).json().data;
    expect(active.map((k: { name: string }) => k.name)).toEqual(["default"]);
  });

  it("refuses to revoke the key the request uses with 409 API_KEY_IN_USE, and the key keeps working", async () => {
    const t = await createTestTenant(ctx);
    const own = (await t.get("/v1/api-keys")).json().data[0];
    const res = await t.request({ method: "DELETE", url: `/v1/api-keys/${own.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: "API_KEY_IN_USE",
      details: [{ path: "params.id", message: "is the key of this request" }],
    });
    expect((await t.get("/v1/customers")).statusCode).toBe(200);
    expect((await t.get("/v1/api-keys")).json().data[0].revokedAt).toBeNull();
  });

  it("answers 404 for another tenant's key and leaves it working", async () => {
    const a = await createTestTenant(ctx);
    const b = await createTestTenant(ctx);
    const bKey = (await b.post("/v1/api-keys", { name: "b-only" })).json();
    const res = await a.request({ method: "DELETE", url: `/v1/api-keys/${bKey.id}` });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("NOT_FOUND");
    expect((await withKey(bKey.secret, "GET", "/v1/customers")).statusCode).toBe(200);
    const aList = (await a.get("/v1/api-keys")).json().data;
    expect(aList.map((k: { id: string }) => k.id)).not.toContain(bKey.id);
    expect((await a.request({ method: "DELETE", url: "/v1/api-keys/key_nope" })).statusCode).toBe(404);
  });

  it("validates the body with the error shape", async () => {
    const t = await createTestTenant(ctx);
    for (const body of [{}, { name: "" }, { name: "x", extra: 1 }, { name: 5 }]) {
      const res = await t.post("/v1/api-keys", body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe("VALIDATION_FAILED");
      expect(res.json().error.details.length).toBeGreaterThan(0);
    }
    expect((await t.get("/v1/api-keys")).json().data).toHaveLength(1);
  });

  it("shows the routes in the OpenAPI document", async () => {
    const doc = (await ctx.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/api-keys", "/v1/api-keys/{id}"]));
    expect(doc.paths["/v1/api-keys/{id}"].delete.responses).toHaveProperty("409");
    expect(doc.paths["/v1/api-keys"].post.responses["201"]).toBeDefined();
  });
});
