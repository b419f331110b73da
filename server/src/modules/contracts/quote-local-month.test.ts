import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { phasedPlan } from "./lifecycle-fixtures.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("quote in the last UTC hour of a month, when Madrid's month has turned", () => {
  it("quotes the customer's local period, counting events of its first local hour", async () => {
    ctx.clock.set("2026-11-30T23:30:00Z"); // 2026-12-01 00:30 in Madrid
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "minutes", eventType: "video", aggregation: "sum", property: "minutes" });
    const plan = (await t.post("/v1/plans", { name: "Video", document: phasedPlan })).json();
    await t.post(`/v1/plans/${plan.id}/versions`);
    const customer = (
      await t.post("/v1/customers", { externalId: "globex", name: "Globex", timezone: "Europe/Madrid" })
    ).json();
    const created = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2026-12-01",
      billingPeriod: "monthly",
    });
    expect(created.statusCode, created.body).toBe(201);
    const contract = created.json();
    const sent = await t.post("/v1/events", {
      events: [
        { id: "m1", customer: "globex", type: "video", timestamp: "2026-11-30T23:10:00Z", properties: { minutes: 50 } },
        { id: "m0", customer: "globex", type: "video", timestamp: "2026-11-30T22:50:00Z", properties: { minutes: 7 } },
      ],
    });
    console.log(sent.statusCode, sent.body);

    const get = await t.get(`/v1/contracts/${contract.id}/quote`);
    console.log("GET", get.statusCode, get.body);
    const post = await t.post(`/v1/contracts/${contract.id}/quote`, {});
    console.log("POST", post.statusCode, post.body);
    const usage = await t.get(`/v1/customers/${customer.id}/usage`);
    console.log("USAGE", usage.statusCode, usage.body);
  });
});
