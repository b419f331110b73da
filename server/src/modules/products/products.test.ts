import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("product catalog", () => {
  it("creates, reads, lists, updates and deletes products, sub-products and add-ons", async () => {
    const t = await createTestTenant(ctx);
    const api = await t.post("/v1/products", {
      code: "api",
      name: "API platform",
      description: "Calls to the public API",
      accountingCode: "4000",
    });
    expect(api.statusCode, api.body).toBe(201);
    expect(api.json()).toMatchObject({
      code: "api",
      name: "API platform",
      description: "Calls to the public API",
      accountingCode: "4000",
      parentId: null,
      kind: "product",
    });
    const calls = await t.post("/v1/products", {
      code: "api.calls",
      name: "API calls",
      parentId: api.json().id,
    });
    expect(calls.statusCode, calls.body).toBe(201);
    expect(calls.json()).toMatchObject({ parentId: api.json().id, accountingCode: null });
    const support = await t.post("/v1/products", {
      code: "support",
      name: "Premium support",
      kind: "add_on",
    });
    expect(support.json().kind).toBe("add_on");

    const firstPage = (await t.get("/v1/products?limit=2")).json();
    expect(firstPage.data.map((p: { code: string }) => p.code)).toEqual(["api", "api.calls"]);
    const rest = (await t.get(`/v1/products?limit=2&cursor=${firstPage.nextCursor}`)).json();
    expect(rest).toMatchObject({ data: [{ code: "support" }], nextCursor: null });
    const addOns = (await t.get("/v1/products?kind=add_on")).json();
    expect(addOns.data.map((p: { code: string }) => p.code)).toEqual(["support"]);
    const subs = (await t.get(`/v1/products?parentId=${api.json().id}`)).json();
    expect(subs.data.map((p: { code: string }) => p.code)).toEqual(["api.calls"]);

    const patched = await t.patch(`/v1/products/${support.json().id}`, {
      name: "Support plus",
      accountingCode: "4100",
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ code: "support", name: "Support plus", accountingCode: "4100" });
    expect((await t.get(`/v1/products/${support.json().id}`)).json().name).toBe("Support plus");

    // A product with sub-products stays; the sub-product goes, then the product.
    const refused = await t.request({ method: "DELETE", url: `/v1/products/${api.json().id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details[0]).toMatchObject({ path: "params.id" });
    expect((await t.request({ method: "DELETE", url: `/v1/products/${calls.json().id}` })).statusCode).toBe(
      200,
    );
    expect((await t.request({ method: "DELETE", url: `/v1/products/${api.json().id}` })).statusCode).toBe(
      200,
    );
    expect((await t.get(`/v1/products/${api.json().id}`)).statusCode).toBe(404);

    const activity = (await t.get("/v1/activity?limit=20")).json();
    const types = activity.data.map((a: { type: string }) => a.type);
    expect(types.filter((type: string) => type.startsWith("product."))).toEqual([
      "product.deleted",
      "product.deleted",
      "product.updated",
      "product.created",
      "product.created",
      "product.created",
    ]);
  });

  it("refuses duplicate codes, unknown parents and cycles, naming the field, and changes nothing", async () => {
    const t = await createTestTenant(ctx);
    const a = (await t.post("/v1/products", { code: "a", name: "A" })).json();
    const b = (await t.post("/v1/products", { code: "b", name: "B", parentId: a.id })).json();
    const duplicate = await t.post("/v1/products", { code: "a", name: "Again" });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.details).toEqual([{ path: "$.code", message: "already exists" }]);
    const badCode = await t.post("/v1/products", { code: "has space", name: "X" });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.details[0].path).toBe("$.code");
    const unknownParent = await t.post("/v1/products", { code: "c", name: "C", parentId: "prod_nope" });
    expect(unknownParent.statusCode).toBe(400);
    expect(unknownParent.json().error.details[0]).toMatchObject({ path: "$.parentId" });

    const cycle = await t.patch(`/v1/products/${a.id}`, { parentId: b.id });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.details[0]).toMatchObject({
      path: "$.parentId",
      message: expect.stringMatching(/cycle/),
    });
    const self = await t.patch(`/v1/products/${a.id}`, { parentId: a.id });
    expect(self.statusCode).toBe(400);
    expect((await t.get(`/v1/products/${a.id}`)).json().parentId).toBeNull();
    expect((await t.get("/v1/products")).json().data).toHaveLength(2);
  });
});
