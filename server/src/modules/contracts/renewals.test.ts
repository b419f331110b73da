import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { drainBillingJobs } from "../billing-runs/service.ts";
import { phasedPlan } from "./lifecycle-fixtures.ts";
import { renewDueContracts } from "./renewals.ts";
import { startRenewalWorker } from "./renewals-worker.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

async function setupTenant() {
  const t = await createTestTenant(ctx);
  await t.post("/v1/metrics", {
    key: "minutes",
    eventType: "video",
    aggregation: "sum",
    property: "minutes",
  });
  const plan = (await t.post("/v1/plans", { name: "Video", document: phasedPlan })).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  const customer = (
    await t.post("/v1/customers", { externalId: "acme", name: "Acme", timezone: "UTC" })
  ).json();
  const contract = async (body: Record<string, unknown>) => {
    const res = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      termMonths: 3,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  return { t, contract };
}

describe("renewals", () => {
  it("renews under each policy once the term's last period begins, exactly once, and records it", async () => {
    ctx.clock.set("2025-01-01T12:00:00Z");
    const { t, contract } = await setupTenant();
    const same = await contract({ renewalPolicy: "same_terms", paramOverrides: { rate: "1" } });
    const defaults = await contract({ renewalPolicy: "plan_defaults", paramOverrides: { fee: "200" } });
    const tenantDefault = await contract({});
    const none = await contract({ renewalPolicy: "none" });
    const get = async (id: string) => (await t.get(`/v1/contracts/${id}`)).json();
    expect(await get(same)).toMatchObject({
      endDate: "2025-03-31",
      termMonths: 3,
      renewalPolicy: "same_terms",
    });
    expect((await t.get("/v1/contract-settings")).json()).toEqual({ renewalPolicy: "none" });

    ctx.clock.set("2025-02-28T12:00:00Z"); // the term's last period (March) has not begun
    await renewDueContracts(ctx.deps);
    expect((await get(same)).endDate).toBe("2025-03-31");

    ctx.clock.set("2025-03-01T12:00:00Z");
    await renewDueContracts(ctx.deps);
    await renewDueContracts(ctx.deps); // a second pass (another process) renews nothing again
    expect(await get(same)).toMatchObject({ endDate: "2025-06-30", paramOverrides: { rate: "1" } });
    expect((await get(same)).phases).toHaveLength(1);
    const renewedDefaults = await get(defaults);
    expect(renewedDefaults.endDate).toBe("2025-06-30");
    expect(
      renewedDefaults.phases.map((p: { effectiveDate: string; paramOverrides: unknown }) => [
        p.effectiveDate,
        p.paramOverrides,
      ]),
    ).toEqual([
      ["2025-01-01", { fee: "200" }],
      ["2025-04-01", {}],
    ]);
    expect((await get(tenantDefault)).endDate).toBe("2025-03-31"); // the tenant's default: none
    expect((await get(none)).endDate).toBe("2025-03-31");

    // The tenant's default now renews the contracts that name no policy of their own, not the one that says none.
    expect((await t.put("/v1/contract-settings", { renewalPolicy: "same_terms" })).statusCode).toBe(200);
    await renewDueContracts(ctx.deps);
    expect((await get(tenantDefault)).endDate).toBe("2025-06-30");
    expect((await get(none)).endDate).toBe("2025-03-31");

    const records = (await t.get("/v1/activity?type=contract.renewed")).json().data;
    expect(records).toHaveLength(3);
    expect(records.every((r: { actor: { type: string; id: string } }) => r.actor.type === "system")).toBe(
      true,
    );
    const record = records.find((r: { objectId: string }) => r.objectId === same);
    expect(record.object.renewal).toEqual({
      policy: "same_terms",
      previousEndDate: "2025-03-31",
      termStart: "2025-04-01",
      endDate: "2025-06-30",
    });

    // The invoice closing the term's last period bills the next term's first advance fee, on the plan's defaults.
    ctx.clock.set("2025-04-01T06:00:00Z");
    const run = await t.post("/v1/billing-runs", { asOf: "2025-04-01T00:00:00Z" });
    expect(run.statusCode).toBe(202);
    await drainBillingJobs(ctx.deps);
    const invoices = (await t.get(`/v1/invoices?contractId=${defaults}&limit=10`)).json().data;
    const march = invoices.find((i: { periodStartDate: string }) => i.periodStartDate === "2025-03-01");
    const lines = (await t.get(`/v1/invoices/${march.id}`)).json().lines;
    expect(lines.map((l: { description: string; amount: string }) => [l.description, l.amount])).toEqual([
      ["Minutes", "20.00"],
      ["Platform fee", "100.00"], // April: the plan's default fee, no longer the 200 override
    ]);
  });

  it("sets a term and policy on a running contract; refuses a term with an end date", async () => {
    ctx.clock.set("2025-02-10T12:00:00Z");
    const { t, contract } = await setupTenant();
    const id = await contract({ termMonths: undefined });
    const set = await t.put(`/v1/contracts/${id}/renewal`, { termMonths: 12, renewalPolicy: "same_terms" });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ endDate: "2025-12-31", termMonths: 12, renewalPolicy: "same_terms" });
    const both = await t.post("/v1/contracts", {
      customerId: "x",
      planId: "y",
      startDate: "2025-01-01",
      endDate: "2025-06-30",
      termMonths: 6,
      billingPeriod: "monthly",
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details.map((d: { path: string }) => d.path)).toContain("$.termMonths");
  });

  it("the scheduled pg-boss job renews a due contract by itself", async () => {
    ctx.clock.set("2025-03-01T12:00:00Z");
    const { t, contract } = await setupTenant();
    const id = await contract({ renewalPolicy: "same_terms" });
    const worker = await startRenewalWorker(ctx.deps);
    try {
      const deadline = Date.now() + 30_000;
      let endDate = "";
      while (Date.now() < deadline) {
        endDate = (await t.get(`/v1/contracts/${id}`)).json().endDate;
        if (endDate !== "2025-03-31") break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(endDate).toBe("2025-06-30");
    } finally {
      await worker.stop();
    }
    const records = (await t.get(`/v1/activity?objectId=${id}&type=contract.renewed`)).json().data;
    expect(records).toHaveLength(1);
    expect(records[0].actor).toMatchObject({ type: "system", id: "contract-renewals" });
  }, 60_000);
});
