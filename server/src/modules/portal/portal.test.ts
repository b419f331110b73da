import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { randomIds } from "../../context.ts";
import { createBillingContext } from "../billing/context.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const portal = (token: string, url: string) =>
  ctx.app.inject({ url: `/portal-api${url}`, headers: { authorization: `Bearer ${token}` } });
const tokenOf = (url: string) => url.slice(url.indexOf("/portal/") + "/portal/".length);

/** Two customers on a per-call plan since January, each with a finalized January invoice and a February draft. */
async function billedTenant(t: TestTenant) {
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (
    await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls", { rate: "0.5" }) })
  ).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  const ids: string[] = [];
  for (const name of ["alpha", "beta"]) {
    const customer = (await t.post("/v1/customers", { externalId: name, name, timezone: "UTC" })).json();
    ids.push(customer.id);
    await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
    });
    const events = Array.from({ length: 4 }, (_, i) => ({
      id: `${name}-${i}`,
      customer: name,
      type: "api",
      timestamp: `2025-0${1 + (i % 3)}-10T00:00:00Z`,
    }));
    await t.post("/v1/events", { events });
  }
  await t.put("/v1/billing/settings", { gracePeriodHours: 2160 });
  await t.post("/v1/billing-runs", { asOf: "2025-03-01T00:00:00Z" });
  await drainBillingJobs({
    db: ctx.database.db,
    clock: ctx.clock.fn,
    ids: randomIds,
    billing: createBillingContext(),
  });
  const invoices = (await t.get("/v1/invoices?limit=10")).json().data as {
    id: string;
    customerId: string;
    periodStartDate: string;
  }[];
  for (const invoice of invoices.filter((i) => i.periodStartDate === "2025-01-01")) {
    expect((await t.post(`/v1/invoices/${invoice.id}/finalize`)).statusCode).toBe(200);
  }
  return { customerIds: ids, invoices };
}

it("opens one customer's invoices, current period and usage — never another customer's or tenant's", async () => {
  const t = await createTestTenant(ctx);
  const { customerIds, invoices } = await billedTenant(t);
  const [alpha, beta] = customerIds;
  const created = await t.post(`/v1/customers/${alpha}/portal-links`, { expiresInHours: 24 });
  expect(created.statusCode, created.body).toBe(201);
  const { url, expiresAt } = created.json();
  expect(url).toMatch(/^http:\/\/localhost(:\d+)?\/portal\/pgp_/);
  expect(expiresAt).toBe("2025-03-16T12:00:00.000Z");
  const token = tokenOf(url);

  const overview = await portal(token, "/overview");
  expect(overview.statusCode, overview.body).toBe(200);
  const body = overview.json();
  expect(body.customer.name).toBe("alpha");
  // The finalized January invoice only: drafts are not shown, beta's never.
  expect(body.invoices.map((i: { customerId: string; status: string }) => [i.customerId, i.status])).toEqual([
    [alpha, "finalized"],
  ]);
  expect(body.periods).toHaveLength(1);
  expect(body.periods[0]).toMatchObject({
    periodStart: "2025-03-01T00:00:00.000Z",
    metrics: [{ key: "calls", value: "1" }],
  });

  const own = invoices.find((i) => i.customerId === alpha && i.periodStartDate === "2025-01-01");
  const theirs = invoices.find((i) => i.customerId === beta && i.periodStartDate === "2025-01-01");
  const draft = invoices.find((i) => i.customerId === alpha && i.periodStartDate === "2025-02-01");
  expect((await portal(token, `/invoices/${own?.id}`)).json().lines.length).toBeGreaterThan(0);
  expect((await portal(token, `/invoices/${theirs?.id}`)).statusCode).toBe(404);
  expect((await portal(token, `/invoices/${draft?.id}`)).statusCode).toBe(404);
  const daily = await portal(token, "/usage/daily?from=2025-03-01T00:00:00Z&to=2025-03-16T00:00:00Z");
  expect(daily.statusCode).toBe(200);
  expect(daily.json().days.find((d: { date: string }) => d.date === "2025-03-10").metrics).toEqual([
    { key: "calls", value: "1" },
  ]);

  // Another tenant's link opens only its own customer, and API keys and portal tokens do not mix.
  const other = await createTestTenant(ctx);
  const stranger = (await other.post("/v1/customers", { externalId: "alpha", name: "Other alpha" })).json();
  const otherToken = tokenOf((await other.post(`/v1/customers/${stranger.id}/portal-links`)).json().url);
  expect((await portal(otherToken, "/overview")).json()).toMatchObject({
    customer: { name: "Other alpha" },
    invoices: [],
  });
  expect((await portal(otherToken, `/invoices/${own?.id}`)).statusCode).toBe(404);
  expect((await portal(t.apiKey, "/overview")).statusCode).toBe(401);
  expect(
    (await ctx.app.inject({ url: "/v1/customers", headers: { authorization: `Bearer ${token}` } }))
      .statusCode,
  ).toBe(401);
  expect((await ctx.app.inject({ url: "/portal-api/overview" })).statusCode).toBe(401);
  expect((await other.post(`/v1/customers/${alpha}/portal-links`)).statusCode).toBe(404);
});

it("expires and revokes", async () => {
  const t = await createTestTenant(ctx);
  const customer = (await t.post("/v1/customers", { externalId: "c", name: "C" })).json();
  const first = (await t.post(`/v1/customers/${customer.id}/portal-links`, { expiresInHours: 1 })).json();
  const second = (await t.post(`/v1/customers/${customer.id}/portal-links`)).json();
  expect((await portal(tokenOf(first.url), "/overview")).statusCode).toBe(200);

  const revoked = await t.request({
    method: "DELETE",
    url: `/v1/customers/${customer.id}/portal-links/${second.id}`,
  });
  expect(revoked.json()).toMatchObject({ active: false, revokedAt: ctx.clock.now.toISOString() });
  const refused = await portal(tokenOf(second.url), "/overview");
  expect(refused.statusCode).toBe(401);
  expect(refused.json().error.message).toMatch(/revoked/);

  const start = ctx.clock.now.toISOString();
  ctx.clock.set(new Date(ctx.clock.now.getTime() + 3_600_000).toISOString());
  try {
    const expired = await portal(tokenOf(first.url), "/overview");
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toMatch(/expired/);
  } finally {
    ctx.clock.set(start);
  }
  const links = (await t.get(`/v1/customers/${customer.id}/portal-links`)).json().data;
  expect(links.map((l: { id: string }) => l.id).sort()).toEqual([first.id, second.id].sort());
  expect(JSON.stringify(links)).not.toContain("pgp_");
  const types = (await t.get(`/v1/activity?objectType=portal_link`))
    .json()
    .data.map((r: { type: string }) => r.type);
  expect(types).toEqual(["portal_link.revoked", "portal_link.created", "portal_link.created"]);
});
