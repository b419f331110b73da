import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { type BilledCustomer, billedCustomer, finalizedInvoice } from "../../../test/receivables.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
}, 60_000);
afterAll(async () => ctx?.close());

const receivable = async (t: TestTenant, id: string) => (await t.get(`/v1/invoices/${id}/receivable`)).json();
const balance = async (t: TestTenant, c: BilledCustomer) =>
  (await t.get(`/v1/customers/${c.customerId}/billing`)).json().balances;

/** Net 60: on 2025-04-10 January's invoice is overdue, February's and March's are not yet due. */
async function threeInvoices(t: TestTenant) {
  await t.put("/v1/settings/company", { legalName: "Seller", paymentTermsDays: 60 });
  const c = await billedCustomer(t);
  const jan = await finalizedInvoice(ctx, t, c, "2025-01", 100, "2025-02-03T12:00:00Z");
  const feb = await finalizedInvoice(ctx, t, c, "2025-02", 50, "2025-03-03T12:00:00Z");
  const mar = await finalizedInvoice(ctx, t, c, "2025-03", 30, "2025-04-03T12:00:00Z");
  ctx.clock.set("2025-04-10T12:00:00Z");
  return { c, jan, feb, mar };
}

describe("payments", () => {
  it("allocates oldest due first: full, then partial; an overpayment becomes balance for the next invoice", async () => {
    const t = await createTestTenant(ctx);
    const { c, jan, feb, mar } = await threeInvoices(t);
    const paid = await t.post("/v1/payments", {
      customerId: c.customerId,
      amount: "120",
      currency: "USD",
      receivedAt: "2025-04-10T09:00:00Z",
      method: "bank_transfer",
      reference: "TRX-1",
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json()).toMatchObject({
      amount: "120.00",
      allocations: [
        { invoiceId: jan.id, amount: "100.00" },
        { invoiceId: feb.id, amount: "20.00" },
      ],
      toBalance: "0.00",
      reversed: false,
    });
    expect(await receivable(t, jan.id)).toMatchObject({ paymentStatus: "paid", outstanding: "0.00" });
    expect(await receivable(t, feb.id)).toMatchObject({
      paymentStatus: "partially_paid",
      outstanding: "30.00",
    });
    expect(await receivable(t, mar.id)).toMatchObject({ paymentStatus: "unpaid", outstanding: "30.00" });

    const over = await t.post("/v1/payments", {
      customerId: c.customerId,
      amount: "100",
      currency: "USD",
      receivedAt: "2025-04-11",
    });
    expect(over.json()).toMatchObject({
      allocations: [
        { invoiceId: feb.id, amount: "30.00" },
        { invoiceId: mar.id, amount: "30.00" },
      ],
      toBalance: "40.00",
    });
    expect(await balance(t, c)).toEqual([{ currency: "USD", amount: "40.00" }]);
    const paidRecords = (await t.get("/v1/activity?type=invoice.paid")).json().data;
    expect(paidRecords.map((r: { objectId: string }) => r.objectId).sort()).toEqual(
      [jan.id, feb.id, mar.id].sort(),
    );

    // The next invoice (25) is settled from the balance when it is finalized; 15 stays.
    const apr = await finalizedInvoice(ctx, t, c, "2025-04", 25, "2025-05-03T12:00:00Z");
    expect(await receivable(t, apr.id)).toMatchObject({
      balanceApplied: "25.00",
      paid: "25.00",
      outstanding: "0.00",
      paymentStatus: "paid",
    });
    expect(await balance(t, c)).toEqual([{ currency: "USD", amount: "15.00" }]);
  });

  it("allocates to named invoices and refuses more than is outstanding, nothing recorded", async () => {
    const t = await createTestTenant(ctx);
    const { c, jan, mar } = await threeInvoices(t);
    const named = await t.post("/v1/payments", {
      customerId: c.customerId,
      amount: "40",
      currency: "USD",
      receivedAt: "2025-04-10",
      allocations: [{ invoiceId: mar.id, amount: "30" }],
    });
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json()).toMatchObject({
      allocations: [{ invoiceId: mar.id, amount: "30.00" }],
      toBalance: "10.00",
    });
    const tooMuch = await t.post("/v1/payments", {
      customerId: c.customerId,
      amount: "200",
      currency: "USD",
      receivedAt: "2025-04-10",
      allocations: [
        { invoiceId: jan.id, amount: "150" },
        { invoiceId: mar.id, amount: "1" },
        { invoiceId: jan.id, amount: "0.001" },
      ],
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error.details).toEqual([
      { path: "$.allocations[0].amount", message: "exceeds what is outstanding (100.00)" },
      {
        path: "$.allocations[1].invoiceId",
        message: "is not an open (finalized, unpaid) USD invoice of this customer",
      },
      { path: "$.allocations[2].amount", message: "has more than 2 decimals for USD" },
    ]);
    const wrongCurrency = await t.post("/v1/payments", {
      customerId: c.customerId,
      amount: "5",
      currency: "EUR",
      receivedAt: "2025-04-10",
      allocations: [{ invoiceId: jan.id, amount: "5" }],
    });
    expect(wrongCurrency.statusCode).toBe(400);
    expect((await t.get(`/v1/payments?customerId=${c.customerId}`)).json().data).toHaveLength(1);
    expect(await receivable(t, jan.id)).toMatchObject({ outstanding: "100.00" });
    const unknown = await t.post("/v1/payments", {
      customerId: "cus_nope",
      amount: "5",
      currency: "USD",
      receivedAt: "2025-04-10",
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("reverses a payment without editing it: invoices reopen, the balance it credited goes", async () => {
    const t = await createTestTenant(ctx);
    const { c, jan } = await threeInvoices(t);
    const payment = (
      await t.post("/v1/payments", {
        customerId: c.customerId,
        amount: "200",
        currency: "USD",
        receivedAt: "2025-04-10",
      })
    ).json();
    expect(payment.toBalance).toBe("20.00");
    const reversed = await t.post(`/v1/payments/${payment.id}/reverse`, { reason: "bounced" });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(reversed.json()).toMatchObject({
      amount: "200.00",
      reversed: true,
      reversalReason: "bounced",
      reversedAt: "2025-04-10T12:00:00.000Z",
    });
    expect(await receivable(t, jan.id)).toMatchObject({ outstanding: "100.00", paymentStatus: "overdue" });
    expect((await receivable(t, jan.id)).payments).toEqual([
      expect.objectContaining({ paymentId: payment.id, amount: "100.00", reversed: true }),
      expect.objectContaining({ paymentId: payment.id, amount: "-100.00", reversed: true }),
    ]);
    expect(await balance(t, c)).toEqual([]);
    expect((await t.post(`/v1/payments/${payment.id}/reverse`, {})).statusCode).toBe(409);
    const records = (await t.get(`/v1/activity?objectId=${payment.id}`)).json().data;
    expect(records.map((r: { type: string }) => r.type)).toEqual(["payment.reversed", "payment.created"]);
  });

  it("never over-allocates when payments on one invoice arrive at the same time", async () => {
    const t = await createTestTenant(ctx);
    const c = await billedCustomer(t);
    const jan = await finalizedInvoice(ctx, t, c, "2025-01", 100, "2025-02-03T12:00:00Z");
    const named = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.post("/v1/payments", {
          customerId: c.customerId,
          amount: "60",
          currency: "USD",
          receivedAt: "2025-02-10",
          allocations: [{ invoiceId: jan.id, amount: "60" }],
        }),
      ),
    );
    expect(named.map((r) => r.statusCode).sort()).toEqual([201, 400, 400, 400]);
    const oldestFirst = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.post("/v1/payments", {
          customerId: c.customerId,
          amount: "30",
          currency: "USD",
          receivedAt: "2025-02-10",
        }),
      ),
    );
    expect(oldestFirst.every((r) => r.statusCode === 201)).toBe(true);
    expect(await receivable(t, jan.id)).toMatchObject({ paid: "100.00", outstanding: "0.00" });
    expect(await balance(t, c)).toEqual([{ currency: "USD", amount: "80.00" }]);
  });
});

describe("bank payments CSV", () => {
  it("matches rows by invoice number, all or nothing, with problems by row and column", async () => {
    const t = await createTestTenant(ctx);
    const { c, jan, feb } = await threeInvoices(t);
    const bad = await t.csv(
      "/v1/payments/import",
      [
        "Invoice,Amount,Date,Reference",
        `${jan.number},100.00,2025-04-09,BANK-1`,
        "INV-999999,5,2025-04-09,BANK-2",
        `${feb.number},abc,2025-04-09,BANK-3`,
        `${feb.number},5,09/04/2025,BANK-4`,
      ].join("\n"),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      { path: "row 4, Amount", row: 4, column: "Amount", message: "must be a positive decimal" },
      {
        path: "row 5, Date",
        row: 5,
        column: "Date",
        message: "must be a date (YYYY-MM-DD) or ISO date-time",
      },
    ]);
    const unknown = await t.csv(
      "/v1/payments/import",
      ["invoice,amount,date", `${jan.number},100,2025-04-09`, "INV-999999,5,2025-04-09"].join("\n"),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([
      {
        path: "row 3, invoice",
        row: 3,
        column: "invoice",
        message: "no finalized invoice numbered INV-999999",
      },
    ]);
    expect((await t.get("/v1/payments")).json().data).toEqual([]);

    const good = await t.csv(
      "/v1/payments/import",
      [
        "invoice,amount,date,reference",
        `${jan.number},"1,00.00",2025-04-09,BANK-1`,
        `${feb.number},20,2025-04-09,BANK-2`,
      ].join("\n"),
    );
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json().imported).toBe(2);
    expect(await receivable(t, jan.id)).toMatchObject({ paymentStatus: "paid" });
    expect(await receivable(t, feb.id)).toMatchObject({ outstanding: "30.00" });
    expect(good.json().data[0]).toMatchObject({
      customerId: c.customerId,
      reference: "BANK-1",
      method: "bank_transfer",
    });
  });
});
