import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { randomIds } from "../../context.ts";
import { evaluateAlerts, REST_FACTOR, restAfterPass } from "./evaluate.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const deps = () => ({ db: ctx.database.db, clock: ctx.clock.fn, ids: randomIds });
let eventCounter = 0;

/** A customer on a 0.5-per-call plan (with a credit pool when `credits` is given) since the 1st of the month. */
async function meteredCustomer(t: TestTenant, externalId: string, credits?: string) {
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const document = perUnitPlan("calls", { rate: "0.5", ...(credits ? { pool: "promo" } : {}) });
  const plan = (await t.post("/v1/plans", { name: `Calls ${externalId}`, document })).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  const customer = (await t.post("/v1/customers", { externalId, name: externalId, timezone: "UTC" })).json();
  const contract = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: plan.id,
    startDate: "2025-03-01",
    billingPeriod: "monthly",
    creditGrants: credits ? [{ pool: "promo", amount: credits }] : [],
  });
  expect(contract.statusCode, contract.body).toBe(201);
  return customer.id as string;
}

async function ingest(t: TestTenant, customer: string, count: number) {
  const events = Array.from({ length: count }, () => ({
    id: `e${++eventCounter}`,
    customer,
    type: "api",
    timestamp: new Date(ctx.clock.now.getTime() - 3_600_000).toISOString(),
  }));
  const response = await t.post("/v1/events", { events });
  expect(response.statusCode, response.body).toBeLessThan(300);
}

async function triggered(t: TestTenant) {
  const records = (await t.get("/v1/activity?type=alert.triggered&limit=100")).json().data;
  return records
    .map(
      (r: { object: { alertName: string; threshold: string } }) =>
        `${r.object.alertName}@${r.object.threshold}`,
    )
    .sort();
}

it("fires each threshold once per period as usage arrives, also under concurrent ingestion and evaluation", async () => {
  const t = await createTestTenant(ctx);
  const customerId = await meteredCustomer(t, "acme");
  const usage = await t.post("/v1/alerts", {
    name: "calls",
    kind: "usage",
    metricKey: "calls",
    customerId,
    thresholds: ["100", "10"],
  });
  expect(usage.statusCode, usage.body).toBe(201);
  expect(usage.json().thresholds).toEqual(["10", "100"]);
  await t.post("/v1/alerts", { name: "spend", kind: "spend", thresholds: ["5"] });
  await t.post("/v1/alerts", { name: "all", kind: "usage", metricKey: "calls", thresholds: ["50"] });

  await ingest(t, "acme", 20);
  expect(await evaluateAlerts(deps())).toBe(2);
  expect(await triggered(t)).toEqual(["calls@10", "spend@5"]);
  const [record] = (await t.get("/v1/activity?type=alert.triggered&limit=1")).json().data;
  expect(record.actor).toEqual({ type: "system", id: "alerts" });
  expect(record.object).toMatchObject({ customerId, periodStart: "2025-03-01T00:00:00.000Z" });

  // Ingestion from four clients and three evaluators at once: still one firing per threshold.
  await Promise.all([
    ...Array.from({ length: 4 }, () => ingest(t, "acme", 25)),
    evaluateAlerts(deps()),
    evaluateAlerts(deps()),
    evaluateAlerts(deps()),
  ]);
  await Promise.all([evaluateAlerts(deps()), evaluateAlerts(deps())]);
  expect(await triggered(t)).toEqual(["all@50", "calls@10", "calls@100", "spend@5"]);
  const firings = (await t.get("/v1/alert-firings?limit=50")).json().data;
  expect(firings).toHaveLength(4);
  expect(
    firings.find(
      (f: { alertName: string; threshold: string }) => f.alertName === "calls" && f.threshold === "100",
    ).value,
  ).toBe("120");

  // The next period starts over.
  ctx.clock.set("2025-04-02T12:00:00Z");
  const events = Array.from({ length: 12 }, (_, i) => ({
    id: `april-${i}`,
    customer: "acme",
    type: "api",
    timestamp: "2025-04-02T00:00:00Z",
  }));
  await t.post("/v1/events", { events });
  await evaluateAlerts(deps());
  expect((await triggered(t)).filter((x: string) => x === "calls@10")).toHaveLength(2);
});

it("fires when credits left fall to a threshold, and only for contracts that have credits", async () => {
  const t = await createTestTenant(ctx);
  await meteredCustomer(t, "credited", "10");
  await t.post("/v1/alerts", { name: "low credits", kind: "credit_balance", thresholds: ["5", "1"] });
  await ingest(t, "credited", 8); // 4.00 used, 6.00 left
  expect(await evaluateAlerts(deps())).toBe(0);
  await ingest(t, "credited", 4); // 6.00 used, 4.00 left
  expect(await evaluateAlerts(deps())).toBe(1);
  expect(await triggered(t)).toEqual(["low credits@5"]);
});

it("refuses alerts it could never evaluate, and keeps tenants apart", async () => {
  const t = await createTestTenant(ctx);
  const noMetric = await t.post("/v1/alerts", { name: "x", kind: "usage", thresholds: ["1"] });
  expect(noMetric.statusCode).toBe(400);
  expect(noMetric.json().error.details[0].path).toBe("$.metricKey");
  const unknown = await t.post("/v1/alerts", {
    name: "x",
    kind: "usage",
    metricKey: "nope",
    thresholds: ["1"],
  });
  expect(unknown.json().error.details[0].path).toBe("$.metricKey");
  const negative = await t.post("/v1/alerts", { name: "x", kind: "spend", thresholds: ["-1"] });
  expect(negative.json().error.details[0].path).toBe("$.thresholds[0]");
  const alert = (await t.post("/v1/alerts", { name: "x", kind: "spend", thresholds: ["1"] })).json();
  const other = await createTestTenant(ctx);
  expect((await other.get(`/v1/alerts/${alert.id}`)).statusCode).toBe(404);
  expect((await other.request({ method: "DELETE", url: `/v1/alerts/${alert.id}` })).statusCode).toBe(404);
  expect((await t.request({ method: "DELETE", url: `/v1/alerts/${alert.id}` })).statusCode).toBe(200);
});

it("rests between passes at least nine times as long as the last pass took", () => {
  expect(REST_FACTOR).toBe(9);
  expect(restAfterPass(5_000, 120)).toBe(5_000);
  expect(restAfterPass(5_000, 2_000)).toBe(18_000);
});

it("evaluates a contract on its local days, from the first, begun east of UTC before the UTC date turns, to the last", async () => {
  ctx.clock.set("2026-11-30T23:30:00Z"); // already 2026-12-01 00:30 in Madrid
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (
    await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls", { rate: "0.5" }) })
  ).json();
  await t.post(`/v1/plans/${plan.id}/versions`);
  const customer = (
    await t.post("/v1/customers", { externalId: "madrid", name: "Madrid", timezone: "Europe/Madrid" })
  ).json();
  const contract = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: plan.id,
    startDate: "2026-12-01",
    endDate: "2026-12-01", // its first local day is its last one too (the end date is served)
    billingPeriod: "monthly",
  });
  expect(contract.statusCode, contract.body).toBe(201);
  await t.post("/v1/alerts", { name: "calls", kind: "usage", metricKey: "calls", thresholds: ["3"] });
  const events = Array.from({ length: 4 }, (_, i) => ({
    id: `madrid-${i}`,
    customer: "madrid",
    type: "api",
    timestamp: "2026-11-30T23:10:00Z", // 00:10 on December 1st in Madrid: the contract's first local day
  }));
  expect((await t.post("/v1/events", { events })).json().accepted).toBe(4);
  expect(await evaluateAlerts(deps())).toBe(1);
  const [firing] = (await t.get("/v1/alert-firings?limit=1")).json().data;
  expect(firing).toMatchObject({ threshold: "3", value: "4", periodStart: "2026-11-30T23:00:00.000Z" });
});
