import { type Role, roleHasPermission, roles, routeKey, routePermissions } from "@pricegraph/shared";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../test/helpers.ts";
import { insertApiKey } from "../modules/tenants/queries.ts";
import { generateApiKey, hashApiKey } from "../modules/tenants/service.ts";
import { MissingRoutePermissionError, registerPermissions } from "./permissions.ts";

let ctx: TestContext;
let tenant: TestTenant;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTestTenant(ctx);
  // One key per role, written directly: an admin key may not create an owner key.
  for (const role of roles) {
    const secret = generateApiKey();
    await insertApiKey(ctx.database.db, {
      id: `key_${role}_${tenant.tenantId}`,
      tenantId: tenant.tenantId,
      keyHash: hashApiKey(secret),
      prefix: secret.slice(0, 12),
      name: role,
      role,
      createdAt: new Date(),
    });
    keys[role] = secret;
  }
}, 60_000);
afterAll(async () => ctx?.close());

/** A concrete URL for a route pattern: every parameter gets an id that exists nowhere. */
function urlFor(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === "version" ? "1" : `none_${name}`));
}

describe("permissions on every route", () => {
  it("knows every /v1 route, and every table entry is a route", () => {
    expect(ctx.app.apiRoutes.length).toBeGreaterThan(50);
    const registered = new Set(ctx.app.apiRoutes);
    for (const key of ctx.app.apiRoutes) expect(routePermissions[key], key).toBeDefined();
    for (const key of Object.keys(routePermissions)) expect(registered.has(key), key).toBe(true);
  });

  // The list comes from the routes the app registered, so a new route is in this test without editing it.
  it("answers every route × role with the table: allowed, or 403 FORBIDDEN naming the permission", async () => {
    let refused = 0;
    let allowed = 0;
    for (const key of ctx.app.apiRoutes) {
      const [method, path] = key.split(" ");
      const access = routePermissions[key];
      for (const role of roles) {
        const res = await ctx.app.inject({
          method: method as "GET",
          url: urlFor(path),
          headers: { authorization: `Bearer ${keys[role]}` },
          ...(method === "GET" || method === "DELETE" ? {} : { payload: {} }),
        });
        const code = String(res.headers["content-type"]).includes("json")
          ? res.json()?.error?.code
          : undefined;
        const mayCall = access === "public" || access === "signed_in" || roleHasPermission(role, access);
        if (mayCall) {
          allowed += 1;
          expect(res.statusCode, `${role} ${key}: ${res.body}`).not.toBe(403);
          expect(res.statusCode, `${role} ${key}: ${res.body}`).toBeLessThan(500);
        } else {
          refused += 1;
          expect(res.statusCode, `${role} ${key}`).toBe(403);
          expect(code).toBe("FORBIDDEN");
          expect(res.json().error.details[0]).toMatchObject({ permission: access, role });
        }
      }
    }
    expect(refused).toBeGreaterThan(50);
    expect(allowed).toBeGreaterThan(100);
  }, 120_000);

  it("answers HEAD like GET", async () => {
    const res = await ctx.app.inject({
      method: "HEAD",
      url: "/v1/api-keys",
      headers: { authorization: `Bearer ${keys.viewer}` },
    });
    expect(res.statusCode).toBe(403);
    expect(routeKey("HEAD", "/v1/api-keys")).toBe("GET /v1/api-keys");
  });

  it("a refused request changes nothing", async () => {
    const before = (await tenant.get("/v1/customers")).json().data.length;
    const res = await ctx.app.inject({
      method: "POST",
      url: "/v1/customers",
      headers: { authorization: `Bearer ${keys.finance}` },
      payload: { externalId: "refused", name: "Refused" },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details[0].permission).toBe("customers.write");
    expect((await tenant.get("/v1/customers")).json().data.length).toBe(before);
  });

  it("creates keys with a role, admin by default; only an owner makes an owner key", async () => {
    const plain = await tenant.post("/v1/api-keys", { name: "default role" });
    expect(plain.json().role).toBe("admin");
    const viewerKey = (await tenant.post("/v1/api-keys", { name: "read", role: "viewer" })).json();
    expect(viewerKey.role).toBe("viewer");
    const asViewer = await ctx.app.inject({
      method: "POST",
      url: "/v1/plans",
      headers: { authorization: `Bearer ${viewerKey.secret}` },
      payload: { name: "x" },
    });
    expect(asViewer.statusCode).toBe(403);
    const escalate = await tenant.post("/v1/api-keys", { name: "owner", role: "owner" });
    expect(escalate.statusCode).toBe(403);
    const byOwner = await ctx.app.inject({
      method: "POST",
      url: "/v1/api-keys",
      headers: { authorization: `Bearer ${keys.owner}` },
      payload: { name: "owner", role: "owner" },
    });
    expect(byOwner.statusCode).toBe(201);
  });
});

describe("the start-up check", () => {
  it("refuses to start when a /v1 route has no entry, naming the route and the table", async () => {
    const app = Fastify();
    const starting = async () => {
      await app.register(
        async (v1) => {
          registerPermissions(v1, "/v1");
          v1.get("/plans", async () => ({}));
          v1.post("/reports/:id/export", async () => ({}));
        },
        { prefix: "/v1" },
      );
      await app.ready();
    };
    const failure = await starting().then(
      () => null,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(MissingRoutePermissionError);
    expect(failure?.message).toContain('"POST /v1/reports/:id/export"');
    expect(failure?.message).toContain("shared/src/permissions.ts");
    await app.close().catch(() => {});
  });
});
