import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/helpers.ts";
import { lifecycleHelpers } from "./lifecycle-fixtures.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const { setup } = lifecycleHelpers(() => ctx, "local-month");
const event = (id: string, timestamp: string, minutes: number) => ({
  id,
  customer: "acme",
  type: "video",
  timestamp,
  properties: { minutes },
});

describe("quotes in the last UTC hour of a month, when the customer's month has already turned", () => {
  it("quote the customer's local period: its first local hour counts, the UTC month's start does not", async () => {
    ctx.clock.set("2026-11-30T23:30:00Z"); // 2026-12-01 00:30 in Madrid
    // Started on the 1st of the UTC month, as `date -u +%Y-%m-01` dates it, and on Madrid's 1st of December.
    const { t, plan, customerId, contractId: utcMonth } = await setup("Europe/Madrid", "2026-11-01");
    const created = await t.post("/v1/contracts", {
      customerId,
      planId: plan.id,
      startDate: "2026-12-01",
      billingPeriod: "monthly",
    });
    expect(created.statusCode, created.body).toBe(201);
    const localMonth = created.json().id as string;
    const sent = await t.post("/v1/events", {
      events: [
        event("utc-month-start", "2026-11-01T00:00:00Z", 7), // Nov 1 01:00 in Madrid: November's period
        event("local-month-start", "2026-11-30T23:10:00Z", 50), // Dec 1 00:10 in Madrid: December's period
      ],
    });
    expect(sent.json().accepted).toBe(2);

    for (const id of [utcMonth, localMonth]) {
      const get = (await t.get(`/v1/contracts/${id}/quote`)).json();
      expect(get).toMatchObject({
        periodStart: "2026-11-30T23:00:00.000Z",
        periodEnd: "2026-12-31T23:00:00.000Z",
        input: { usage: { minutes: "50" }, proration: "1" },
        total: "125.00", // 100 fee + 50 × 0.5
      });
      const post = (await t.post(`/v1/contracts/${id}/quote`, {})).json();
      expect(post).toMatchObject({
        period: { startDate: "2026-12-01", endDate: "2027-01-01" },
        usage: { minutes: "50" },
        current: { total: "125.00" },
      });
      const report = (await t.get(`/v1/contracts/${id}/usage-report`)).json();
      expect(report.period).toMatchObject({ startDate: "2026-12-01", today: "2026-12-01" });
      expect(report.metrics).toMatchObject([{ key: "minutes", value: "50" }]);
    }
    // November's local period (its invoice) holds the event dated at the start of the UTC month.
    const november = (await t.get(`/v1/contracts/${utcMonth}/usage-report?periodStart=2026-11-01`)).json();
    expect(november.metrics).toMatchObject([{ key: "minutes", value: "7" }]);
  });
});
