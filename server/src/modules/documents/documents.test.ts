import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { pdfText } from "../../../test/pdf-text.ts";
import { billedCustomer, draftInvoice, finalizedInvoice } from "../../../test/receivables.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
}, 60_000);
afterAll(async () => ctx?.close());

describe("invoice and credit note PDFs", () => {
  it("prints company, customer, number, dates, lines, tax, credits and amount due; same bytes every time", async () => {
    const t = await createTestTenant(ctx);
    const vat = (await t.post("/v1/tax-rates", { name: "VAT", percentage: "20" })).json();
    await t.put("/v1/settings/company", {
      legalName: "Northwind Billing Ltd",
      address: "1 Harbour Road\nBristol BS1 1AA",
      taxId: "GB999888777",
      paymentInstructions: "Pay to IBAN GB00 TEST 0000 1111",
      invoiceFooter: "Thank you for your business",
      paymentTermsDays: 14,
      defaultTaxRateId: vat.id,
    });
    const c = await billedCustomer(t, { rate: "2.5" });
    await t.put(`/v1/customers/${c.customerId}/billing`, {
      address: "9 Elm Street\nLeeds",
      emails: ["ap@acme.test"],
    });
    const invoice = await finalizedInvoice(ctx, t, c, "2025-01", 40, "2025-02-03T10:00:00Z");

    const first = await t.get(`/v1/invoices/${invoice.id}/pdf`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers["content-type"]).toBe("application/pdf");
    expect(first.headers["content-disposition"]).toBe(`attachment; filename="${invoice.number}.pdf"`);
    expect(first.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await pdfText(first.rawPayload);
    for (const expected of [
      "Northwind Billing Ltd",
      "GB999888777",
      "9 Elm Street",
      invoice.number,
      "Issue date",
      "2025-02-01",
      "Due date",
      "2025-02-15",
      "Net 14 days",
      "2025-01-01 to 2025-01-31",
      "API calls",
      "Product: api-calls",
      "40", // quantity
      "100.00", // subtotal
      "VAT 20% of 100.00",
      "20.00",
      "120.00",
      "Amount due (USD)",
      "Pay to IBAN GB00 TEST 0000 1111",
      "Thank you for your business",
    ]) {
      expect(text).toContain(expected);
    }

    ctx.clock.set("2026-06-01T00:00:00Z");
    const again = await t.get(`/v1/invoices/${invoice.id}/pdf`);
    expect(Buffer.compare(again.rawPayload, first.rawPayload)).toBe(0);

    // A credit note shows on the invoice and has its own document.
    const credited = await t.post(`/v1/invoices/${invoice.id}/credit-notes`, {
      amount: "10",
      reason: "Goodwill",
    });
    expect(credited.statusCode, credited.body).toBe(201);
    const note = credited.json().creditNotes[0];
    const withCredit = await pdfText((await t.get(`/v1/invoices/${invoice.id}/pdf`)).rawPayload);
    expect(withCredit).toContain(`Credit note ${note.number}`);
    expect(withCredit).toContain("110.00");
    const notePdf = await t.get(`/v1/credit-notes/${note.id}/pdf`);
    expect(notePdf.statusCode).toBe(200);
    const noteText = await pdfText(notePdf.rawPayload);
    expect(noteText).toContain(note.number);
    expect(noteText).toContain(invoice.number);
    expect(noteText).toContain("Goodwill");
    expect(noteText).toContain("10.00");
  });

  it("refuses drafts (409) and unknown ids (404)", async () => {
    const t = await createTestTenant(ctx);
    expect((await t.get("/v1/invoices/inv_nope/pdf")).statusCode).toBe(404);
    expect((await t.get("/v1/credit-notes/cn_nope/pdf")).statusCode).toBe(404);
    const c = await billedCustomer(t);
    const draft = await draftInvoice(ctx, t, c, "2025-01", 1);
    expect((await t.get(`/v1/invoices/${draft.id}/pdf`)).statusCode).toBe(409);
  });
});
