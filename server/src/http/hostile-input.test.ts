import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

/** A tenant with a `calls` metric, a published per-unit plan and one customer. */
async function pricedTenant(): Promise<{ t: TestTenant; planId: string; customerId: string }> {
  const t = await createTestTenant(ctx);
  const metric = await t.post("/v1/metrics", {
    key: "calls",
    eventType: "api",
    aggregation: "sum",
    property: "n",
  });
  expect(metric.statusCode, metric.body).toBe(201);
  const plan = await t.post("/v1/plans", { name: "Per call", document: perUnitPlan("calls", { rate: "2" }) });
  expect(plan.statusCode, plan.body).toBe(201);
  expect((await t.post(`/v1/plans/${plan.json().id}/versions`)).statusCode).toBe(201);
  const customer = await t.post("/v1/customers", {
    externalId: "c-1",
    name: "Acme",
    timezone: "Europe/Paris",
  });
  expect(customer.statusCode, customer.body).toBe(201);
  return { t, planId: plan.json().id, customerId: customer.json().id };
}

async function contractOf(
  t: TestTenant,
  planId: string,
  customerId: string,
  extra: Record<string, unknown> = {},
) {
  const res = await t.post("/v1/contracts", {
    customerId,
    planId,
    startDate: "2025-04-01",
    billingPeriod: "monthly",
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe("usage report periods are computed, never walked", () => {
  it("a contract that starts next month reports its first period (zero so far) at once", async () => {
    ctx.clock.set("2025-03-15T12:00:00Z");
    const { t, planId, customerId } = await pricedTenant();
    const id = await contractOf(t, planId, customerId);
    const res = await t.get(`/v1/contracts/${id}/usage-report`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      period: { startDate: "2025-04-01", endDate: "2025-05-01", complete: false, today: "2025-03-15" },
      metrics: [{ key: "calls", value: "0" }],
      total: "0.00",
    });
  });

  it("answers the farthest supported date and refuses dates outside the range with the path", async () => {
    ctx.clock.set("2025-03-15T12:00:00Z");
    const { t, planId, customerId } = await pricedTenant();
    const id = await contractOf(t, planId, customerId, { startDate: "2025-01-01" });
    const far = await t.get(`/v1/contracts/${id}/usage-report?periodStart=9999-12-31`);
    expect(far.statusCode, far.body).toBe(200);
    expect(far.json().period).toMatchObject({ startDate: "9999-12-01", endDate: "10000-01-01" });
    for (const periodStart of ["1969-12-31", "0001-01-01T00:00:00Z", "2025-02-30"]) {
      const res = await t.get(`/v1/contracts/${id}/usage-report?periodStart=${periodStart}`);
      expect(res.statusCode, periodStart).toBe(400);
      expect(res.json().error).toMatchObject({
        code: "VALIDATION_FAILED",
        details: [expect.objectContaining({ path: "query.periodStart" })],
      });
    }
    const before = await t.get(`/v1/contracts/${id}/usage-report?periodStart=2024-12-31`);
    expect(before.statusCode).toBe(400);
    expect(before.json().error.details[0].path).toBe("query.periodStart");
  });

  it("an ended contract reports its last period", async () => {
    ctx.clock.set("2025-09-15T12:00:00Z");
    const { t, planId, customerId } = await pricedTenant();
    const id = await contractOf(t, planId, customerId, { startDate: "2025-01-10", endDate: "2025-03-04" });
    const res = await t.get(`/v1/contracts/${id}/usage-report`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().period).toMatchObject({
      startDate: "2025-03-01",
      endDate: "2025-03-05",
      complete: true,
    });
  });
});

describe("decimals are bounded on the way in and plain digits on the way out", () => {
  it("refuses a 2,001-digit usage and a 1,100-digit override with the path", async () => {
    const { t, planId, customerId } = await pricedTenant();
    const huge = `1${"0".repeat(2000)}`;
    const preview = await t.post(`/v1/plans/${planId}/preview`, { input: { usage: { calls: huge } } });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().error.details).toEqual([expect.objectContaining({ path: "$.input.usage.calls" })]);
    const contract = await t.post("/v1/contracts", {
      customerId,
      planId,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      paramOverrides: { rate: "9".repeat(1100) },
    });
    expect(contract.statusCode).toBe(400);
    expect(contract.json().error.details[0].path).toBe("$.paramOverrides.rate");
    const events = await t.post("/v1/events", {
      events: [
        {
          id: "e-1",
          customer: "c-1",
          type: "api",
          timestamp: "2025-03-01T00:00:00Z",
          properties: { n: 1e300 },
        },
      ],
    });
    expect(events.statusCode).toBe(400);
    expect(events.json().error.details[0].path).toBe("$.events[0].properties.n");
  });

  it("values at the bound preview as plain digits", async () => {
    const { t, planId } = await pricedTenant();
    const widest = `${"9".repeat(20)}.${"9".repeat(20)}`; // 40 digits, the most accepted
    const res = await t.post(`/v1/plans/${planId}/preview`, {
      input: { usage: { calls: widest }, params: { rate: widest } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { total, lines } = res.json();
    expect(total).toMatch(/^\d{40}\.\d{2}$/);
    expect(lines[0].unrounded).toMatch(/^\d+(\.\d+)?$/);
    expect(res.body).not.toMatch(/\d[eE][+-]?\d/);
  });
});
