import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { pdfText } from "../../../test/pdf-text.ts";
import { billedCustomer, finalizedInvoice } from "../../../test/receivables.ts";
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

describe("documents in the portal", () => {
  it("lists invoices with payment status and credit notes, serves their PDFs — only the token's own customer's", async () => {
    const t = await createTestTenant(ctx);
    const a = await billedCustomer(t, { rate: "2.5" });
    const b = await billedCustomer(t, { rate: "2.5" });
    const aJan = await finalizedInvoice(ctx, t, a, "2025-01", 40, "2025-02-03T10:00:00Z");
    const aFeb = await finalizedInvoice(ctx, t, a, "2025-02", 8, "2025-03-03T10:00:00Z");
    const bJan = await finalizedInvoice(ctx, t, b, "2025-01", 4, "2025-03-03T11:00:00Z");
    const aNote = (
      await t.post(`/v1/invoices/${aJan.id}/credit-notes`, { amount: "10", reason: "Goodwill" })
    ).json().creditNotes[0];
    const bNote = (
      await t.post(`/v1/invoices/${bJan.id}/credit-notes`, { amount: "1", reason: "Goodwill" })
    ).json().creditNotes[0];
    const paid = await t.post("/v1/payments", {
      customerId: a.customerId,
      amount: "90",
      currency: "USD",
      receivedAt: "2025-03-03T12:00:00Z",
      method: "bank_transfer",
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const token = tokenOf((await t.post(`/v1/customers/${a.customerId}/portal-links`)).json().url);

    const overview = (await portal(token, "/overview")).json();
    const byId = new Map(
      overview.invoices.map((i: { id: string; payment: unknown }) => [i.id, i.payment] as const),
    );
    expect([...byId.keys()].sort()).toEqual([aJan.id, aFeb.id].sort());
    expect(byId.get(aJan.id)).toEqual({
      status: "paid",
      dueDate: expect.any(String),
      paid: "90.00",
      outstanding: "0.00",
    });
    const febReceivable = (await t.get(`/v1/invoices/${aFeb.id}/receivable`)).json();
    expect(byId.get(aFeb.id)).toEqual({
      status: febReceivable.paymentStatus,
      dueDate: febReceivable.dueDate,
      paid: "0.00",
      outstanding: "20.00",
    });
    expect(overview.creditNotes).toEqual([
      expect.objectContaining({ id: aNote.id, invoiceId: aJan.id, currency: "USD", amount: "10.00" }),
    ]);

    // Its own documents: real PDFs, the same bytes as the API serves.
    for (const url of [`/invoices/${aJan.id}/pdf`, `/credit-notes/${aNote.id}/pdf`]) {
      const pdf = await portal(token, url);
      expect(pdf.statusCode, url).toBe(200);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
      expect(pdf.rawPayload.equals((await t.get(`/v1${url}`)).rawPayload)).toBe(true);
    }
    expect(await pdfText((await portal(token, `/invoices/${aJan.id}/pdf`)).rawPayload)).toContain(
      aJan.number,
    );

    // Another customer's invoice and credit note of the same tenant are not found, like ids that do not exist.
    for (const url of [
      `/invoices/${bJan.id}/pdf`,
      `/credit-notes/${bNote.id}/pdf`,
      "/credit-notes/nope/pdf",
    ]) {
      const refused = await portal(token, url);
      expect(refused.statusCode, url).toBe(404);
      expect(refused.headers["content-type"]).toMatch(/^application\/json/);
    }

    // Another tenant's documents: its own token opens them, this one does not — nor the other way round.
    const other = await createTestTenant(ctx);
    const c = await billedCustomer(other, { rate: "2.5" });
    const cJan = await finalizedInvoice(ctx, other, c, "2025-01", 4, "2025-03-03T13:00:00Z");
    const cNote = (
      await other.post(`/v1/invoices/${cJan.id}/credit-notes`, { amount: "1", reason: "Goodwill" })
    ).json().creditNotes[0];
    const otherToken = tokenOf((await other.post(`/v1/customers/${c.customerId}/portal-links`)).json().url);
    expect((await portal(otherToken, `/invoices/${cJan.id}/pdf`)).statusCode).toBe(200);
    for (const url of [`/invoices/${cJan.id}/pdf`, `/credit-notes/${cNote.id}/pdf`]) {
      expect((await portal(token, url)).statusCode, url).toBe(404);
    }
    for (const url of [`/invoices/${aJan.id}/pdf`, `/credit-notes/${aNote.id}/pdf`]) {
      expect((await portal(otherToken, url)).statusCode, url).toBe(404);
    }
    // A revoked link downloads nothing.
    const links = (await t.get(`/v1/customers/${a.customerId}/portal-links`)).json().data;
    await t.request({ method: "DELETE", url: `/v1/customers/${a.customerId}/portal-links/${links[0].id}` });
    expect((await portal(token, `/invoices/${aJan.id}/pdf`)).statusCode).toBe(401);
  });
});
