import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, perUnitPlan, type TestContext } from "../../test/helpers.ts";
import { buildApp } from "../app.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

/** `{"a":{"a":…{"a":1}…}}` nested `depth` levels, as text (JSON.stringify itself overflows on it). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe("JSON bodies are bounded in depth and size", () => {
  it("refuses event properties nested 5,000 levels with the path where the bound is passed", async () => {
    const t = await createTestTenant(ctx);
    const event = `{"id":"deep","customer":"c","type":"x","timestamp":"2025-03-01T00:00:00Z","properties":${nested(5000)}}`;
    const res = await t.request({
      method: "POST",
      url: "/v1/events",
      payload: `{"events":[${event}]}`,
      headers: { "content-type": "application/json" },
    });
    expect(res.statusCode, res.body).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe("JSON_TOO_DEEP");
    expect(error.details[0].path).toBe(`$.events[0].properties${".a".repeat(29)}`);
    expect((await t.get("/v1/events")).json().data).toEqual([]);
  });

  it("refuses a plan whose node data nests 5,000 levels; 32 levels in all are fine", async () => {
    const t = await createTestTenant(ctx);
    const document = JSON.stringify(perUnitPlan("calls")).replace(
      '"data":{"description"',
      `"data":{"deep":${nested(5000)},"description"`,
    );
    const json = (payload: string) =>
      t.request({
        method: "POST",
        url: "/v1/plans",
        payload,
        headers: { "content-type": "application/json" },
      });
    const res = await json(`{"name":"Deep","document":${document}}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toMatch(/^\$\.document\.nodes\[2\]\.data\.deep(\.a)+$/);
    // 32 levels in all pass the depth bound (the schema then refuses the unknown key); 33 do not.
    const atBound = await json(`{"name":"X","deep":${nested(31)}}`);
    expect(atBound.json().error.code).toBe("VALIDATION_FAILED");
    const pastBound = await json(`{"name":"X","deep":${nested(32)}}`);
    expect(pastBound.json().error.code).toBe("JSON_TOO_DEEP");
  });

  it("takes JSON bodies up to 1 MB, and event batches up to 8 MB", async () => {
    const t = await createTestTenant(ctx);
    const big = await t.post("/v1/customers", { externalId: "big", name: "x".repeat(1024 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe("PAYLOAD_TOO_LARGE");
    const events = Array.from({ length: 10_000 }, (_, i) => ({
      id: `evt-${i}`,
      customer: "batch-customer",
      type: "api_call",
      timestamp: "2025-03-01T12:00:00.000Z",
      properties: { region: "eu-west-1", path: "/v1/some/resource/path", n: i },
    }));
    const payload = JSON.stringify({ events });
    expect(payload.length).toBeGreaterThan(1024 * 1024);
    const batch = await t.request({
      method: "POST",
      url: "/v1/events",
      payload,
      headers: { "content-type": "application/json" },
    });
    expect(batch.statusCode, batch.body.slice(0, 300)).toBeLessThan(300);
    expect(batch.json().accepted).toBe(10_000);
  });
});

describe("requests Node refuses to parse", () => {
  it("a query string over 16 KB answers 431 in the error shape", async () => {
    await ctx.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = ctx.app.server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port, path: `/v1/customers?search=${"x".repeat(17 * 1024)}` },
        (res) => {
          let body = "";
          res.on("data", (chunk) => {
            body += chunk;
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: "HEADERS_TOO_LARGE", message: expect.any(String), details: [] },
    });
  });
});

describe("abuse limits", () => {
  it("after 3 failed authentications an address gets 429 in the error shape, even with a good key; others do not", async () => {
    const app = await buildApp({ db: ctx.database.db, authFailureLimit: { max: 3, windowMs: 60_000 } });
    try {
      const t = await createTestTenant(ctx);
      const call = (key: string, remoteAddress = "203.0.113.7") =>
        app.inject({
          method: "GET",
          url: "/v1/customers",
          remoteAddress,
          headers: { authorization: `Bearer ${key}` },
        });
      // Successful requests do not count.
      for (let i = 0; i < 5; i++) expect((await call(t.apiKey)).statusCode).toBe(200);
      for (let i = 0; i < 3; i++) expect((await call("pg_live_wrong")).statusCode).toBe(401);
      const refused = await call(t.apiKey);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toEqual({
        error: {
          code: "TOO_MANY_FAILED_AUTHENTICATIONS",
          message: expect.stringMatching(/retry in \d+ s/),
          details: [expect.objectContaining({ path: "headers.authorization" })],
        },
      });
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect((await call(t.apiKey, "203.0.113.8")).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("sends security headers; the CSP lets Swagger UI and the web app load their own scripts", async () => {
    const t = await createTestTenant(ctx);
    const api = await t.get("/v1/customers");
    expect(api.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
    });
    const docs = await ctx.app.inject({ method: "GET", url: "/docs" });
    expect(docs.statusCode).toBe(200);
    const csp = String(docs.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain("upgrade-insecure-requests");
    // Swagger UI's page loads only scripts from this origin, which the CSP allows.
    for (const src of docs.body.matchAll(/<script[^>]*src="([^"]+)"/g))
      expect(src[1]).not.toMatch(/^https?:/);
    expect(docs.body).not.toMatch(/<script(?![^>]*src=)[^>]*>\s*\S/);
  });
});
