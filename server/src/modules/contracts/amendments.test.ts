import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { lifecycleHelpers, rows } from "./lifecycle-fixtures.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const { setup, send, bill, invoiceFor } = lifecycleHelpers(() => ctx, "am");

describe("amendments split a period per phase", () => {
  it("month-end split in New York: the last day of January is priced on the new terms", async () => {
    ctx.clock.set("2025-02-01T12:00:00Z");
    const { t, contractId } = await setup("America/New_York", "2025-01-01");
    await send(t, "2025-01-15T15:00:00Z", 10); // Jan 15 local: first phase
    await send(t, "2025-02-01T04:30:00Z", 4); // Jan 31 23:30 local: second phase
    const amended = await t.post(`/v1/contracts/${contractId}/amendments`, {
      effectiveDate: "2025-01-31",
      paramOverrides: { rate: "1", fee: "200" },
      reason: "Upgrade to the premium rate",
    });
    expect(amended.statusCode, amended.body).toBe(200);
    expect(amended.json().phases.map((p: { effectiveDate: string }) => p.effectiveDate)).toEqual([
      "2025-01-01",
      "2025-01-31",
    ]);
    await bill(t, "2025-02-01T06:00:00Z");
    const jan = await invoiceFor(t, "2025-01-01");
    expect(rows(jan)).toEqual([
      ["Platform fee (2025-01-01 – 2025-01-30)", "96.77"], // 100 × 30/31 = 96.774…
      ["Minutes (2025-01-01 – 2025-01-30)", "19.35"], // max(10 × 0.5, 20 × 30/31 = 19.354…)
      ["Platform fee (2025-01-31)", "6.45"], // 200 × 1/31 = 6.451…
      ["Minutes (2025-01-31)", "4.00"], // max(4 × 1, 20 × 1/31 = 0.645…)
      ["Platform fee", "200.00"], // February in advance, on the new terms
    ]);
    expect(jan.total).toBe("326.57");
    // The usage report prices the split period per phase too, like the invoice (without next month's advance).
    const report = await t.get(`/v1/contracts/${contractId}/usage-report?periodStart=2025-01-01`);
    expect(report.statusCode, report.body).toBe(200);
    expect(
      report
        .json()
        .lines.map((l: { description: string; phase: string | null; amount: string }) => [
          l.description,
          l.phase,
          l.amount,
        ]),
    ).toEqual([
      ["Platform fee", "2025-01-01 – 2025-01-30", "96.77"],
      ["Minutes", "2025-01-01 – 2025-01-30", "19.35"],
      ["Platform fee", "2025-01-31", "6.45"],
      ["Minutes", "2025-01-31", "4.00"],
    ]);
    expect(report.json().total).toBe("126.57");
    expect(report.json().metrics).toMatchObject([{ key: "minutes", value: "14" }]);
    const activity = (await t.get(`/v1/activity?objectId=${contractId}`)).json();
    const record = activity.data.find((a: { type: string }) => a.type === "contract.amended");
    expect(record.object.amendment).toMatchObject({
      effectiveDate: "2025-01-31",
      paramOverrides: { rate: "1", fee: "200" },
      reason: "Upgrade to the premium rate",
    });
  });

  it("leap-day split in Kolkata after a finalized January: February's advance fee is adjusted on its invoice", async () => {
    ctx.clock.set("2024-02-01T12:00:00Z");
    const { t, contractId } = await setup("Asia/Kolkata", "2024-01-01");
    await bill(t, "2024-02-01T00:00:00Z");
    const janDraft = await invoiceFor(t, "2024-01-01");
    expect((await t.post(`/v1/invoices/${janDraft.id}/finalize`)).statusCode).toBe(200);
    ctx.clock.set("2024-02-29T21:00:00Z");
    await send(t, "2024-02-10T10:00:00Z", 50); // phase 1
    await send(t, "2024-02-28T18:00:00Z", 2); // Feb 28 23:30 local: phase 1
    await send(t, "2024-02-28T20:00:00Z", 3); // Feb 29 01:30 local: phase 2
    const amended = await t.post(`/v1/contracts/${contractId}/amendments`, {
      effectiveDate: "2024-02-29",
      paramOverrides: { rate: "1", fee: "200" },
      reason: "Leap-day upgrade",
    });
    expect(amended.statusCode, amended.body).toBe(200);
    ctx.clock.set("2024-03-01T12:00:00Z");
    await bill(t, "2024-03-01T00:00:00Z");
    const feb = await invoiceFor(t, "2024-02-01");
    expect(rows(feb)).toEqual([
      ["Minutes (2024-02-01 – 2024-02-28)", "26.00"], // max(52 × 0.5, 20 × 28/29 = 19.31)
      ["Minutes (2024-02-29)", "3.00"], // max(3 × 1, 20 × 1/29 = 0.69)
      ["Platform fee", "200.00"], // March in advance
      // 100 × 28/29 = 96.55 and 200 × 1/29 = 6.90, less the 100.00 billed with January
      ["Adjustment for 2024-02-01 – 2024-02-29: Platform fee (contract change)", "3.45"],
    ]);
    expect(feb.total).toBe("232.45");
    // Refreshing the draft computes the same: the adjustment is not counted twice.
    const refreshed = (await t.post(`/v1/invoices/${feb.id}/refresh`)).json();
    expect(refreshed.total).toBe("232.45");
  });

  it("an amendment in a period whose invoice is a draft re-prices the draft (Auckland)", async () => {
    ctx.clock.set("2025-05-01T00:30:00Z"); // April ended at 2025-04-30T12:00Z; its draft is within its grace
    const { t, contractId } = await setup("Pacific/Auckland", "2025-04-01");
    await send(t, "2025-04-15T11:30:00Z", 10); // Apr 15 23:30 NZST (+12): phase 1
    await send(t, "2025-04-15T12:30:00Z", 30); // Apr 16 00:30 NZST: phase 2
    await bill(t, "2025-05-01T00:00:00Z");
    const before = await invoiceFor(t, "2025-04-01");
    expect(before.total).toBe("220.00"); // April 100 + max(40 × 0.5, 20) + May 100 in advance
    const amended = await t.post(`/v1/contracts/${contractId}/amendments`, {
      effectiveDate: "2025-04-16",
      paramOverrides: { rate: "1", fee: "200" },
      reason: "Back-dated into the open draft",
    });
    expect(amended.statusCode, amended.body).toBe(200);
    const after = await invoiceFor(t, "2025-04-01");
    expect(after.id).toBe(before.id);
    expect(rows(after)).toEqual([
      ["Platform fee (2025-04-01 – 2025-04-15)", "50.00"], // 100 × 15/30
      ["Minutes (2025-04-01 – 2025-04-15)", "10.00"], // max(10 × 0.5, 20 × 15/30)
      ["Platform fee (2025-04-16 – 2025-04-30)", "100.00"], // 200 × 15/30
      ["Minutes (2025-04-16 – 2025-04-30)", "30.00"], // max(30 × 1, 10)
      ["Platform fee", "200.00"], // May in advance
    ]);
    expect(after.total).toBe("390.00");
    const types = (await t.get(`/v1/activity?objectId=${before.id}`))
      .json()
      .data.map((a: { type: string }) => a.type);
    expect(types).toContain("invoice.refreshed");
  });
});

describe("amendments that are refused", () => {
  it("refuses a date in a finalized period (409), a taken date, unknown versions and parameters; changes nothing", async () => {
    ctx.clock.set("2025-02-01T12:00:00Z");
    const { t, contractId } = await setup("UTC", "2025-01-01");
    await bill(t, "2025-02-01T00:00:00Z");
    const jan = await invoiceFor(t, "2025-01-01");
    expect((await t.post(`/v1/invoices/${jan.id}/finalize`)).statusCode).toBe(200);
    const finalized = await invoiceFor(t, "2025-01-01");
    const amend = (body: Record<string, unknown>) =>
      t.post(`/v1/contracts/${contractId}/amendments`, { reason: "test", ...body });
    const late = await amend({ effectiveDate: "2025-01-20", paramOverrides: { rate: "1" } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({
      code: "PERIOD_FINALIZED",
      details: [{ path: "$.effectiveDate" }],
    });
    expect(late.json().error.message).toContain(finalized.number);
    expect((await amend({ effectiveDate: "2025-02-01", planVersion: 9 })).statusCode).toBe(404);
    const param = await amend({ effectiveDate: "2025-02-01", paramOverrides: { nope: "1" } });
    expect(param.json().error.details[0].path).toBe("$.paramOverrides.nope");
    const same = await amend({ effectiveDate: "2025-02-01" });
    expect(same.statusCode).toBe(400);
    expect((await t.get(`/v1/contracts/${contractId}`)).json().phases).toHaveLength(1);
    expect((await amend({ effectiveDate: "2025-02-01", paramOverrides: { rate: "1" } })).statusCode).toBe(
      200,
    );
    const taken = await amend({ effectiveDate: "2025-02-01", paramOverrides: { rate: "2" } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("PHASE_EXISTS");
    expect((await t.get(`/v1/contracts/${contractId}`)).json().phases).toHaveLength(2);
    const other = await createTestTenant(ctx);
    const foreign = await other.post(`/v1/contracts/${contractId}/amendments`, {
      effectiveDate: "2025-03-01",
      paramOverrides: { rate: "3" },
      reason: "not mine",
    });
    expect(foreign.statusCode).toBe(404);
  });
});
