import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, perUnitPlan, type TestContext } from "../../../test/helpers.ts";
import { activityAfter } from "./queries.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("activity log", () => {
  it("records every change with its actor and object, newest first, filterable and paged", async () => {
    const t = await createTestTenant(ctx);
    const keyId = (await t.get("/v1/api-keys")).json().data[0].id as string;
    const customer = (
      await t.post("/v1/customers", { externalId: "acme", name: "Acme", timezone: "UTC" })
    ).json();
    expect((await t.patch(`/v1/customers/${customer.id}`, { name: "Acme Inc" })).statusCode).toBe(200);
    expect(
      (await t.post("/v1/metrics", { key: "calls", eventType: "call", aggregation: "count" })).statusCode,
    ).toBe(201);
    const plan = (await t.post("/v1/plans", { name: "Calls", document: perUnitPlan("calls") })).json();
    expect((await t.post(`/v1/plans/${plan.id}/versions`)).statusCode).toBe(201);
    const contract = await t.post("/v1/contracts", {
      customerId: customer.id,
      planId: plan.id,
      startDate: "2025-01-01",
      billingPeriod: "monthly",
    });
    expect(contract.statusCode).toBe(201);

    const page = (await t.get("/v1/activity")).json();
    expect(page.data.map((r: { type: string }) => r.type)).toEqual([
      "contract.created",
      "plan_version.published",
      "plan.created",
      "metric.created",
      "customer.updated",
      "customer.created",
      "api_key.created",
    ]);
    const [created, updated] = [page.data[5], page.data[4]];
    expect(created).toMatchObject({
      objectType: "customer",
      objectId: customer.id,
      object: { name: "Acme", externalId: "acme" },
      actor: { type: "api_key", id: keyId },
    });
    expect(updated.object.name).toBe("Acme Inc");
    expect(page.data[6].actor).toEqual({ type: "system", id: "tenant-setup" });
    expect(page.data[1].object).toMatchObject({
      planId: plan.id,
      version: 1,
      document: { nodes: expect.any(Array) },
    });
    // Plan records leave the autosaved draft out.
    expect(page.data[2].object.draft).toBeUndefined();

    const byObject = (await t.get(`/v1/activity?objectId=${customer.id}`)).json();
    expect(byObject.data.map((r: { type: string }) => r.type)).toEqual([
      "customer.updated",
      "customer.created",
    ]);
    const byType = (await t.get("/v1/activity?type=metric.created")).json();
    expect(byType.data).toHaveLength(1);

    const first = (await t.get("/v1/activity?limit=3")).json();
    const second = (await t.get(`/v1/activity?limit=3&cursor=${first.nextCursor}`)).json();
    const third = (await t.get(`/v1/activity?limit=3&cursor=${second.nextCursor}`)).json();
    expect([...first.data, ...second.data, ...third.data].map((r: { id: string }) => r.id)).toEqual(
      page.data.map((r: { id: string }) => r.id),
    );
    expect(third.nextCursor).toBeNull();

    const one = await t.get(`/v1/activity/${created.id}`);
    expect(one.json()).toEqual(created);
  });

  it("writes nothing for a refused change and shows no other tenant's records", async () => {
    const t = await createTestTenant(ctx);
    const other = await createTestTenant(ctx);
    await other.post("/v1/customers", { externalId: "x", name: "X", timezone: "UTC" });
    await t.post("/v1/customers", { externalId: "dup", name: "Dup", timezone: "UTC" });
    const refused = await t.post("/v1/customers", { externalId: "dup", name: "Again", timezone: "UTC" });
    expect(refused.statusCode).toBe(409);
    const types = (await t.get("/v1/activity")).json().data.map((r: { type: string }) => r.type);
    expect(types).toEqual(["customer.created", "api_key.created"]);
    const foreign = (await other.get("/v1/activity?type=customer.created")).json().data[0];
    expect((await t.get(`/v1/activity/${foreign.id}`)).statusCode).toBe(404);
  });

  it("refuses bad filters and cursors with a 400 naming the field", async () => {
    const t = await createTestTenant(ctx);
    const badType = await t.get("/v1/activity?type=invoice.exploded");
    expect(badType.statusCode).toBe(400);
    expect(badType.json().error.details[0].path).toBe("query.type");
    const badCursor = await t.get(`/v1/activity?cursor=${Buffer.from('["x"]').toString("base64url")}`);
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.details[0].path).toBe("query.cursor");
  });

  it("is append-only in the database", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/customers", { externalId: "a", name: "A", timezone: "UTC" });
    const db = ctx.database.db;
    await expect(
      db.execute(sql`update activity set type = 'x' where tenant_id = ${t.tenantId}`),
    ).rejects.toThrow();
    await expect(db.execute(sql`delete from activity where tenant_id = ${t.tenantId}`)).rejects.toThrow();
    await expect(db.execute(sql`truncate activity`)).rejects.toThrow();
  });

  it("hands consumers every record once, in commit-safe order", async () => {
    const t = await createTestTenant(ctx);
    const seen: string[] = [];
    let position: { txid: number; seq: number } | null = null;
    const drain = async () => {
      for (;;) {
        const rows = await activityAfter(ctx.database.db, position, 2);
        if (rows.length === 0) return;
        for (const row of rows) if (row.tenantId === t.tenantId) seen.push(row.type);
        const last = rows[rows.length - 1];
        position = { txid: last.txid, seq: last.seq };
      }
    };
    await drain();
    await t.post("/v1/customers", { externalId: "c1", name: "C1", timezone: "UTC" });
    await t.post("/v1/metrics", { key: "m", eventType: "m", aggregation: "count" });
    await drain();
    await t.post("/v1/customers", { externalId: "c2", name: "C2", timezone: "UTC" });
    await drain();
    await drain();
    // The tenant's key was created before the first drain, so the consumer met it there.
    expect(seen).toEqual(["api_key.created", "customer.created", "metric.created", "customer.created"]);
  });
});
