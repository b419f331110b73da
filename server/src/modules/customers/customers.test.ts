import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

describe("customers", () => {
  it("creates, reads, updates and finds by external id", async () => {
    const t = await createTestTenant(ctx);
    const created = await t.post("/v1/customers", {
      externalId: "acme",
      name: "Acme",
      email: "billing@acme.test",
    });
    expect(created.statusCode).toBe(201);
    const customer = created.json();
    expect(customer).toMatchObject({
      externalId: "acme",
      name: "Acme",
      email: "billing@acme.test",
      timezone: "UTC",
      currency: null,
      createdAt: "2025-03-15T12:00:00.000Z",
    });
    expect(customer.id).toMatch(/^cus_/);
    expect((await t.get(`/v1/customers/${customer.id}`)).json()).toEqual(customer);

    const patched = await t.patch(`/v1/customers/${customer.id}`, {
      timezone: "Europe/Paris",
      currency: "EUR",
      email: null,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      timezone: "Europe/Paris",
      currency: "EUR",
      email: null,
      name: "Acme",
    });

    const byExternal = await t.get("/v1/customers?externalId=acme");
    expect(byExternal.json().data.map((c: { id: string }) => c.id)).toEqual([customer.id]);
  });

  it("refuses a second customer with the same external id (409) and bad fields (400)", async () => {
    const t = await createTestTenant(ctx);
    expect((await t.post("/v1/customers", { externalId: "x", name: "X" })).statusCode).toBe(201);
    const dup = await t.post("/v1/customers", { externalId: "x", name: "Other" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details).toEqual([{ path: "$.externalId", message: "already exists" }]);
    const bad = await t.post("/v1/customers", {
      externalId: "y",
      name: "Y",
      timezone: "Nowhere/Land",
      currency: "XXX",
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["$.currency", "$.timezone"]);
    const patchExternal = await t.patch("/v1/customers/cus_x", { externalId: "z" });
    expect(patchExternal.statusCode).toBe(400);
  });

  it("lists newest first with cursor pagination and search", async () => {
    const t = await createTestTenant(ctx);
    for (let i = 0; i < 5; i++) {
      ctx.clock.set(`2025-03-15T12:00:0${i}.000Z`);
      await t.post("/v1/customers", { externalId: `c${i}`, name: i % 2 ? `Odd ${i}` : `Even ${i}` });
    }
    ctx.clock.set("2025-03-15T12:00:00.000Z");
    const first = (await t.get("/v1/customers?limit=2")).json();
    expect(first.data.map((c: { externalId: string }) => c.externalId)).toEqual(["c4", "c3"]);
    const second = (await t.get(`/v1/customers?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.data.map((c: { externalId: string }) => c.externalId)).toEqual(["c2", "c1"]);
    const third = (await t.get(`/v1/customers?limit=2&cursor=${second.nextCursor}`)).json();
    expect(third).toMatchObject({ nextCursor: null });
    expect(third.data).toHaveLength(1);
    const odd = (await t.get("/v1/customers?search=odd")).json();
    expect(odd.data.map((c: { externalId: string }) => c.externalId)).toEqual(["c3", "c1"]);
    const wildcard = (await t.get("/v1/customers?search=%25")).json();
    expect(wildcard.data).toEqual([]);
    expect((await t.get("/v1/customers?cursor=garbage")).statusCode).toBe(400);
  });

  it("hides other tenants' customers (404) and their external ids", async () => {
    const a = await createTestTenant(ctx);
    const b = await createTestTenant(ctx);
    const customer = (await a.post("/v1/customers", { externalId: "shared", name: "A's" })).json();
    expect((await b.get(`/v1/customers/${customer.id}`)).statusCode).toBe(404);
    expect((await b.patch(`/v1/customers/${customer.id}`, { name: "stolen" })).statusCode).toBe(404);
    expect((await b.get(`/v1/customers/${customer.id}/usage`)).statusCode).toBe(404);
    expect((await b.get("/v1/customers?externalId=shared")).json().data).toEqual([]);
    // The same external id is free in another tenant.
    expect((await b.post("/v1/customers", { externalId: "shared", name: "B's" })).statusCode).toBe(201);
    expect((await a.get(`/v1/customers/${customer.id}`)).json().name).toBe("A's");
  });
});

describe("archiving customers", () => {
  it("hides an archived customer from listings and search, keeps it and its history, and brings it back", async () => {
    const t = await createTestTenant(ctx);
    const kept = (await t.post("/v1/customers", { externalId: "kept", name: "Kept Co" })).json();
    const gone = (await t.post("/v1/customers", { externalId: "gone", name: "Gone Co" })).json();
    const ids = async (query: string) =>
      (await t.get(`/v1/customers${query}`))
        .json()
        .data.map((c: { id: string }) => c.id)
        .sort();

    const archived = await t.post(`/v1/customers/${gone.id}/archive`);
    expect(archived.statusCode).toBe(200);
    expect(archived.json()).toMatchObject({ id: gone.id, archivedAt: "2025-03-15T12:00:00.000Z" });
    expect(await ids("")).toEqual([kept.id]);
    expect(await ids("?search=co")).toEqual([kept.id]);
    expect(await ids("?archived=archived")).toEqual([gone.id]);
    expect(await ids("?archived=all")).toEqual([gone.id, kept.id].sort());
    // Named by its external id (as events name it) it is still found, and it still reads and edits.
    expect(await ids("?externalId=gone")).toEqual([gone.id]);
    expect((await t.get(`/v1/customers/${gone.id}`)).json().archivedAt).not.toBeNull();
    expect((await t.patch(`/v1/customers/${gone.id}`, { name: "Gone Ltd" })).json()).toMatchObject({
      name: "Gone Ltd",
      archivedAt: "2025-03-15T12:00:00.000Z",
    });
    // Archiving twice records once.
    await t.post(`/v1/customers/${gone.id}/archive`);

    const back = await t.post(`/v1/customers/${gone.id}/unarchive`);
    expect(back.json().archivedAt).toBeNull();
    expect(await ids("")).toEqual([gone.id, kept.id].sort());
    const types = (await t.get(`/v1/activity?objectId=${gone.id}`))
      .json()
      .data.map((r: { type: string }) => r.type);
    expect(types.filter((type: string) => type.endsWith("archived"))).toEqual([
      "customer.unarchived",
      "customer.archived",
    ]);

    const other = await createTestTenant(ctx);
    expect((await other.post(`/v1/customers/${kept.id}/archive`)).statusCode).toBe(404);
    expect((await t.get(`/v1/customers/${kept.id}`)).json().archivedAt).toBeNull();
  });
});

describe("customer CSV import", () => {
  it("imports every row", async () => {
    const t = await createTestTenant(ctx);
    const csv =
      'external_id,name,email,timezone,currency\nc1,One,one@x.test,Europe/Berlin,EUR\nc2,"Two, Inc",,,\n';
    const res = await t.csv("/v1/customers/csv", csv);
    expect(res.statusCode).toBe(201);
    expect(res.json().imported).toBe(2);
    const list = (await t.get("/v1/customers")).json().data;
    expect(list.map((c: { name: string }) => c.name).sort()).toEqual(["One", "Two, Inc"]);
    expect(list.find((c: { externalId: string }) => c.externalId === "c2")).toMatchObject({
      timezone: "UTC",
      email: null,
    });
  });

  it("reports every bad row by number and column and stores nothing", async () => {
    const t = await createTestTenant(ctx);
    await t.post("/v1/customers", { externalId: "taken", name: "Taken" });
    const csv = [
      "externalId,name,email,timezone",
      "ok1,Fine,,",
      "bad1,Bad mail,not-an-email,",
      ",No id,,",
      "ok1,Again,,",
      "taken,Exists,,",
      "bad2,Bad tz,,Mars/Olympus",
    ].join("\n");
    const res = await t.csv("/v1/customers/csv", csv);
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { row: number; column: string }[];
    expect(details.map((d) => [d.row, d.column])).toEqual([
      [3, "email"],
      [4, "externalId"],
      [5, "externalId"],
      [6, "externalId"],
      [7, "timezone"],
    ]);
    expect(
      (await t.get("/v1/customers")).json().data.map((c: { externalId: string }) => c.externalId),
    ).toEqual(["taken"]);
  });

  it("refuses unknown columns, a missing name column, malformed CSV and JSON bodies", async () => {
    const t = await createTestTenant(ctx);
    const unknown = await t.csv("/v1/customers/csv", "externalId,nickname\na,b\n");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, column: "nickname" }),
        expect.objectContaining({ row: 1, column: "name" }),
      ]),
    );
    const malformed = await t.csv("/v1/customers/csv", 'externalId,name\na,"unterminated\n');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe("CSV_MALFORMED");
    const json = await t.post("/v1/customers/csv", { rows: [] });
    expect(json.statusCode).toBe(415);
  });
});
