import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../test/helpers.ts";
import { buildApp } from "../app.ts";
import { randomIds } from "../context.ts";
import { type BillingDeps, createBillingContext } from "../modules/billing/context.ts";
import { drainBillingJobs } from "../modules/billing-runs/service.ts";
import { registerAuth } from "./auth.ts";
import { registerIdempotency } from "./idempotency.ts";
import { claimIdempotencyKey } from "./idempotency-queries.ts";

let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = { db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds, billing: createBillingContext() };
});
afterAll(async () => ctx?.close());

let keyCounter = 0;
const newKey = () => `key-${++keyCounter}-${Date.now()}`;

function postWithKey(t: TestTenant, url: string, key: string, json: unknown) {
  return t.request({ method: "POST", url, json, headers: { "idempotency-key": key } });
}

async function customerCount(t: TestTenant): Promise<number> {
  return (await t.get("/v1/customers?limit=500")).json().data.length;
}

describe("Idempotency-Key", () => {
  it("replays the stored answer to the same request and creates one object and one activity record", async () => {
    const t = await createTestTenant(ctx);
    const key = newKey();
    const body = { externalId: "acme", name: "Acme" };
    const first = await postWithKey(t, "/v1/customers", key, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    const again = await postWithKey(t, "/v1/customers", key, body);
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.headers["content-type"]).toMatch(/^application\/json/);
    expect(again.body).toBe(first.body);
    expect(await customerCount(t)).toBe(1);
    const activity = (await t.get("/v1/activity?type=customer.created")).json();
    expect(activity.data.map((record: { objectId: string }) => record.objectId)).toEqual([first.json().id]);
    // Without the header, the same body is a new request (here refused: the external id is taken).
    expect((await t.post("/v1/customers", body)).statusCode).toBe(409);
  });

  it("refuses the same key with another body or another URL, and keeps keys per tenant", async () => {
    const t = await createTestTenant(ctx);
    const key = newKey();
    expect((await postWithKey(t, "/v1/customers", key, { externalId: "a", name: "A" })).statusCode).toBe(201);
    const otherBody = await postWithKey(t, "/v1/customers", key, { externalId: "b", name: "B" });
    expect(otherBody.statusCode).toBe(409);
    expect(otherBody.json().error).toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      details: [{ path: "headers.idempotency-key" }],
    });
    const metric = { key: "minutes", eventType: "video", aggregation: "sum", property: "minutes" };
    const otherUrl = await postWithKey(t, "/v1/metrics", key, metric);
    expect(otherUrl.statusCode).toBe(409);
    expect(otherUrl.json().error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await customerCount(t)).toBe(1);
    expect((await t.get("/v1/metrics")).json().data).toHaveLength(0);
    // Another tenant's key of the same name is its own.
    const other = await createTestTenant(ctx);
    expect((await postWithKey(other, "/v1/customers", key, { externalId: "b", name: "B" })).statusCode).toBe(
      201,
    );
  });

  it("refuses a key longer than 255 characters with 400 and the header's path", async () => {
    const t = await createTestTenant(ctx);
    const tooLong = await postWithKey(t, "/v1/customers", "k".repeat(256), { externalId: "a", name: "A" });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "headers.idempotency-key" }],
    });
    expect(await customerCount(t)).toBe(0);
    const longest = await postWithKey(t, "/v1/customers", "k".repeat(255), { externalId: "a", name: "A" });
    expect(longest.statusCode).toBe(201);
  });

  it("keeps no answer for a request refused before it ran, and keeps the 4xx of one that ran", async () => {
    const t = await createTestTenant(ctx);
    const key = newKey();
    const invalid = await postWithKey(t, "/v1/customers", key, { externalId: "a" });
    expect(invalid.statusCode).toBe(400);
    const corrected = await postWithKey(t, "/v1/customers", key, { externalId: "a", name: "A" });
    expect(corrected.statusCode).toBe(201);
    expect(corrected.headers["idempotent-replayed"]).toBeUndefined();

    const refusedKey = newKey();
    const taken = await postWithKey(t, "/v1/customers", refusedKey, { externalId: "a", name: "Again" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("CONFLICT");
    const replayed = await postWithKey(t, "/v1/customers", refusedKey, { externalId: "a", name: "Again" });
    expect(replayed.statusCode).toBe(409);
    expect(replayed.headers["idempotent-replayed"]).toBe("true");
    expect(replayed.body).toBe(taken.body);
  });

  it("runs concurrent duplicates once: all get the first answer", async () => {
    const t = await createTestTenant(ctx);
    const key = newKey();
    const body = { externalId: "concurrent", name: "Concurrent" };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postWithKey(t, "/v1/customers", key, body)),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.headers["idempotent-replayed"] === "true")).toHaveLength(4);
    expect(await customerCount(t)).toBe(1);
    const activity = (await t.get("/v1/activity?type=customer.created")).json();
    expect(activity.data).toHaveLength(1);
  });

  it("forgets keys after 24 hours", async () => {
    ctx.clock.set("2025-03-15T12:00:00.000Z");
    const t = await createTestTenant(ctx);
    const key = newKey();
    expect((await postWithKey(t, "/v1/customers", key, { externalId: "a", name: "A" })).statusCode).toBe(201);
    ctx.clock.set("2025-03-16T11:59:59.000Z");
    expect((await postWithKey(t, "/v1/customers", key, { externalId: "b", name: "B" })).statusCode).toBe(409);
    ctx.clock.set("2025-03-16T12:00:00.000Z");
    const afterExpiry = await postWithKey(t, "/v1/customers", key, { externalId: "b", name: "B" });
    expect(afterExpiry.statusCode).toBe(201);
    expect(afterExpiry.headers["idempotent-replayed"]).toBeUndefined();
    expect(await customerCount(t)).toBe(2);
  });

  it("replays a CSV import, streamed body included", async () => {
    const t = await createTestTenant(ctx);
    const key = newKey();
    // Large enough that the body still streams when the handler starts (its digest is not known before).
    const rows = Array.from({ length: 2000 }, (_, i) => `c${i},Customer number ${i} of the streamed import`);
    const csv = `externalId,name\n${rows.join("\n")}\n`;
    const send = (text: string) =>
      t.request({
        method: "POST",
        url: "/v1/customers/csv",
        payload: text,
        headers: { "content-type": "text/csv", "idempotency-key": key },
      });
    const concurrent = await Promise.all([send(csv), send(csv), send(csv)]);
    expect(concurrent.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    const [first] = concurrent;
    expect(first.json().imported).toBe(2000);
    // A second run would have been refused (the external ids are taken): every answer is the one import's.
    expect(new Set(concurrent.map((a) => a.body)).size).toBe(1);
    const again = await send(csv);
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toBe(first.body);
    const other = await send("externalId,name\nz1,Other\n");
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await t.get("/v1/customers?externalId=z1")).json().data).toHaveLength(0);
  });

  it("replays a credit note: one credit note is issued", async () => {
    ctx.clock.set("2025-02-01T06:00:00Z");
    const t = await createTestTenant(ctx);
    const metric = { key: "minutes", eventType: "video", aggregation: "sum", property: "minutes" };
    expect((await t.post("/v1/metrics", metric)).statusCode).toBe(201);
    const plan = await t.post("/v1/plans", { name: "Per minute", document: perUnitPlan("minutes") });
    expect(plan.statusCode, plan.body).toBe(201);
    expect((await t.post(`/v1/plans/${plan.json().id}/versions`)).statusCode).toBe(201);
    const customer = await t.post("/v1/customers", { externalId: "cust", name: "Customer" });
    const contract = await t.post("/v1/contracts", {
      customerId: customer.json().id,
      planId: plan.json().id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      creditGrants: [],
    });
    expect(contract.statusCode, contract.body).toBe(201);
    const event = { id: "ev-1", customer: "cust", type: "video", timestamp: "2025-01-10T00:00:00Z" };
    expect(
      (await t.post("/v1/events", { events: [{ ...event, properties: { minutes: 100 } }] })).statusCode,
    ).toBe(200);
    expect((await t.post("/v1/billing-runs", { asOf: "2025-02-01T00:00:00Z" })).statusCode).toBe(202);
    await drainBillingJobs(deps);
    const [draft] = (await t.get("/v1/invoices")).json().data;
    const finalized = await t.post(`/v1/invoices/${draft.id}/finalize`);
    expect(finalized.statusCode, finalized.body).toBe(200);
    expect(finalized.json().total).toBe("50.00");

    const key = newKey();
    const url = `/v1/invoices/${draft.id}/credit-notes`;
    const note = { amount: "10", reason: "goodwill" };
    const first = await postWithKey(t, url, key, note);
    expect(first.statusCode, first.body).toBe(201);
    const retry = await postWithKey(t, url, key, note);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.body).toBe(first.body);
    const invoice = (await t.get(`/v1/invoices/${draft.id}`)).json();
    expect(invoice.creditNotes).toHaveLength(1);
    expect(invoice).toMatchObject({ creditedAmount: "10.00", amountDue: "40.00" });
  });
});

describe("Idempotency-Key in the OpenAPI document", () => {
  it("is an optional header of every POST under /v1, and of no other method", async () => {
    const document = (await ctx.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const headerOf = (operation: { parameters?: { in: string; name: string }[] }) =>
      operation.parameters?.find((p) => p.in === "header" && p.name === "idempotency-key");
    const posts = Object.entries(document.paths).flatMap(([path, item]) => {
      const operation = (item as Record<string, { parameters?: { in: string; name: string }[] }>).post;
      return operation ? [[path, operation] as const] : [];
    });
    expect(posts.length).toBeGreaterThan(10);
    for (const [path, operation] of posts)
      expect(headerOf(operation), path).toMatchObject({ required: false });
    expect(headerOf(document.paths["/v1/customers"].get)).toBeUndefined();
  });
});

describe("Idempotency-Key with failures", () => {
  /** The real app plus a route of this test that fails on its first call, behind the same hooks as /v1. */
  async function appWithFlakyRoute() {
    let calls = 0;
    const app = await buildApp({ db: ctx.database.db, clock: ctx.clock.fn });
    await app.register(
      async (scope) => {
        // This scope counts no failed authentications: the test sends only valid keys.
        registerAuth(scope, deps, { check: async () => {}, record: async () => {} });
        registerIdempotency(scope, deps, { waitLimitMs: 300, claimLeaseMs: 60_000 });
        scope.post("/flaky", async (_request, reply) => {
          calls += 1;
          if (calls === 1) throw new Error("the database went away");
          return reply.code(201).send({ call: calls });
        });
      },
      { prefix: "/test" },
    );
    await app.ready();
    return { app, calls: () => calls };
  }

  it("keeps no 5xx answer: the same key runs again and its success is then replayed", async () => {
    const t = await createTestTenant(ctx);
    const { app, calls } = await appWithFlakyRoute();
    try {
      const send = () =>
        app.inject({
          method: "POST",
          url: "/test/flaky",
          payload: { a: 1 },
          headers: { authorization: `Bearer ${t.apiKey}`, "idempotency-key": "flaky" },
        });
      expect((await send()).statusCode).toBe(500);
      const retried = await send();
      expect(retried.statusCode).toBe(201);
      expect(retried.json()).toEqual({ call: 2 });
      const replayed = await send();
      expect(replayed.headers["idempotent-replayed"]).toBe("true");
      expect(replayed.json()).toEqual({ call: 2 });
      expect(calls()).toBe(2);
    } finally {
      await app.close();
    }
  });

  it("a claim left by a stopped process holds the key only until its lease lapses", async () => {
    ctx.clock.set("2025-03-15T12:00:00.000Z");
    const t = await createTestTenant(ctx);
    const { app, calls } = await appWithFlakyRoute();
    try {
      const now = ctx.clock.fn();
      await claimIdempotencyKey(ctx.database.db, {
        tenantId: t.tenantId,
        key: "crashed",
        requestMethod: "POST",
        requestPath: "/test/flaky",
        requestHash: null,
        claimId: "claim-of-a-stopped-process",
        now,
        lockedUntil: new Date(now.getTime() + 60_000),
        expiresAt: new Date(now.getTime() + 24 * 3600_000),
      });
      const send = () =>
        app.inject({
          method: "POST",
          url: "/test/flaky",
          payload: { a: 1 },
          headers: { authorization: `Bearer ${t.apiKey}`, "idempotency-key": "crashed" },
        });
      // The duplicate waits for the claim without holding up the server: /healthz answers meanwhile.
      let waitedDone = false;
      const waiting = send().then((answer) => {
        waitedDone = true;
        return answer;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      expect(waitedDone).toBe(false);
      const waited = await waiting;
      expect(waited.statusCode).toBe(409);
      expect(waited.json().error.code).toBe("IDEMPOTENCY_KEY_IN_USE");
      expect(calls()).toBe(0);
      ctx.clock.set("2025-03-15T12:01:00.000Z");
      expect((await send()).statusCode).toBe(500); // the route's own first-call failure: it ran
      expect(calls()).toBe(1);
    } finally {
      await app.close();
    }
  });
});
