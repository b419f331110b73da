import { Decimal } from "@pricegraph/engine";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

/** A platform fee billed in advance (prorated) and calls at a `rate` parameter. */
function feeAndCalls(fee: string, rate = "0.5") {
  return {
    format: "pricegraph/v1",
    currency: "EUR",
    params: [{ key: "rate", label: "Rate", type: "money", default: rate }],
    nodes: [
      { id: "fee", type: "flatFee", position: { x: 0, y: 0 }, data: { amount: fee, prorate: true } },
      {
        id: "feeLine",
        type: "invoiceLine",
        position: { x: 300, y: 0 },
        data: { description: "Platform", timing: "advance" },
      },
      { id: "u", type: "usage", position: { x: 0, y: 100 }, data: { metric: "calls" } },
      { id: "p", type: "perUnit", position: { x: 150, y: 100 }, data: { unitPrice: { param: "rate" } } },
      { id: "callLine", type: "invoiceLine", position: { x: 300, y: 100 }, data: { description: "Calls" } },
    ],
    edges: [
      { id: "e1", source: "fee", sourceHandle: "out", target: "feeLine", targetHandle: "amount" },
      { id: "e2", source: "u", sourceHandle: "out", target: "p", targetHandle: "in" },
      { id: "e3", source: "p", sourceHandle: "out", target: "callLine", targetHandle: "amount" },
      { id: "e4", source: "u", sourceHandle: "out", target: "callLine", targetHandle: "quantity" },
    ],
  };
}

interface Setup {
  t: TestTenant;
  planId: string;
  contracts: Record<string, string>;
}

/** Version 1 (fee 10), version 2 (fee 12); a, b on version 1 (a at rate 0.4, b from Jan 15), c on version 2. */
async function setup(): Promise<Setup> {
  ctx.clock.set("2025-05-01T06:00:00Z");
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (await t.post("/v1/plans", { name: "Platform", document: feeAndCalls("10") })).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  await t.put(`/v1/plans/${plan.id}/draft`, { document: feeAndCalls("12") });
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  const contracts: Record<string, string> = {};
  const terms = {
    a: { planVersion: 1, startDate: "2025-01-01", paramOverrides: { rate: "0.4" } },
    b: { planVersion: 1, startDate: "2025-01-15", paramOverrides: {} },
    c: { planVersion: 2, startDate: "2025-01-01", paramOverrides: {} },
  };
  for (const [name, contract] of Object.entries(terms)) {
    const customer = (await t.post("/v1/customers", { externalId: name, name: `Customer ${name}` })).json();
    const created = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      billingPeriod: "monthly",
      ...contract,
    });
    expect(created.statusCode).toBe(201);
    contracts[name] = created.json().id;
  }
  // a: 10 calls in February, 20 in March; b: 4 in April; c: 6 in March.
  const calls: [string, string, number][] = [
    ["a", "2025-02-10T00:00:00Z", 10],
    ["a", "2025-03-10T00:00:00Z", 20],
    ["b", "2025-04-10T00:00:00Z", 4],
    ["c", "2025-03-10T00:00:00Z", 6],
  ];
  const events = calls.flatMap(([customer, timestamp, count]) =>
    Array.from({ length: count }, (_, i) => ({
      id: `${customer}-${timestamp}-${i}`,
      customer,
      type: "api",
      timestamp,
      properties: {},
    })),
  );
  expect((await t.post("/v1/events", { events })).statusCode).toBeLessThan(300);
  await t.post("/v1/billing-runs", { asOf: "2025-05-01T00:00:00Z" });
  await drainBillingJobs(ctx.deps);
  return { t, planId: plan.id, contracts };
}

it("a dry run re-prices the last three invoiced periods on the target version: the sum of quotes", async () => {
  const { t, planId, contracts } = await setup();
  const response = await t.post(`/v1/plans/${planId}/migrations`, {
    fromVersion: 1,
    toVersion: 2,
    effectiveDate: "2025-05-01",
    dryRun: true,
  });
  expect(response.statusCode).toBe(200);
  const result = response.json();
  expect(result).toMatchObject({ fromVersion: 1, toVersion: 2, dryRun: true, currency: "EUR", periods: 3 });
  expect(result.contracts.map((c: { contractId: string }) => c.contractId).sort()).toEqual(
    [contracts.a, contracts.b].sort(),
  );
  const a = result.contracts.find((c: { contractId: string }) => c.contractId === contracts.a);
  // By hand, February to April at rate 0.4: billed (fee 10) 14 + 18 + 10 = 42; on version 2 (fee 12) 16 + 20 + 12.
  expect(a.periods.map((p: { startDate: string }) => p.startDate)).toEqual([
    "2025-02-01",
    "2025-03-01",
    "2025-04-01",
  ]);
  expect(a).toMatchObject({ invoiced: "42.00", repriced: "48.00", delta: "6.00", droppedOverrides: [] });
  const b = result.contracts.find((c: { contractId: string }) => c.contractId === contracts.b);
  // b: 10 + 10 + (10 + 2) billed; 12 + 12 + 14 on version 2.
  expect(b).toMatchObject({ invoiced: "32.00", repriced: "38.00", delta: "6.00" });
  expect(result.totals).toEqual({ invoiced: "74.00", repriced: "86.00", delta: "12.00" });

  // Each re-priced period is what a quote of version 2 gives for its usage, overrides and proration.
  for (const contract of result.contracts) {
    const detail = (await t.get(`/v1/contracts/${contract.contractId}`)).json();
    let quoted = new Decimal(0);
    for (const period of contract.periods) {
      const usage = (
        await t.get(`/v1/contracts/${contract.contractId}/usage-report?periodStart=${period.startDate}`)
      ).json();
      const quote = await t.post("/v1/quotes", {
        planId,
        planVersion: 2,
        paramOverrides: detail.paramOverrides,
        usage: { calls: usage.metrics[0].value },
        proration: usage.period.proration,
      });
      expect(quote.json().total).toBe(period.repriced);
      quoted = quoted.plus(quote.json().total);
    }
    expect(quoted.toFixed(2)).toBe(contract.repriced);
  }
  // Nothing changed.
  expect((await t.get(`/v1/contracts/${contracts.a}`)).json().planVersion).toBe(1);
});

it("a backtest prices a draft document against every contract of the plan, on any version", async () => {
  const { t, planId, contracts } = await setup();
  const response = await t.post(`/v1/plans/${planId}/backtest`, {
    document: feeAndCalls("12", "1"),
    periods: 2,
  });
  expect(response.statusCode).toBe(200);
  const result = response.json();
  expect(result).toMatchObject({ version: null, periods: 2 });
  const byId = Object.fromEntries(result.contracts.map((c: { contractId: string }) => [c.contractId, c]));
  // March and April. a keeps its own rate 0.4: 12 + 8 + 12 against 18 + 10.
  expect(byId[contracts.a]).toMatchObject({ invoiced: "28.00", repriced: "32.00", delta: "4.00" });
  // b at the new default rate 1: 12 + (12 + 4) against 10 + 12.
  expect(byId[contracts.b]).toMatchObject({ invoiced: "22.00", repriced: "28.00", delta: "6.00" });
  // c was on version 2 already: 12 + 6 + 12 against 15 + 12.
  expect(byId[contracts.c]).toMatchObject({
    invoiced: "27.00",
    repriced: "30.00",
    delta: "3.00",
    planVersion: 2,
  });
  expect(result.totals).toEqual({ invoiced: "77.00", repriced: "90.00", delta: "13.00" });

  // A published version works the same; a document that does not compile names its problems.
  const v1 = (await t.post(`/v1/plans/${planId}/backtest`, { version: 1 })).json();
  expect(v1.contracts).toHaveLength(3);
  const broken = await t.post(`/v1/plans/${planId}/backtest`, {
    document: { ...feeAndCalls("12"), edges: [] },
  });
  expect(broken.statusCode).toBe(422);
  expect(broken.json().error.code).toBe("PLAN_INVALID");
});

it("refuses what it cannot backtest, naming the field", async () => {
  const { t, planId, contracts } = await setup();
  const wrong = await t.post(`/v1/plans/${planId}/migrations`, {
    fromVersion: 1,
    toVersion: 2,
    effectiveDate: "2025-05-01",
    contractIds: [contracts.a, contracts.c],
  });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.json().error.details).toEqual([
    { path: "$.contractIds[1]", message: `contract ${contracts.c} is on version 2 on 2025-05-01, not 1` },
  ]);
  const missing = await t.post(`/v1/plans/${planId}/migrations`, {
    fromVersion: 1,
    toVersion: 7,
    effectiveDate: "2025-05-01",
  });
  expect(missing.statusCode).toBe(404);
  expect(missing.json().error.details[0].path).toBe("$.toVersion");
  const same = await t.post(`/v1/plans/${planId}/migrations`, {
    fromVersion: 1,
    toVersion: 1,
    effectiveDate: "2025-13-01",
  });
  expect(same.statusCode).toBe(400);
  const both = await t.post(`/v1/plans/${planId}/backtest`, { version: 1, document: feeAndCalls("1") });
  expect(both.statusCode).toBe(400);
  const one = await t.post(`/v1/plans/${planId}/migrations`, {
    fromVersion: 1,
    toVersion: 2,
    effectiveDate: "2025-05-01",
    contractIds: [contracts.a],
    periods: 1,
  });
  expect(one.json().contracts).toHaveLength(1);
  expect(one.json().totals).toEqual({ invoiced: "10.00", repriced: "12.00", delta: "2.00" });
});

it("applying a migration amends each contract once; a retry with the Idempotency-Key replays it", async () => {
  const { t, planId, contracts } = await setup();
  const apply = () =>
    t.request({
      method: "POST",
      url: `/v1/plans/${planId}/migrations`,
      headers: { "idempotency-key": `migrate-${planId}` },
      json: { fromVersion: 1, toVersion: 2, effectiveDate: "2025-05-01", dryRun: false },
    });
  const first = await apply();
  expect(first.statusCode).toBe(200);
  expect(first.json()).toMatchObject({ dryRun: false, totals: { delta: "12.00" } });
  expect(first.json().amended.sort()).toEqual([contracts.a, contracts.b].sort());
  const phasesOf = async (id: string) =>
    (await t.get(`/v1/contracts/${id}`))
      .json()
      .phases.map((p: { effectiveDate: string; planVersion: number }) => [p.effectiveDate, p.planVersion]);
  expect(await phasesOf(contracts.a)).toEqual([
    ["2025-01-01", 1],
    ["2025-05-01", 2],
  ]);
  // a keeps its own rate on the new version.
  const a = (await t.get(`/v1/contracts/${contracts.a}`)).json();
  expect(a.phases[1].paramOverrides).toEqual({ rate: "0.4" });
  expect(await phasesOf(contracts.c)).toEqual([["2025-01-01", 2]]);

  const again = await apply();
  expect(again.statusCode).toBe(200);
  expect(again.headers["idempotent-replayed"]).toBe("true");
  expect(again.json()).toEqual(first.json());
  expect(await phasesOf(contracts.a)).toHaveLength(2);
  const amended = (await t.get("/v1/activity?type=contract.amended&limit=10")).json().data;
  expect(amended).toHaveLength(2);

  // Without the key, a second application finds no contract left on version 1 on that date.
  const second = await t.post(`/v1/plans/${planId}/migrations`, {
    fromVersion: 1,
    toVersion: 2,
    effectiveDate: "2025-05-01",
    dryRun: false,
  });
  expect(second.json()).toMatchObject({ contracts: [], amended: [] });
  expect(await phasesOf(contracts.b)).toHaveLength(2);
});

it("a migration that cannot amend one contract is refused whole, naming it, and changes nothing", async () => {
  const { t, planId, contracts } = await setup();
  const phaseCounts = async () =>
    Promise.all(
      [contracts.a, contracts.b].map(async (id) => (await t.get(`/v1/contracts/${id}`)).json().phases.length),
    );

  // Into a finalized period: every contract is refused; the answer names one.
  const finalized = await t.post(`/v1/plans/${planId}/migrations`, {
    fromVersion: 1,
    toVersion: 2,
    effectiveDate: "2025-03-15",
    dryRun: false,
  });
  expect(finalized.statusCode).toBe(409);
  const error = finalized.json().error;
  expect(error.code).toBe("PERIOD_FINALIZED");
  expect([contracts.a, contracts.b]).toContain(error.details[0].contractId);
  expect(error.message).toContain(error.details[0].contractId);

  // A contract starting on the effective date cannot change on it: a and b could, but nothing is amended.
  const customer = (await t.post("/v1/customers", { externalId: "d", name: "Customer d" })).json();
  const late = (
    await t.post("/v1/contracts", {
      customerId: customer.id,
      planId,
      planVersion: 1,
      startDate: "2025-05-01",
      billingPeriod: "monthly",
    })
  ).json();
  const refused = await t.post(`/v1/plans/${planId}/migrations`, {
    fromVersion: 1,
    toVersion: 2,
    effectiveDate: "2025-05-01",
    dryRun: false,
  });
  expect(refused.statusCode).toBe(400);
  expect(refused.json().error.details[0]).toMatchObject({ path: "$.effectiveDate", contractId: late.id });
  expect(await phaseCounts()).toEqual([1, 1]);
  expect((await t.get("/v1/activity?type=contract.amended&limit=10")).json().data).toHaveLength(0);
});

it("a backtest compares the base plan with what the base plan billed: the contract's add-on lines stay out", async () => {
  ctx.clock.set("2025-05-01T06:00:00Z");
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (await t.post("/v1/plans", { name: "Platform", document: feeAndCalls("10") })).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  const support = (await t.post("/v1/plans", { name: "Support", document: feeAndCalls("7") })).json();
  expect((await t.post(`/v1/plans/${support.id}/versions`)).statusCode).toBe(201);
  const customer = (
    await t.post("/v1/customers", { externalId: "with-support", name: "With support" })
  ).json();
  const contract = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: plan.id,
    startDate: "2025-01-01",
    billingPeriod: "monthly",
    addOns: [{ planId: support.id }],
  });
  expect(contract.statusCode).toBe(201);
  await t.post("/v1/billing-runs", { asOf: "2025-05-01T00:00:00Z" });
  await drainBillingJobs(ctx.deps);

  const response = await t.post(`/v1/plans/${plan.id}/backtest`, { document: feeAndCalls("12"), periods: 3 });
  expect(response.statusCode).toBe(200);
  // February to April: the base plan billed 10 a month (the add-on's 7 a month on the same invoices is no part of
  // it), and prices 12 a month on the new document.
  expect(response.json().contracts).toMatchObject([{ invoiced: "30.00", repriced: "36.00", delta: "6.00" }]);
});

it("a backtest takes each contract on the phase in effect today in its customer's time zone", async () => {
  ctx.clock.set("2026-11-30T23:30:00Z"); // already 2026-12-01 00:30 in Madrid
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", { key: "calls", eventType: "api", aggregation: "count" });
  const plan = (await t.post("/v1/plans", { name: "Platform", document: feeAndCalls("10") })).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  await t.put(`/v1/plans/${plan.id}/draft`, { document: feeAndCalls("12") });
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  const customer = (
    await t.post("/v1/customers", { externalId: "madrid", name: "Madrid", timezone: "Europe/Madrid" })
  ).json();
  const created = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId: plan.id,
    planVersion: 1,
    startDate: "2026-10-01",
    billingPeriod: "monthly",
  });
  expect(created.statusCode, created.body).toBe(201);
  await t.post("/v1/billing-runs", { asOf: "2026-11-30T23:30:00Z" }); // October and November (Madrid)
  await drainBillingJobs(ctx.deps);
  const amended = await t.post(`/v1/contracts/${created.json().id}/amendments`, {
    effectiveDate: "2026-12-01", // Madrid's today
    planVersion: 2,
    paramOverrides: {},
    reason: "Moves to version 2",
  });
  expect(amended.statusCode, amended.body).toBe(200);
  const response = await t.post(`/v1/plans/${plan.id}/backtest`, { version: 2 });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json().contracts).toMatchObject([{ contractId: created.json().id, planVersion: 2 }]);
});
