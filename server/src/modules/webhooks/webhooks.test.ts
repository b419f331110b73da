import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { startReceiver, verifyPricegraphSignature } from "../../../test/webhook-receiver.ts";
import { randomIds } from "../../context.ts";
import { drainWebhookJobs } from "./delivery.ts";
import { addressAllowed, addressKind } from "./outbound.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const deps = () => ({ db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds });
const seconds = () => ctx.clock.now.getTime() / 1000;

describe("webhook endpoints", () => {
  it("shows the secret on creation only and records the change in the activity log", async () => {
    const t = await createTestTenant(ctx);
    const created = await t.post("/v1/webhook-endpoints", {
      url: "http://127.0.0.1:9/hooks",
      eventTypes: ["invoice.finalized", "customer.created"],
    });
    expect(created.statusCode).toBe(201);
    const endpoint = created.json();
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ enabled: true, eventTypes: ["invoice.finalized", "customer.created"] });
    const read = (await t.get(`/v1/webhook-endpoints/${endpoint.id}`)).json();
    expect(read.secret).toBeUndefined();
    expect((await t.get("/v1/webhook-endpoints")).json().data).toHaveLength(1);

    const patched = await t.patch(`/v1/webhook-endpoints/${endpoint.id}`, { enabled: false });
    expect(patched.json().enabled).toBe(false);
    const types = (await t.get(`/v1/activity?objectId=${endpoint.id}`))
      .json()
      .data.map((r: { type: string }) => r.type);
    expect(types).toEqual(["webhook_endpoint.updated", "webhook_endpoint.created"]);
    const activity = (await t.get(`/v1/activity?objectId=${endpoint.id}`)).json().data;
    expect(JSON.stringify(activity)).not.toContain(endpoint.secret);

    const other = await createTestTenant(ctx);
    expect((await other.get(`/v1/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(404);
    expect((await other.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)).statusCode).toBe(404);
    expect(
      (await t.request({ method: "DELETE", url: `/v1/webhook-endpoints/${endpoint.id}` })).statusCode,
    ).toBe(200);
    expect((await t.get(`/v1/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(404);
  });

  it("refuses URLs on private and link-local addresses, and event types that do not exist", async () => {
    const t = await createTestTenant(ctx);
    for (const url of [
      "http://10.0.0.1/",
      "http://169.254.169.254/latest/meta-data",
      "http://192.168.1.20:8080/hook",
      "http://[::ffff:10.0.0.1]/",
      "http://[fe80::1]/",
    ]) {
      const response = await t.post("/v1/webhook-endpoints", { url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.details[0].path).toBe("$.url");
    }
    const bad = await t.post("/v1/webhook-endpoints", {
      url: "ftp://example.com/",
      eventTypes: ["nope.done"],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["$.eventTypes[0]", "$.url"]);
    const ok = (await t.post("/v1/webhook-endpoints", { url: "http://127.0.0.1:9/" })).json();
    const moved = await t.patch(`/v1/webhook-endpoints/${ok.id}`, { url: "http://10.1.2.3/" });
    expect(moved.statusCode).toBe(400);
    expect((await t.get("/v1/webhook-endpoints")).json().data).toHaveLength(1);
  });

  it("classifies addresses by the configured policy", () => {
    expect(addressKind("127.0.0.1")).toBe("loopback");
    expect(addressKind("::1")).toBe("loopback");
    expect(addressKind("172.20.0.5")).toBe("private");
    expect(addressKind("100.64.1.1")).toBe("private");
    expect(addressKind("::ffff:169.254.169.254")).toBe("private");
    expect(addressKind("93.184.215.14")).toBe("public");
    expect(addressAllowed("127.0.0.1", "none")).toBe(false);
    expect(addressAllowed("127.0.0.1", "loopback")).toBe(true);
    expect(addressAllowed("10.0.0.1", "loopback")).toBe(false);
    expect(addressAllowed("10.0.0.1", "all")).toBe(true);
  });
});

describe("deliveries", () => {
  it("POSTs each subscribed record, signed: the signature verifies, a tampered body or an old timestamp does not", async () => {
    const receiver = await startReceiver();
    try {
      const t = await createTestTenant(ctx);
      const { id, secret } = (
        await t.post("/v1/webhook-endpoints", { url: receiver.url, eventTypes: ["customer.created"] })
      ).json();
      const customer = (await t.post("/v1/customers", { externalId: "acme", name: "Acme" })).json();
      await t.patch(`/v1/customers/${customer.id}`, { name: "Acme Inc" });
      await drainWebhookJobs(deps());
      expect(receiver.received).toHaveLength(1);
      const [{ headers, body }] = receiver.received;
      const event = JSON.parse(body);
      expect(event).toMatchObject({ type: "customer.created", object: { id: customer.id, name: "Acme" } });
      expect(event.id).toMatch(/^act_/);
      expect(event.created).toBe(ctx.clock.now.toISOString());
      const signature = String(headers["pricegraph-signature"]);
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyPricegraphSignature(body, signature, secret, seconds())).toBe(true);
      expect(verifyPricegraphSignature(body.replace("Acme", "Acne"), signature, secret, seconds())).toBe(
        false,
      );
      expect(verifyPricegraphSignature(body, signature, `${secret}x`, seconds())).toBe(false);
      expect(verifyPricegraphSignature(body, signature, secret, seconds() + 301)).toBe(false);

      const log = (await t.get(`/v1/webhook-endpoints/${id}/deliveries`)).json();
      expect(log.data).toHaveLength(1);
      expect(log.data[0]).toMatchObject({
        id: headers["pricegraph-delivery"],
        eventId: event.id,
        status: "succeeded",
        attempts: [{ statusCode: 200, error: null, manual: false }],
      });
      // Nothing left to do: the consumer does not hand the same record out twice.
      expect(await drainWebhookJobs(deps())).toBe(0);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("gives a disabled endpoint nothing, not even what was queued before it was disabled", async () => {
    const [on, off] = [await startReceiver(), await startReceiver()];
    try {
      const t = await createTestTenant(ctx);
      await t.post("/v1/webhook-endpoints", { url: on.url });
      const disabled = (await t.post("/v1/webhook-endpoints", { url: off.url, enabled: false })).json();
      await t.post("/v1/customers", { externalId: "a", name: "A" });
      await drainWebhookJobs(deps());
      expect(off.received).toHaveLength(0);
      expect(on.received.map((r) => JSON.parse(r.body).type)).toContain("customer.created");

      await t.patch(`/v1/webhook-endpoints/${disabled.id}`, { enabled: true });
      const late = await t.post("/v1/customers", { externalId: "b", name: "B" });
      expect(late.statusCode).toBe(201);
      // The record is turned into a queued delivery, then the endpoint is disabled before it is sent.
      const { consumeActivity } = await import("./delivery.ts");
      expect(await consumeActivity(deps())).toBeGreaterThan(0);
      await t.patch(`/v1/webhook-endpoints/${disabled.id}`, { enabled: false });
      await drainWebhookJobs(deps());
      expect(off.received).toHaveLength(0);
      const log = (await t.get(`/v1/webhook-endpoints/${disabled.id}/deliveries`)).json();
      expect(log.data.map((d: { status: string }) => d.status)).toContain("canceled");
      expect((await t.post(`/v1/webhook-endpoints/${disabled.id}/test`)).statusCode).toBe(409);
    } finally {
      await on.close();
      await off.close();
    }
  });

  it("sends a test event on request and resends a delivery with the same id", async () => {
    const receiver = await startReceiver();
    try {
      const t = await createTestTenant(ctx);
      const { id, secret } = (
        await t.post("/v1/webhook-endpoints", { url: receiver.url, eventTypes: ["invoice.finalized"] })
      ).json();
      const test = await t.post(`/v1/webhook-endpoints/${id}/test`);
      expect(test.statusCode).toBe(202);
      expect(test.json()).toMatchObject({
        type: "webhook.test",
        status: "pending",
        event: { type: "webhook.test" },
      });
      await drainWebhookJobs(deps());
      expect(receiver.received).toHaveLength(1);
      const resent = await t.post(`/v1/webhook-endpoints/${id}/deliveries/${test.json().id}/resend`);
      expect(resent.statusCode).toBe(202);
      await drainWebhookJobs(deps());
      expect(receiver.received).toHaveLength(2);
      const [first, second] = receiver.received;
      expect(second.headers["pricegraph-delivery"]).toBe(first.headers["pricegraph-delivery"]);
      expect(second.body).toBe(first.body);
      expect(
        verifyPricegraphSignature(
          second.body,
          String(second.headers["pricegraph-signature"]),
          secret,
          seconds(),
        ),
      ).toBe(true);
      const delivery = (await t.get(`/v1/webhook-endpoints/${id}/deliveries/${test.json().id}`)).json();
      expect(delivery.status).toBe("succeeded");
      expect(delivery.attempts.map((a: { manual: boolean }) => a.manual)).toEqual([true, true]);
    } finally {
      await receiver.close();
    }
  });

  it("signs with both secrets during a rotation's overlap, then with the new one alone", async () => {
    const receiver = await startReceiver();
    try {
      const t = await createTestTenant(ctx);
      const { id, secret: oldSecret } = (await t.post("/v1/webhook-endpoints", { url: receiver.url })).json();
      const rotated = await t.post(`/v1/webhook-endpoints/${id}/rotate-secret`, { overlapHours: 24 });
      expect(rotated.statusCode).toBe(200);
      const newSecret = rotated.json().secret;
      expect(newSecret).not.toBe(oldSecret);
      await t.post(`/v1/webhook-endpoints/${id}/test`);
      await drainWebhookJobs(deps());
      const during = receiver.received.at(-1);
      const header = String(during?.headers["pricegraph-signature"]);
      expect(header.match(/v1=/g)).toHaveLength(2);
      for (const secret of [oldSecret, newSecret]) {
        expect(verifyPricegraphSignature(String(during?.body), header, secret, seconds())).toBe(true);
      }
      ctx.clock.set(new Date(ctx.clock.now.getTime() + 25 * 3_600_000).toISOString());
      await t.post(`/v1/webhook-endpoints/${id}/test`);
      await drainWebhookJobs(deps());
      const after = receiver.received.at(-1);
      const single = String(after?.headers["pricegraph-signature"]);
      expect(single.match(/v1=/g)).toHaveLength(1);
      expect(verifyPricegraphSignature(String(after?.body), single, newSecret, seconds())).toBe(true);
      expect(verifyPricegraphSignature(String(after?.body), single, oldSecret, seconds())).toBe(false);
    } finally {
      await receiver.close();
    }
  });
});
