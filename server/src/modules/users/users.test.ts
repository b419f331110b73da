import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, TestClock } from "../../../test/helpers.ts";
import { type App, buildApp } from "../../app.ts";
import { randomBase62, randomIds, systemCaller } from "../../context.ts";
import type { Database } from "../../db/index.ts";
import { createTenant } from "../tenants/service.ts";
import { addMemberDirectly, invite } from "./service.ts";

let database: Database;
let app: App;
const clock = new TestClock();
let counter = 0;
/** E-mail addresses are unique across tenants: a run of its own keeps reruns on one PostgreSQL apart. */
const run = randomBase62(6).toLowerCase();

beforeAll(async () => {
  database = await openTestDb();
  app = await buildApp({ db: database.db, clock: clock.fn, loginAttemptsPerMinute: 1000 });
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A browser: keeps the cookies the server sets and sends the CSRF header on unsafe requests. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly server: App = app) {}
  async request(method: string, url: string, payload?: unknown, csrf = true) {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const token = this.cookies.get("pricegraph_csrf");
    if (csrf && token && method !== "GET") headers["x-csrf-token"] = token;
    const res = await this.server.inject({
      method: method as "GET",
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    for (const cookie of res.cookies) {
      // Cleared cookies come back empty (expiry dates follow the test clock, so they are not compared).
      if (cookie.value === "") this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return res;
  }
  login(email: string, password: string) {
    return this.request("POST", "/v1/auth/login", { email, password });
  }
}

async function tenantWithOwner() {
  const n = ++counter;
  const { tenantId, apiKey } = await createTenant({ db: database.db }, `people-${n}`);
  const email = `owner${n}-${run}@example.com`;
  const password = "correct horse battery";
  const ownerId = await addMemberDirectly({ db: database.db, clock: clock.fn, ids: randomIds }, tenantId, {
    email,
    name: "Olga Owner",
    password,
    role: "owner",
  });
  const owner = new Browser();
  expect((await owner.login(email, password)).statusCode).toBe(200);
  return { tenantId, apiKey, email, password, ownerId, owner, n };
}

const setCookie = (res: LightMyRequestResponse, name: string) =>
  ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.startsWith(`${name}=`)) ?? "";

describe("sign-in and the session cookie", () => {
  it("sets an httpOnly, SameSite=Lax session cookie and a readable CSRF cookie; Secure on https", async () => {
    const { email, password } = await tenantWithOwner();
    const res = await app.inject({ method: "POST", url: "/v1/auth/login", payload: { email, password } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: "owner", actor: { type: "user" }, user: { email } });
    const session = setCookie(res, "pricegraph_session");
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Path=\//);
    expect(session).not.toMatch(/; Secure/);
    const csrf = setCookie(res, "pricegraph_csrf");
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf.split(";")[0].split("=")[1]).toBe(res.json().csrfToken);

    const viaProxy = await app.inject({
      method: "POST",
      url: "/v1/auth/login",
      headers: { "x-forwarded-proto": "https" },
      payload: { email, password },
    });
    expect(setCookie(viaProxy, "pricegraph_session")).toMatch(/; Secure/);

    const alwaysSecure = await buildApp({ db: database.db, cookieSecure: true });
    const secure = await alwaysSecure.inject({
      method: "POST",
      url: "/v1/auth/login",
      payload: { email, password },
    });
    expect(setCookie(secure, "pricegraph_session")).toMatch(/; Secure/);
    await alwaysSecure.close();
  });

  it("refuses a wrong password or unknown e-mail with 401 and no cookie", async () => {
    const { email } = await tenantWithOwner();
    for (const body of [
      { email, password: "wrong password!" },
      { email: "nobody@example.com", password: "whatever it is" },
    ]) {
      const res = await app.inject({ method: "POST", url: "/v1/auth/login", payload: body });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe("UNAUTHORIZED");
      expect(res.headers["set-cookie"]).toBeUndefined();
    }
  });

  it("accepts the cookie on reads and records the user behind a change", async () => {
    const { owner, ownerId } = await tenantWithOwner();
    const me = await owner.request("GET", "/v1/auth/session");
    expect(me.json()).toMatchObject({ role: "owner", actor: { type: "user", id: ownerId } });
    const created = await owner.request("POST", "/v1/customers", { externalId: "c1", name: "Acme" });
    expect(created.statusCode).toBe(201);
    const activity = (await owner.request("GET", "/v1/activity?type=customer.created")).json().data;
    expect(activity[0].actor).toEqual({ type: "user", id: ownerId });
  });

  it("refuses an unsafe cookie request without the CSRF header, or with a wrong one, and changes nothing", async () => {
    const { owner } = await tenantWithOwner();
    const without = await owner.request("POST", "/v1/customers", { externalId: "x", name: "X" }, false);
    expect(without.statusCode).toBe(403);
    expect(without.json().error).toMatchObject({
      code: "CSRF_TOKEN_INVALID",
      details: [{ path: "headers.x-csrf-token" }],
    });
    const cookie = [...owner.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const wrong = await app.inject({
      method: "POST",
      url: "/v1/customers",
      headers: { cookie, "x-csrf-token": "not-the-token" },
      payload: { externalId: "x", name: "X" },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await owner.request("GET", "/v1/customers")).json().data).toHaveLength(0);
  });

  it("signs out one browser, or every browser", async () => {
    const { owner, email, password } = await tenantWithOwner();
    const second = new Browser();
    const third = new Browser();
    await second.login(email, password);
    await third.login(email, password);
    expect((await owner.request("POST", "/v1/auth/logout")).statusCode).toBe(204);
    expect((await owner.request("GET", "/v1/auth/session")).statusCode).toBe(401);
    expect((await second.request("GET", "/v1/auth/session")).statusCode).toBe(200);
    const everywhere = await second.request("POST", "/v1/auth/logout-everywhere");
    expect(everywhere.json()).toEqual({ ended: 2 });
    expect((await second.request("GET", "/v1/auth/session")).statusCode).toBe(401);
    expect((await third.request("GET", "/v1/auth/session")).statusCode).toBe(401);
  });

  it("ends a session after 14 days", async () => {
    clock.set("2025-03-15T12:00:00.000Z");
    const { owner } = await tenantWithOwner();
    clock.set("2025-03-29T11:59:59.000Z");
    expect((await owner.request("GET", "/v1/auth/session")).statusCode).toBe(200);
    clock.set("2025-03-29T12:00:00.000Z");
    const expired = await owner.request("GET", "/v1/auth/session");
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe("UNAUTHORIZED");
    clock.set("2025-03-15T12:00:00.000Z");
  });

  it("limits sign-in attempts per client with 429 RATE_LIMITED, even with the right password", async () => {
    const { email, password } = await tenantWithOwner();
    const limited = await buildApp({ db: database.db, loginAttemptsPerMinute: 3 });
    const attempt = (pw: string) =>
      limited.inject({ method: "POST", url: "/v1/auth/login", payload: { email, password: pw } });
    for (let i = 0; i < 3; i++) expect((await attempt("wrong password!")).statusCode).toBe(401);
    const blocked = await attempt(password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe("RATE_LIMITED");
    expect(blocked.headers["retry-after"]).toBeDefined();
    expect(blocked.headers["set-cookie"]).toBeUndefined();
    // Only sign-in is limited: the API key keeps working on other routes.
    expect((await limited.inject({ method: "GET", url: "/v1/auth/invitations/none" })).statusCode).toBe(404);
    await limited.close();
  });
});

describe("invitations and roles", () => {
  it("invites a finance user who accepts the link, signs in and may do only what finance may", async () => {
    const { owner, tenantId, n } = await tenantWithOwner();
    const email = `Fin${n}-${run}@Example.com`;
    const invited = await owner.request("POST", "/v1/users/invitations", { email, role: "finance" });
    expect(invited.statusCode).toBe(201);
    const { inviteUrl } = invited.json();
    const token = new URL(inviteUrl, "http://x").searchParams.get("token") ?? "";
    const preview = await app.inject({ method: "GET", url: `/v1/auth/invitations/${token}` });
    expect(preview.json()).toMatchObject({
      email: email.toLowerCase(),
      role: "finance",
      existingUser: false,
    });

    const finance = new Browser();
    const accepted = await finance.request("POST", "/v1/auth/invitations/accept", {
      token,
      name: "Fiona Finance",
      password: "ledger ledger ledger",
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ tenantId, role: "finance" });
    expect(accepted.json().permissions).toContain("billing.write");
    expect(accepted.json().permissions).not.toContain("catalog.write");
    // The link works once.
    const again = await new Browser().request("POST", "/v1/auth/invitations/accept", {
      token,
      name: "Mallory",
      password: "another password",
    });
    expect(again.statusCode).toBe(404);

    expect((await finance.request("GET", "/v1/plans")).statusCode).toBe(200);
    const refused = await finance.request("POST", "/v1/plans", { name: "Nope" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: "FORBIDDEN",
      details: [{ permission: "catalog.write" }],
    });
    expect((await finance.request("GET", "/v1/billing/settings")).statusCode).toBe(200);

    const list = (await owner.request("GET", "/v1/users")).json();
    expect(list.data.map((m: { role: string }) => m.role).sort()).toEqual(["finance", "owner"]);
    expect(list.invitations).toEqual([]);
    const types = (await owner.request("GET", "/v1/activity"))
      .json()
      .data.map((a: { type: string }) => a.type);
    expect(types).toEqual(expect.arrayContaining(["user.invited", "user.joined"]));
  });

  it("changes a role at once for a signed-in member; only owners touch owners; the last owner stays", async () => {
    const { owner, ownerId, tenantId, n } = await tenantWithOwner();
    const deps = { db: database.db, clock: clock.fn, ids: randomIds };
    const adminId = await addMemberDirectly(deps, tenantId, {
      email: `admin${n}-${run}@example.com`,
      name: "Ada",
      password: "admin password",
      role: "admin",
    });
    const admin = new Browser();
    await admin.login(`admin${n}-${run}@example.com`, "admin password");
    const promote = await admin.request("PATCH", `/v1/users/${adminId}`, { role: "owner" });
    expect(promote.statusCode).toBe(403);
    expect((await admin.request("PATCH", `/v1/users/${ownerId}`, { role: "viewer" })).statusCode).toBe(403);
    expect((await owner.request("PATCH", `/v1/users/${ownerId}`, { role: "admin" })).json().error.code).toBe(
      "LAST_OWNER",
    );

    const demoted = await owner.request("PATCH", `/v1/users/${adminId}`, { role: "viewer" });
    expect(demoted.json()).toMatchObject({ id: adminId, role: "viewer" });
    expect((await admin.request("GET", "/v1/auth/session")).json().role).toBe("viewer");
    expect((await admin.request("POST", "/v1/customers", { externalId: "v", name: "V" })).statusCode).toBe(
      403,
    );

    const removed = await owner.request("DELETE", `/v1/users/${adminId}`);
    expect(removed.statusCode).toBe(200);
    expect((await admin.request("GET", "/v1/auth/session")).statusCode).toBe(401);
    const types = (await owner.request("GET", "/v1/activity"))
      .json()
      .data.map((a: { type: string }) => a.type);
    expect(types).toEqual(expect.arrayContaining(["user.role_changed", "user.removed"]));
  });
});

describe("password reset", () => {
  it("sets a new password once with a reset link, and signs the user out everywhere", async () => {
    const { owner, ownerId, email, password } = await tenantWithOwner();
    const link = await owner.request("POST", `/v1/users/${ownerId}/password-reset`);
    expect(link.statusCode).toBe(201);
    const token = new URL(link.json().resetUrl, "http://x").searchParams.get("token");
    const reset = (pw: string) =>
      app.inject({ method: "POST", url: "/v1/auth/password-reset", payload: { token, password: pw } });
    expect((await reset("a brand new password")).statusCode).toBe(204);
    expect((await owner.request("GET", "/v1/auth/session")).statusCode).toBe(401);
    const reused = await reset("yet another password");
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe("INVALID_TOKEN");
    expect((await new Browser().login(email, password)).statusCode).toBe(401);
    expect((await new Browser().login(email, "yet another password")).statusCode).toBe(401);
    expect((await new Browser().login(email, "a brand new password")).statusCode).toBe(200);
  });

  it("refuses a reset link after an hour", async () => {
    const { owner, ownerId, email, password } = await tenantWithOwner();
    clock.set("2025-03-15T12:00:00.000Z");
    const link = (await owner.request("POST", `/v1/users/${ownerId}/password-reset`)).json();
    expect(link.expiresAt).toBe("2025-03-15T13:00:00.000Z");
    const token = new URL(link.resetUrl, "http://x").searchParams.get("token");
    clock.set("2025-03-15T13:00:01.000Z");
    const late = await app.inject({
      method: "POST",
      url: "/v1/auth/password-reset",
      payload: { token, password: "too late for this" },
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.code).toBe("INVALID_TOKEN");
    clock.set("2025-03-15T12:00:00.000Z");
    expect((await new Browser().login(email, password)).statusCode).toBe(200);
  });
});

describe("the first owner of a new tenant", () => {
  it("joins by an owner invitation the system made (what `admin create-tenant --owner` prints)", async () => {
    const { tenantId, apiKey } = await createTenant({ db: database.db }, `fresh-${++counter}`);
    const deps = { db: database.db, clock: clock.fn, ids: randomIds };
    const invitation = await invite(deps, systemCaller(tenantId, "tenant-setup"), "owner", {
      email: `first-owner-${counter}-${run}@example.com`,
      role: "owner",
    });
    // An admin key cannot invite an owner; the system can.
    const byKey = await app.inject({
      method: "POST",
      url: "/v1/users/invitations",
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { email: "other@example.com", role: "owner" },
    });
    expect(byKey.statusCode).toBe(403);
    const token = new URL(invitation.inviteUrl, "http://x").searchParams.get("token");
    const owner = new Browser();
    const joined = await owner.request("POST", "/v1/auth/invitations/accept", {
      token,
      name: "First Owner",
      password: "first owner password",
    });
    expect(joined.json()).toMatchObject({ tenantId, role: "owner" });
  });
});
