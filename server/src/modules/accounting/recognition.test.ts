import { Decimal } from "@pricegraph/engine";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { journalCsvColumns, quickbooksColumns, XERO_TAX_RATE, xeroColumns } from "./exports.ts";
import { allocate, dailySchedule } from "./schedule.ts";
import { draftInvoice, finalize, journal, openBooks, shape } from "./test-books.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

const amounts = (parts: { month: string; amount: Decimal }[]) =>
  parts.map((p) => [p.month, p.amount.toString()]);

describe("revenue schedules", () => {
  it("spreads an advance fee daily: a 31-day month whole, a period across a month boundary by its days", () => {
    expect(amounts(dailySchedule(new Decimal("310.00"), "2025-03-01", "2025-04-01", 2, "2025-03"))).toEqual([
      ["2025-03", "310"],
    ]);
    // 15 March – 14 April: 17 days of March, 14 of April.
    expect(amounts(dailySchedule(new Decimal("310.00"), "2025-03-15", "2025-04-15", 2, "2025-03"))).toEqual([
      ["2025-03", "170"],
      ["2025-04", "140"],
    ]);
    // 100 over 31 days does not divide: the parts are at the minor unit and add up exactly.
    const uneven = dailySchedule(new Decimal("100.00"), "2025-03-15", "2025-04-15", 2, "2025-03");
    expect(amounts(uneven)).toEqual([
      ["2025-03", "54.84"],
      ["2025-04", "45.16"],
    ]);
    // A one-off line (empty period) is recognised at issue.
    expect(amounts(dailySchedule(new Decimal("50"), "2025-03-01", "2025-03-01", 2, "2025-05"))).toEqual([
      ["2025-05", "50"],
    ]);
  });

  it("allocates at the minor unit with exact totals, negative weights included", () => {
    const parts = allocate(
      new Decimal("10.00"),
      [1, 1, 1].map((n) => new Decimal(n)),
      2,
    );
    expect(parts.map(String)).toEqual(["3.33", "3.34", "3.33"]);
    const mixed = allocate(new Decimal("-7"), [new Decimal(3), new Decimal(-1), new Decimal(5)], 0);
    expect(mixed.reduce((s, p) => s.plus(p), new Decimal(0)).toString()).toBe("-7");
  });
});

describe("month-end close", () => {
  it("recognises an advance fee month by month; reopening is refused; later entries go to the next open month", async () => {
    ctx.clock.set("2025-03-15T08:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const id = await draftInvoice(books, [
      { product: "Platform", amount: "310.00", timing: "advance", start: "2025-03-15", end: "2025-04-15" },
    ]);
    await finalize(books, id);
    // March has not ended: it cannot be closed.
    expect((await books.t.post("/v1/accounting-periods/2025-03/close")).statusCode).toBe(409);
    ctx.clock.set("2025-04-03T08:00:00Z");
    const march = await books.t.post("/v1/accounting-periods/2025-03/close");
    expect(march.statusCode, march.body).toBe(200);
    expect(march.json()).toMatchObject({ month: "2025-03", recognitionEntryIds: [expect.any(String)] });
    let entries = await journal(books, "&kind=recognition");
    expect(entries).toHaveLength(1);
    expect(entries[0].date).toBe("2025-03-31");
    expect(shape(entries[0])).toEqual([
      ["2100", "170.00", "0.00"],
      ["4010", "0.00", "170.00"],
    ]);
    const reopen = await books.t.post("/v1/accounting-periods/2025-03/reopen");
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().error.details[0].path).toBe("params.month");
    // The database itself takes no entry dated in the closed month.
    await expect(
      ctx.database.db.execute(sql`insert into journal_entries (id, tenant_id, date, kind, source_type, source_id, currency, memo, created_at)
        values ('je_closed', ${books.t.tenantId}, '2025-03-20', 'invoice', 'invoice', 'z', 'USD', 'late', now())`),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/period 2025-03 is closed/) } });

    // An invoice finalized with a March date after the close is booked on 1 April.
    ctx.clock.set("2025-03-31T23:00:00Z");
    const late = await draftInvoice(books, [
      { product: "API", amount: "5.00", start: "2025-03-01", end: "2025-04-01" },
    ]);
    await finalize(books, late);
    ctx.clock.set("2025-05-02T08:00:00Z");
    const lateEntry = (await journal(books, `&sourceId=${late}`))[0];
    expect(lateEntry.date).toBe("2025-04-01");

    expect((await books.t.post("/v1/accounting-periods/2025-04/close")).statusCode).toBe(200);
    entries = await journal(books, "&kind=recognition");
    expect(entries.map((e) => e.date)).toEqual(["2025-03-31", "2025-04-30"]);
    expect(shape(entries[1])).toEqual([
      ["2100", "140.00", "0.00"],
      ["4010", "0.00", "140.00"],
    ]);

    const revenue = (await books.t.get("/v1/reports/revenue?from=2025-03&to=2025-04&by=product")).json();
    expect(revenue.rows).toEqual([
      {
        month: "2025-03",
        currency: "USD",
        product: "Platform",
        customerId: null,
        timing: null,
        invoiced: "310.00",
        recognised: "170.00",
      },
      {
        month: "2025-04",
        currency: "USD",
        product: "API",
        customerId: null,
        timing: null,
        invoiced: "5.00",
        recognised: "5.00",
      },
      {
        month: "2025-04",
        currency: "USD",
        product: "Platform",
        customerId: null,
        timing: null,
        invoiced: "0.00",
        recognised: "140.00",
      },
    ]);
    const waterfall = (await books.t.get("/v1/reports/deferred-revenue?from=2025-03&to=2025-04")).json();
    expect(waterfall.closedThrough).toBe("2025-04");
    expect(waterfall.rows).toEqual([
      {
        month: "2025-03",
        currency: "USD",
        opening: "0.00",
        deferred: "310.00",
        recognised: "170.00",
        closing: "140.00",
      },
      {
        month: "2025-04",
        currency: "USD",
        opening: "140.00",
        deferred: "0.00",
        recognised: "140.00",
        closing: "0.00",
      },
    ]);
  });

  it("two closes at once post the recognition once and answer the same close", async () => {
    ctx.clock.set("2025-03-01T08:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const id = await draftInvoice(books, [
      { product: "Platform", amount: "310.00", timing: "advance", start: "2025-03-01", end: "2025-04-01" },
    ]);
    await finalize(books, id);
    ctx.clock.set("2025-04-01T08:00:00Z");
    const [a, b] = await Promise.all([
      books.t.post("/v1/accounting-periods/2025-03/close"),
      books.t.post("/v1/accounting-periods/2025-03/close"),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json()).toEqual(b.json());
    const recognition = await journal(books, "&kind=recognition");
    expect(recognition).toHaveLength(1);
    expect(shape(recognition[0])).toEqual([
      ["2100", "310.00", "0.00"],
      ["4010", "0.00", "310.00"],
    ]);
    const activity = (await books.t.get("/v1/activity?type=accounting_period.closed")).json().data;
    expect(activity).toHaveLength(1);
  });
});

describe("journal exports", () => {
  it("writes our CSV, QuickBooks Online's journal entry layout and Xero's manual journal layout", async () => {
    ctx.clock.set("2025-03-05T08:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const id = await draftInvoice(books, [
      { product: "API, calls", amount: "12.50", start: "2025-02-01", end: "2025-03-01" },
    ]);
    await finalize(books, id);
    const get = async (format: string) => {
      const res = await books.t.get(`/v1/journal-entries/export?format=${format}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/csv/);
      expect(res.headers["content-disposition"]).toMatch(/attachment; filename=".*\.csv"/);
      return parse(res.body) as string[][];
    };
    const ours = await get("csv");
    expect(ours[0]).toEqual([...journalCsvColumns]);
    expect(ours.slice(1).map((r) => [r[2], r[7], r[9], r[10], r[12], r[13]])).toEqual([
      ["invoice", "1100", "12.50", "0.00", id, ""],
      ["invoice", "4010", "0.00", "12.50", id, "API, calls"],
    ]);

    const qbo = await get("quickbooks");
    expect(qbo[0]).toEqual([
      "JournalNo",
      "JournalDate",
      "AccountName",
      "Debits",
      "Credits",
      "Description",
      "Name",
    ]);
    expect(qbo[0]).toEqual([...quickbooksColumns]);
    expect(qbo.slice(1)).toEqual([
      [qbo[1][0], "03/05/2025", "Accounts receivable", "12.50", "", "Invoice INV-000001 finalized", "Acme"],
      [
        qbo[1][0],
        "03/05/2025",
        "Revenue — API, calls",
        "",
        "12.50",
        "Invoice INV-000001 finalized — API, calls",
        "Acme",
      ],
    ]);

    const xero = await get("xero");
    expect(xero[0]).toEqual([
      "*Narration",
      "*Date",
      "Description",
      "*AccountCode",
      "*TaxRate",
      "*Amount",
      "TrackingName1",
      "TrackingOption1",
    ]);
    expect(xero[0]).toEqual([...xeroColumns]);
    const narration = xero[1][0];
    expect(narration).toMatch(/^Invoice INV-000001 finalized \[je_/);
    expect(xero.slice(1)).toEqual([
      [narration, "05/03/2025", "Invoice INV-000001 finalized", "1100", XERO_TAX_RATE, "12.50", "", ""],
      [narration, "05/03/2025", "API, calls", "4010", XERO_TAX_RATE, "-12.50", "Product", "API, calls"],
    ]);
  });
});
