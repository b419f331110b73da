import { compile, evaluate } from "@pricegraph/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, perUnitPlan, type TestContext } from "../../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const brokenPlan = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [],
  nodes: [
    { id: "u", type: "usage", position: { x: 0, y: 0 }, data: { metric: "m" } },
    { id: "x", type: "teleport", position: { x: 0, y: 100 }, data: {} },
    { id: "l", type: "invoiceLine", position: { x: 300, y: 0 }, data: { description: "Line" } },
  ],
  edges: [],
};

describe("plans", () => {
  it("creates a plan with an empty draft, renames and lists it", async () => {
    const t = await createTestTenant(ctx);
    const created = await t.post("/v1/plans", { name: "Starter", currency: "EUR" });
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    expect(plan).toMatchObject({
      name: "Starter",
      description: null,
      latestVersion: null,
      draft: { format: "pricegraph/v1", currency: "EUR", params: [], nodes: [], edges: [] },
    });
    expect(plan.id).toMatch(/^pln_/);
    const renamed = await t.patch(`/v1/plans/${plan.id}`, { name: "Starter 2", description: "for startups" });
    expect(renamed.json()).toMatchObject({ name: "Starter 2", description: "for startups" });
    const list = (await t.get("/v1/plans")).json();
    expect(list).toMatchObject({ data: [{ id: plan.id, name: "Starter 2" }], nextCursor: null });
  });

  it("saves any envelope-valid draft with the compiler's problems, and refuses an invalid envelope", async () => {
    const t = await createTestTenant(ctx);
    const plan = (await t.post("/v1/plans", { name: "P" })).json();
    const saved = await t.put(`/v1/plans/${plan.id}/draft`, { document: brokenPlan });
    expect(saved.statusCode).toBe(200);
    const { problems } = saved.json();
    expect(problems.map((p: { code: string }) => p.code)).toEqual(
      expect.arrayContaining(["UNKNOWN_NODE_TYPE", "INPUT_UNCONNECTED"]),
    );
    expect(saved.json().plan.draft.nodes).toHaveLength(3);
    const bad = await t.put(`/v1/plans/${plan.id}/draft`, {
      document: { ...brokenPlan, currency: "XYZ", extra: 1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(["$.document.currency"]),
    );
  });

  it("refuses to publish a draft with problems, listing every one with node ids", async () => {
    const t = await createTestTenant(ctx);
    const plan = (await t.post("/v1/plans", { name: "P", document: brokenPlan })).json();
    const res = await t.post(`/v1/plans/${plan.id}/versions`, {});
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe("PLAN_INVALID");
    const expected = compile(brokenPlan);
    expect(expected.ok).toBe(false);
    if (!expected.ok) expect(error.details).toHaveLength(expected.problems.length);
    expect(error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "UNKNOWN_NODE_TYPE", nodeId: "x" })]),
    );
    expect((await t.get(`/v1/plans/${plan.id}/versions`)).json()).toEqual({ data: [] });
    expect((await t.get(`/v1/plans/${plan.id}`)).json().latestVersion).toBeNull();
  });

  it("refuses to publish a usage node naming an undefined metric, naming the node; publishes once it exists", async () => {
    const t = await createTestTenant(ctx);
    const plan = (await t.post("/v1/plans", { name: "P", document: perUnitPlan("api_cals") })).json();
    const res = await t.post(`/v1/plans/${plan.id}/versions`, {});
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: "PLAN_INVALID",
      details: [{ code: "UNKNOWN_METRIC", nodeId: "u", path: "$.metric" }],
    });
    expect(res.json().error.details[0].message).toContain('"api_cals"');
    expect((await t.get(`/v1/plans/${plan.id}`)).json().latestVersion).toBeNull();
    // The draft itself may name it: drafts are work in progress.
    expect(
      (await t.put(`/v1/plans/${plan.id}/draft`, { document: perUnitPlan("api_cals") })).statusCode,
    ).toBe(200);
    await t.post("/v1/metrics", { key: "api_cals", eventType: "api_call", aggregation: "count" });
    expect((await t.post(`/v1/plans/${plan.id}/versions`, {})).statusCode).toBe(201);
  });

  it("publishes numbered versions whose documents never change", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "calls", eventType: "call", aggregation: "count" });
    const doc = perUnitPlan("calls", { rate: "0.5" });
    const plan = (await t.post("/v1/plans", { name: "P", document: doc })).json();
    const v1 = await t.post(`/v1/plans/${plan.id}/versions`);
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({
      planId: plan.id,
      version: 1,
      document: doc,
      publishedAt: "2025-03-15T12:00:00.000Z",
    });

    const changed = perUnitPlan("calls", { rate: "0.9" });
    await t.put(`/v1/plans/${plan.id}/draft`, { document: changed });
    const v2 = (await t.post(`/v1/plans/${plan.id}/versions`, {})).json();
    expect(v2.version).toBe(2);
    expect((await t.get(`/v1/plans/${plan.id}/versions/1`)).json().document).toEqual(doc);
    expect((await t.get(`/v1/plans/${plan.id}/versions/2`)).json().document).toEqual(changed);
    expect(
      (await t.get(`/v1/plans/${plan.id}/versions`)).json().data.map((v: { version: number }) => v.version),
    ).toEqual([2, 1]);
    expect((await t.get(`/v1/plans/${plan.id}`)).json().latestVersion).toBe(2);
    // Breaking the draft afterwards leaves the versions untouched.
    await t.put(`/v1/plans/${plan.id}/draft`, { document: brokenPlan });
    expect((await t.get(`/v1/plans/${plan.id}/versions/1`)).json().document).toEqual(doc);
    expect((await t.get(`/v1/plans/${plan.id}/versions/3`)).statusCode).toBe(404);
    expect((await t.get(`/v1/plans/${plan.id}/versions/zero`)).statusCode).toBe(400);
    // There is no route that edits a version.
    expect((await t.put(`/v1/plans/${plan.id}/versions/1`, { document: changed })).statusCode).toBe(404);
  });

  it("numbers concurrent publishes densely", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "m", eventType: "m", aggregation: "count" });
    const plan = (await t.post("/v1/plans", { name: "P", document: perUnitPlan("m") })).json();
    const results = await Promise.all([1, 2, 3, 4].map(() => t.post(`/v1/plans/${plan.id}/versions`)));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(results.map((r) => r.json().version).sort()).toEqual([1, 2, 3, 4]);
  });

  it("previews the draft or a version exactly as the engine evaluates it", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/metrics", { key: "calls", eventType: "call", aggregation: "count" });
    const doc = perUnitPlan("calls", { rate: "0.5" });
    const plan = (await t.post("/v1/plans", { name: "P", document: doc })).json();
    await t.post(`/v1/plans/${plan.id}/versions`);
    await t.put(`/v1/plans/${plan.id}/draft`, { document: perUnitPlan("calls", { rate: "2" }) });
    const input = { usage: { calls: "10" }, params: {} };
    const draft = await t.post(`/v1/plans/${plan.id}/preview`, { input });
    expect(draft.statusCode).toBe(200);
    expect(draft.json().total).toBe("20.00");
    const v1 = await t.post(`/v1/plans/${plan.id}/preview`, {
      version: 1,
      input: { ...input, params: { rate: 3 } },
    });
    const compiled = compile(doc);
    if (!compiled.ok) throw new Error("test plan must compile");
    const expected = evaluate(compiled.plan, { usage: { calls: "10" }, params: { rate: "3" } });
    if (!expected.ok) throw new Error("test plan must evaluate");
    expect(v1.json()).toEqual(expected.output);
    expect(v1.json().total).toBe("30.00");
    expect((await t.post(`/v1/plans/${plan.id}/preview`, { version: 9, input })).statusCode).toBe(404);
    const badInput = await t.post(`/v1/plans/${plan.id}/preview`, { input: { usage: { calls: "ten" } } });
    expect(badInput.statusCode).toBe(400);
    expect(badInput.json().error.details[0].path).toBe("$.input.usage.calls");
    await t.put(`/v1/plans/${plan.id}/draft`, { document: brokenPlan });
    const broken = await t.post(`/v1/plans/${plan.id}/preview`, { input });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().error.code).toBe("PLAN_INVALID");
  });

  it("hides other tenants' plans and versions (404)", async () => {
    const a = await createTestTenant(ctx);
    const b = await createTestTenant(ctx);
    await a.post("/v1/metrics", { key: "m", eventType: "m", aggregation: "count" });
    const plan = (await a.post("/v1/plans", { name: "Secret", document: perUnitPlan("m") })).json();
    expect((await a.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
    expect((await b.get(`/v1/plans/${plan.id}`)).statusCode).toBe(404);
    expect((await b.patch(`/v1/plans/${plan.id}`, { name: "x" })).statusCode).toBe(404);
    expect((await b.put(`/v1/plans/${plan.id}/draft`, { document: perUnitPlan("z") })).statusCode).toBe(404);
    expect((await b.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(404);
    expect((await b.get(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(404);
    expect((await b.get(`/v1/plans/${plan.id}/versions/1`)).statusCode).toBe(404);
    expect((await b.post(`/v1/plans/${plan.id}/preview`, { input: {} })).statusCode).toBe(404);
    expect((await b.get("/v1/plans")).json().data).toEqual([]);
    expect((await a.get(`/v1/plans/${plan.id}`)).json().draft.nodes[0].data.metric).toBe("m");
  });
});
