import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/helpers.ts";
import { lifecycleHelpers, rows } from "./lifecycle-fixtures.ts";
import { renewDueContracts } from "./renewals.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const { setup, send, bill, invoiceFor } = lifecycleHelpers(() => ctx, "end");

describe("ending a contract", () => {
  it("prorates the last period, credits the advance fee billed for days after the end, bills late events after", async () => {
    ctx.clock.set("2025-02-01T12:00:00Z");
    const { t, contractId } = await setup("UTC", "2025-01-01");
    await bill(t, "2025-02-01T00:00:00Z");
    const jan = await invoiceFor(t, "2025-01-01");
    expect(rows(jan)).toEqual([
      ["Platform fee", "100.00"],
      ["Minutes", "20.00"],
      ["Platform fee", "100.00"], // February in advance
    ]);
    expect((await t.post(`/v1/invoices/${jan.id}/finalize`)).statusCode).toBe(200);
    ctx.clock.set("2025-02-10T12:00:00Z");
    await send(t, "2025-02-05T10:00:00Z", 30);
    const ended = await t.post(`/v1/contracts/${contractId}/end`, {
      endDate: "2025-02-14",
      reason: "Customer churned",
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().contract.endDate).toBe("2025-02-14");
    // February's fee was billed whole; 14 of its 28 days are served: 100 − 100 × 14/28 = 50.00 comes back.
    expect(ended.json().creditNotes).toEqual([
      { id: expect.any(String), number: "CN-000001", invoiceId: jan.id, amount: "50.00" },
    ]);
    const credited = (await t.get(`/v1/invoices/${jan.id}`)).json();
    expect(credited).toMatchObject({ creditedAmount: "50.00", amountDue: "170.00" });
    expect(credited.creditNotes[0].reason).toContain("Customer churned");

    ctx.clock.set("2025-02-15T12:00:00Z");
    await bill(t, "2025-02-15T00:00:00Z");
    const feb = await invoiceFor(t, "2025-02-01");
    expect(feb.periodEndDate).toBe("2025-02-15");
    expect(rows(feb)).toEqual([["Minutes", "15.00"]]); // max(30 × 0.5, 20 × 14/28); no March in advance
    expect((await t.post(`/v1/invoices/${feb.id}/finalize`)).statusCode).toBe(200);

    ctx.clock.set("2025-03-02T12:00:00Z");
    await send(t, "2025-02-20T10:00:00Z", 1000); // after the end: never billed
    await send(t, "2025-02-12T10:00:00Z", 10); // a late event of the last, finalized period
    await bill(t, "2025-03-02T00:00:00Z");
    const list = (await t.get(`/v1/invoices?contractId=${contractId}`)).json().data;
    const adjustment = list.find((i: { kind: string }) => i.kind === "adjustment");
    expect(adjustment.total).toBe("5.00"); // 40 × 0.5 = 20.00 less the 15.00 billed
    const types = (await t.get(`/v1/activity?objectId=${contractId}`))
      .json()
      .data.map((a: { type: string }) => a.type);
    expect(types).toContain("contract.ended");
  });

  it("re-prices a draft the end falls in; refuses an end inside a finalized period or before the start", async () => {
    ctx.clock.set("2025-02-01T12:00:00Z");
    const { t, contractId } = await setup("UTC", "2025-01-01");
    await bill(t, "2025-02-01T00:00:00Z");
    const end = (endDate: string) => t.post(`/v1/contracts/${contractId}/end`, { endDate, reason: "test" });
    expect((await end("2024-12-31")).json().error.details[0].path).toBe("$.endDate");
    const ended = await end("2025-01-15");
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().creditNotes).toEqual([]);
    const jan = await invoiceFor(t, "2025-01-01");
    expect(jan.status).toBe("draft");
    expect(rows(jan)).toEqual([
      ["Platform fee", "48.39"], // 100 × 15/31
      ["Minutes", "9.68"], // 20 × 15/31
    ]);
    expect((await t.post(`/v1/invoices/${jan.id}/finalize`)).statusCode).toBe(200);
    const inside = await end("2025-01-10");
    expect(inside.statusCode).toBe(409);
    expect(inside.json().error.code).toBe("PERIOD_FINALIZED");
    const later = await end("2025-03-31");
    expect(later.statusCode).toBe(409);
    expect(later.json().error.code).toBe("CONTRACT_ENDED");
    expect((await t.get(`/v1/contracts/${contractId}`)).json().endDate).toBe("2025-01-15");
  });

  it("leaves the term of a contract it ends, so no renewal undoes the end", async () => {
    ctx.clock.set("2025-02-10T12:00:00Z");
    const { t, contractId } = await setup("UTC", "2025-01-01");
    const set = await t.put(`/v1/contracts/${contractId}/renewal`, {
      termMonths: 12,
      renewalPolicy: "same_terms",
    });
    expect(set.json()).toMatchObject({ endDate: "2025-12-31", termMonths: 12 });
    const ended = await t.post(`/v1/contracts/${contractId}/end`, { endDate: "2025-02-28", reason: "test" });
    expect(ended.json().contract).toMatchObject({ endDate: "2025-02-28", termMonths: null });
    ctx.clock.set("2025-02-20T12:00:00Z");
    expect(await renewDueContracts(ctx.deps)).toBe(0);
    expect((await t.get(`/v1/contracts/${contractId}`)).json().endDate).toBe("2025-02-28");
  });
});
