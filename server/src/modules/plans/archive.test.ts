import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  perUnitPlan,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

async function publishedPlan(t: TestTenant, name: string) {
  // Publishing needs the metric the usage node names (409 once it exists: the tenant's second plan).
  await t.post("/v1/metrics", { key: "calls", eventType: "call", aggregation: "count" });
  const plan = (await t.post("/v1/plans", { name, document: perUnitPlan("calls", { rate: "2" }) })).json();
  expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
  return plan as { id: string; name: string };
}

async function contractOn(t: TestTenant, planId: string, endDate?: string, timezone = "UTC") {
  const customer = (
    await t.post("/v1/customers", { externalId: `c-${Math.random()}`, name: "Acme", timezone })
  ).json();
  const res = await t.post("/v1/contracts", {
    customerId: customer.id,
    planId,
    planVersion: 1,
    startDate: "2025-01-01",
    ...(endDate ? { endDate } : {}),
    billingPeriod: "monthly",
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string };
}

/** Ids of a listing, sorted: the test clock stands still, so rows share their creation time. */
const ids = (page: { data: { id: string }[] }) => page.data.map((row) => row.id).sort();
const activityTypes = async (t: TestTenant, objectId: string) =>
  (await t.get(`/v1/activity?objectId=${objectId}`)).json().data.map((r: { type: string }) => r.type);

describe("archiving plans", () => {
  it("hides an archived plan from the default listing, keeps it readable and brings it back", async () => {
    const t = await createTestTenant(ctx);
    const kept = await publishedPlan(t, "Kept");
    const retired = await publishedPlan(t, "Retired");
    const contract = await contractOn(t, retired.id);

    const archived = await t.post(`/v1/plans/${retired.id}/archive`);
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archivedAt).toEqual(expect.any(String));
    expect(ids((await t.get("/v1/plans")).json())).toEqual([kept.id]);
    expect(ids((await t.get("/v1/plans?archived=archived")).json())).toEqual([retired.id]);
    expect(ids((await t.get("/v1/plans?archived=all")).json())).toEqual([retired.id, kept.id].sort());
    // History is kept: the plan, its versions and the contract on it read as before.
    expect((await t.get(`/v1/plans/${retired.id}`)).json()).toMatchObject({
      name: "Retired",
      latestVersion: 1,
    });
    expect((await t.get(`/v1/plans/${retired.id}/versions/1`)).statusCode).toBe(200);
    expect((await t.get(`/v1/contracts/${contract.id}`)).json()).toMatchObject({ planId: retired.id });

    // Archiving again changes nothing and records nothing.
    const again = await t.post(`/v1/plans/${retired.id}/archive`);
    expect(again.json().archivedAt).toBe(archived.json().archivedAt);

    const back = await t.post(`/v1/plans/${retired.id}/unarchive`);
    expect(back.statusCode).toBe(200);
    expect(back.json().archivedAt).toBeNull();
    expect(ids((await t.get("/v1/plans")).json())).toEqual([retired.id, kept.id].sort());
    const types = await activityTypes(t, retired.id);
    expect(types.filter((type: string) => type === "plan.archived")).toHaveLength(1);
    expect(types.filter((type: string) => type === "plan.unarchived")).toHaveLength(1);
  });

  it("refuses new contracts, add-ons and version moves on an archived plan (409 PLAN_ARCHIVED); contracts on it keep going", async () => {
    const t = await createTestTenant(ctx);
    const retired = await publishedPlan(t, "Retired");
    const base = await publishedPlan(t, "Base");
    const existing = await contractOn(t, retired.id);
    // A second version, published before the plan is archived.
    await t.put(`/v1/plans/${retired.id}/draft`, { document: perUnitPlan("calls", { rate: "3" }) });
    expect((await t.post(`/v1/plans/${retired.id}/versions`)).statusCode).toBe(201);
    await t.post(`/v1/plans/${retired.id}/archive`);
    const customer = (
      await t.post("/v1/customers", { externalId: "late", name: "Late", timezone: "UTC" })
    ).json();
    const before = (await t.get("/v1/contracts?limit=100")).json().data.length;

    const created = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: retired.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
    });
    expect(created.statusCode).toBe(409);
    expect(created.json().error).toMatchObject({ code: "PLAN_ARCHIVED", details: [{ path: "$.planId" }] });

    const withAddOn = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: base.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
      addOns: [{ planId: retired.id }],
    });
    expect(withAddOn.statusCode).toBe(409);
    expect(withAddOn.json().error).toMatchObject({
      code: "PLAN_ARCHIVED",
      details: [{ path: "$.addOns[0].planId" }],
    });
    expect((await t.get("/v1/contracts?limit=100")).json().data).toHaveLength(before);

    const moved = await t.post(`/v1/contracts/${existing.id}/amendments`, {
      effectiveDate: "2025-02-01",
      planVersion: 2,
      reason: "new rate",
    });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().error).toMatchObject({ code: "PLAN_ARCHIVED", details: [{ path: "$.planVersion" }] });

    // The contract already on the plan keeps its terms and can still change them on its own version.
    const amended = await t.post(`/v1/contracts/${existing.id}/amendments`, {
      effectiveDate: "2025-02-01",
      paramOverrides: { rate: "1" },
      reason: "discount",
    });
    expect(amended.statusCode, amended.body).toBe(200);
    expect((await t.post(`/v1/contracts/${existing.id}/quote`, {})).statusCode).toBe(200);
  });

  it("refuses to delete a plan contracts use (409 PLAN_HAS_CONTRACTS) and changes nothing", async () => {
    const t = await createTestTenant(ctx);
    const active = await publishedPlan(t, "Active");
    await contractOn(t, active.id);
    await t.post(`/v1/plans/${active.id}/archive`);
    const refused = await t.request({ method: "DELETE", url: `/v1/plans/${active.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: "PLAN_HAS_CONTRACTS",
      message: expect.stringContaining("1 active contract"),
      details: [{ path: "params.id", all: 1, active: 1 }],
    });
    expect((await t.get(`/v1/plans/${active.id}`)).statusCode).toBe(200);

    // A contract that has ended still holds the plan's history.
    const ended = await publishedPlan(t, "Ended");
    await contractOn(t, ended.id, "2025-02-01");
    const refusedEnded = await t.request({ method: "DELETE", url: `/v1/plans/${ended.id}` });
    expect(refusedEnded.statusCode).toBe(409);
    expect(refusedEnded.json().error).toMatchObject({
      code: "PLAN_HAS_CONTRACTS",
      details: [{ all: 1, active: 0 }],
    });
    expect(await activityTypes(t, ended.id)).not.toContain("plan.deleted");

    // A contract on its last local day is still active, though the UTC date has moved past it.
    ctx.clock.set("2026-12-02T02:00:00Z"); // still 2026-12-01 21:00 in New York
    const lastDay = await publishedPlan(t, "Last day");
    await contractOn(t, lastDay.id, "2026-12-01", "America/New_York");
    const refusedLastDay = await t.request({ method: "DELETE", url: `/v1/plans/${lastDay.id}` });
    expect(refusedLastDay.json().error).toMatchObject({ details: [{ all: 1, active: 1 }] });
  });

  it("deletes a plan no contract used, with its versions, and records it", async () => {
    const t = await createTestTenant(ctx);
    const unused = await publishedPlan(t, "Unused");
    const deleted = await t.request({ method: "DELETE", url: `/v1/plans/${unused.id}` });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ id: unused.id, name: "Unused" });
    expect((await t.get(`/v1/plans/${unused.id}`)).statusCode).toBe(404);
    expect((await t.get(`/v1/plans/${unused.id}/versions/1`)).statusCode).toBe(404);
    expect(ids((await t.get("/v1/plans?archived=all")).json())).toEqual([]);
    expect(await activityTypes(t, unused.id)).toContain("plan.deleted");
    expect((await t.request({ method: "DELETE", url: `/v1/plans/${unused.id}` })).statusCode).toBe(404);
  });

  it("keeps other tenants' plans out of reach (404) and refuses an unknown filter (400)", async () => {
    const owner = await createTestTenant(ctx);
    const other = await createTestTenant(ctx);
    const plan = await publishedPlan(owner, "Mine");
    expect((await other.post(`/v1/plans/${plan.id}/archive`)).statusCode).toBe(404);
    expect((await other.request({ method: "DELETE", url: `/v1/plans/${plan.id}` })).statusCode).toBe(404);
    expect((await owner.get(`/v1/plans/${plan.id}`)).json().archivedAt).toBeNull();
    const bad = await owner.get("/v1/plans?archived=maybe");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toContain("archived");
  });
});
