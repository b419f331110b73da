import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { billedCustomer, finalizedInvoice } from "../../../test/receivables.ts";
import { sqlState } from "../../db/index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
}, 60_000);
afterAll(async () => ctx?.close());

describe("company profile, tax rates and customer billing", () => {
  it("starts with defaults, stores the profile, and refuses unknown rates", async () => {
    const t = await createTestTenant(ctx);
    expect((await t.get("/v1/settings/company")).json()).toMatchObject({
      legalName: "",
      paymentTermsDays: 30,
      defaultTaxRateId: null,
      updatedAt: null,
    });
    const vat = await t.post("/v1/tax-rates", { name: "VAT", percentage: "20" });
    expect(vat.statusCode).toBe(201);
    expect((await t.post("/v1/tax-rates", { name: "VAT", percentage: "5" })).statusCode).toBe(409);
    expect((await t.post("/v1/tax-rates", { name: "Bad", percentage: "101" })).statusCode).toBe(400);
    const put = await t.put("/v1/settings/company", {
      legalName: "Pricegraph Ltd",
      address: "1 Main St\nLondon",
      taxId: "GB123",
      paymentInstructions: "IBAN GB00 0000",
      paymentTermsDays: 14,
      defaultTaxRateId: vat.json().id,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ legalName: "Pricegraph Ltd", paymentTermsDays: 14, taxId: "GB123" });
    const unknown = await t.put("/v1/settings/company", { legalName: "X", defaultTaxRateId: "txr_nope" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([
      { path: "$.defaultTaxRateId", message: "is not a tax rate of this tenant" },
    ]);

    const c = await billedCustomer(t);
    const billing = await t.put(`/v1/customers/${c.customerId}/billing`, {
      address: "2 High St",
      emails: ["ap@customer.test"],
      paymentTermsDays: 45,
      taxTreatment: "exempt",
    });
    expect(billing.statusCode, billing.body).toBe(200);
    expect((await t.get(`/v1/customers/${c.customerId}/billing`)).json()).toMatchObject({
      emails: ["ap@customer.test"],
      paymentTermsDays: 45,
      taxTreatment: "exempt",
      balances: [],
    });
    const noRate = await t.put(`/v1/customers/${c.customerId}/billing`, { taxTreatment: "rate" });
    expect(noRate.statusCode).toBe(400);
    expect((await t.get("/v1/customers/cus_nope/billing")).statusCode).toBe(404);
  });
});

describe("finalizing fixes tax and dates", () => {
  it("taxes at the tenant default, dates by the period end and the customer's terms, stores it for good", async () => {
    const t = await createTestTenant(ctx);
    const vat = (await t.post("/v1/tax-rates", { name: "VAT", percentage: "20" })).json();
    await t.put("/v1/settings/company", {
      legalName: "Seller",
      defaultTaxRateId: vat.id,
      paymentTermsDays: 30,
    });
    const c = await billedCustomer(t, { timezone: "America/New_York", rate: "0.125" });
    // 101 × 0.125 = 12.625 → line 12.63; tax 20% = 2.526 → 2.53
    const invoice = await finalizedInvoice(ctx, t, c, "2025-01", 101, "2025-02-01T03:00:00Z");
    const r = await t.get(`/v1/invoices/${invoice.id}/receivable`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      number: invoice.number,
      issueDate: "2025-02-01", // the period's end in New York, not the finalize time
      dueDate: "2025-03-03",
      paymentTermsDays: 30,
      subtotal: "12.63",
      tax: "2.53",
      total: "15.16",
      outstanding: "15.16",
      paymentStatus: "unpaid",
      taxLines: [{ name: "VAT", percentage: "20", taxableAmount: "12.63", amount: "2.53" }],
    });
    // Changing the rate later does not change the finalized invoice.
    expect((await t.patch(`/v1/tax-rates/${vat.id}`, { percentage: "25" })).statusCode).toBe(200);
    expect((await t.get(`/v1/invoices/${invoice.id}/receivable`)).json().tax).toBe("2.53");
    // The database refuses to change what finalizing stored.
    const refused = await ctx.database.db
      .execute(sql`UPDATE invoice_receivables SET tax = 0 WHERE invoice_id = ${invoice.id}`)
      .catch((error: unknown) => error);
    expect(sqlState(refused)).toBe("55000");
    const issued = (await t.get(`/v1/activity?type=invoice.issued&objectId=${invoice.id}`)).json().data;
    expect(issued).toHaveLength(1);
    expect(issued[0].object).toMatchObject({
      number: invoice.number,
      dueDate: "2025-03-03",
      amountDue: "15.16",
    });
  });

  it("uses the customer's own rate, or none when exempt, and their terms", async () => {
    const t = await createTestTenant(ctx);
    const standard = (await t.post("/v1/tax-rates", { name: "Standard", percentage: "10" })).json();
    const special = (await t.post("/v1/tax-rates", { name: "Special", percentage: "5" })).json();
    await t.put("/v1/settings/company", { legalName: "Seller", defaultTaxRateId: standard.id });
    const own = await billedCustomer(t, { currency: "JPY", rate: "1" });
    await t.put(`/v1/customers/${own.customerId}/billing`, {
      taxTreatment: "rate",
      taxRateId: special.id,
      paymentTermsDays: 7,
    });
    const exempt = await billedCustomer(t, { currency: "KWD", rate: "0.001" });
    await t.put(`/v1/customers/${exempt.customerId}/billing`, { taxTreatment: "exempt" });
    const jpy = await finalizedInvoice(ctx, t, own, "2025-01", 1005, "2025-02-02T10:00:00Z");
    expect((await t.get(`/v1/invoices/${jpy.id}/receivable`)).json()).toMatchObject({
      subtotal: "1005",
      tax: "50", // 50.25 → 50 (JPY has no minor unit)
      total: "1055",
      dueDate: "2025-02-08",
      taxLines: [{ name: "Special", percentage: "5", amount: "50" }],
    });
    const kwd = await finalizedInvoice(ctx, t, exempt, "2025-01", 12345, "2025-02-02T10:00:00Z");
    expect((await t.get(`/v1/invoices/${kwd.id}/receivable`)).json()).toMatchObject({
      subtotal: "12.345",
      tax: "0.000",
      total: "12.345",
      taxLines: [],
    });
  });
});

describe("payment status and aging", () => {
  it("derives unpaid, partially paid, paid and overdue; filters invoices by it; ages on fixed dates", async () => {
    const t = await createTestTenant(ctx);
    await t.put("/v1/settings/company", { legalName: "Seller", paymentTermsDays: 30 });
    const a = await billedCustomer(t);
    const b = await billedCustomer(t);
    const jan = await finalizedInvoice(ctx, t, a, "2025-01", 100, "2025-02-01T12:00:00Z"); // due 03-03
    const feb = await finalizedInvoice(ctx, t, a, "2025-02", 200, "2025-03-01T12:00:00Z"); // due 03-31
    const mar = await finalizedInvoice(ctx, t, a, "2025-03", 300, "2025-04-01T12:00:00Z"); // due 05-01
    const bJan = await finalizedInvoice(ctx, t, b, "2025-01", 50, "2025-02-01T12:00:00Z"); // due 03-03
    ctx.clock.set("2025-04-15T12:00:00Z");
    const pay = (invoiceId: string, amount: string) =>
      t.post("/v1/payments", {
        customerId: a.customerId,
        amount,
        currency: "USD",
        receivedAt: "2025-04-15",
        allocations: [{ invoiceId, amount }],
      });
    expect((await pay(jan.id, "100.00")).statusCode).toBe(201);
    expect((await pay(mar.id, "120")).statusCode).toBe(201);
    const status = async (id: string) => (await t.get(`/v1/invoices/${id}/receivable`)).json().paymentStatus;
    expect(await status(jan.id)).toBe("paid");
    expect(await status(feb.id)).toBe("overdue");
    expect(await status(mar.id)).toBe("partially_paid");
    expect(await status(bJan.id)).toBe("overdue");
    const ids = async (q: string) =>
      (await t.get(`/v1/invoices?paymentStatus=${q}`))
        .json()
        .data.map((i: { id: string }) => i.id)
        .sort();
    expect(await ids("overdue")).toEqual([feb.id, bJan.id].sort());
    expect(await ids("paid")).toEqual([jan.id]);
    expect(await ids("partially_paid")).toEqual([mar.id]);
    expect(await ids("unpaid")).toEqual([]);
    expect((await t.get("/v1/invoices?paymentStatus=late")).statusCode).toBe(400);

    const aging = await t.get("/v1/receivables/aging?asOf=2025-06-02");
    expect(aging.statusCode, aging.body).toBe(200);
    // On 2025-06-02: feb due 03-31 is 63 days late, mar due 05-01 is 32 days, b's jan due 03-03 is 91 days.
    expect(aging.json()).toEqual({
      asOf: "2025-06-02",
      currencies: [
        {
          currency: "USD",
          totals: {
            current: "0.00",
            days1to30: "0.00",
            days31to60: "180.00",
            days61to90: "200.00",
            over90: "50.00",
            total: "430.00",
          },
          customers: [
            {
              customerId: a.customerId,
              name: expect.any(String),
              current: "0.00",
              days1to30: "0.00",
              days31to60: "180.00",
              days61to90: "200.00",
              over90: "0.00",
              total: "380.00",
            },
            {
              customerId: b.customerId,
              name: expect.any(String),
              current: "0.00",
              days1to30: "0.00",
              days31to60: "0.00",
              days61to90: "0.00",
              over90: "50.00",
              total: "50.00",
            },
          ],
        },
      ],
    });
    const early = (await t.get("/v1/receivables/aging?asOf=2025-04-01")).json().currencies[0].totals;
    // On 04-01 (before the payments were made, but aging reads what is outstanding now): feb is 1 day late.
    expect(early).toMatchObject({ current: "180.00", days1to30: "250.00", total: "430.00" });
  });
});
