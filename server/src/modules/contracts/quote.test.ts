import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { phasedPlan } from "./lifecycle-fixtures.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("contract quote with what-if usage and a change beside it", () => {
  it("prices measured usage, typed volumes, an amendment and an end of the current period", async () => {
    ctx.clock.set("2025-01-16T12:00:00Z");
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", {
      key: "minutes",
      eventType: "video",
      aggregation: "sum",
      property: "minutes",
    });
    const plan = (await t.post("/v1/plans", { name: "Video", document: phasedPlan })).json();
    await t.post(`/v1/plans/${plan.id}/versions`);
    const customer = (
      await t.post("/v1/customers", { externalId: "acme", name: "Acme", timezone: "UTC" })
    ).json();
    const contract = (
      await t.post("/v1/contracts", {
        customerId: customer.id,
        planId: plan.id,
        startDate: "2025-01-01",
        billingPeriod: "monthly",
      })
    ).json();
    await t.post("/v1/events", {
      events: [
        {
          id: "q1",
          customer: "acme",
          type: "video",
          timestamp: "2025-01-05T10:00:00Z",
          properties: { minutes: 10 },
        },
      ],
    });
    const quote = (body: Record<string, unknown>) => t.post(`/v1/contracts/${contract.id}/quote`, body);
    const amounts = (q: { lines: { description: string; amount: string; phase: string | null }[] }) =>
      q.lines.map((l) => [l.description, l.phase, l.amount]);

    const measured = (await quote({})).json();
    expect(measured).toMatchObject({ whatIf: false, usage: { minutes: "10" }, changed: null, delta: null });
    expect(measured.current.total).toBe("120.00"); // 100 fee + max(10 × 0.5, 20)

    const typed = (await quote({ usage: { minutes: "100" } })).json();
    expect(typed).toMatchObject({ whatIf: true, usage: { minutes: "100" } });
    expect(typed.current.total).toBe("150.00"); // 100 + 100 × 0.5

    const amended = await quote({
      usage: { minutes: "310" },
      amendment: { effectiveDate: "2025-01-17", paramOverrides: { rate: "1" } },
    });
    expect(amended.statusCode, amended.body).toBe(200);
    expect(amended.json().current.total).toBe("255.00"); // 100 + 310 × 0.5
    expect(amounts(amended.json().changed)).toEqual([
      ["Platform fee", "2025-01-01 – 2025-01-16", "51.61"], // 100 × 16/31
      ["Minutes", "2025-01-01 – 2025-01-16", "80.00"], // 310 × 16/31 = 160 at 0.5
      ["Platform fee", "2025-01-17 – 2025-01-31", "48.39"], // 100 × 15/31
      ["Minutes", "2025-01-17 – 2025-01-31", "150.00"], // 310 × 15/31 = 150 at 1
    ]);
    expect(amended.json().delta).toBe("75.00");
    // Nothing was stored.
    expect((await t.get(`/v1/contracts/${contract.id}`)).json().phases).toHaveLength(1);

    const ended = (await quote({ usage: { minutes: "310" }, endDate: "2025-01-15" })).json();
    expect(ended.changed.total).toBe("203.39"); // 100 × 15/31 = 48.39 + 310 × 0.5
    expect(ended.delta).toBe("-51.61");

    const refused = await quote({
      amendment: { effectiveDate: "2024-12-01", paramOverrides: { rate: "1" } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].path).toBe("$.amendment.effectiveDate");

    // GET …/quote prices the period so far on the phase in effect today.
    const amended16 = await t.post(`/v1/contracts/${contract.id}/amendments`, {
      effectiveDate: "2025-01-16",
      paramOverrides: { rate: "3" },
      reason: "test",
    });
    expect(amended16.statusCode, amended16.body).toBe(200);
    expect((await t.get(`/v1/contracts/${contract.id}/quote`)).json().total).toBe("130.00"); // 100 + 10 × 3
  });
});
