import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { postPendingActivity } from "./journal.ts";
import {
  creditNote,
  draftInvoice,
  finalize,
  journal,
  openBooks,
  outstanding,
  payment,
  record,
  reversePayment,
  shape,
  taxAt,
  voidInvoice,
} from "./test-books.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

/** The worked examples of docs/accounting.md, one per posting rule. */
describe("posting rules", () => {
  it("invoice finalized: Dr receivables; Cr revenue per product (arrears, one-off), deferred revenue (advance), tax", async () => {
    ctx.clock.set("2025-03-01T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    await taxAt(books, "10");
    const id = await draftInvoice(books, [
      { product: "API calls", amount: "120.00", timing: "arrears", start: "2025-02-01", end: "2025-03-01" },
      { product: "Platform", amount: "310.00", timing: "advance", start: "2025-03-01", end: "2025-04-01" },
      { product: "Setup", amount: "50.00", timing: "advance", start: "2025-03-01", end: "2025-03-01" },
    ]);
    await finalize(books, id);
    // The tax is what finalizing fixed (10 % of 480.00), as the invoice's receivable shows it.
    expect((await books.t.get(`/v1/invoices/${id}/receivable`)).json()).toMatchObject({ tax: "48.00" });
    const [entry] = await journal(books);
    expect(entry).toMatchObject({ kind: "invoice", date: "2025-03-01", source: { type: "invoice", id } });
    expect(shape(entry)).toEqual([
      ["1100", "528.00", "0.00"],
      ["2100", "0.00", "310.00"],
      ["2200", "0.00", "48.00"],
      ["4010", "0.00", "120.00"],
      ["4030", "0.00", "50.00"],
    ]);
    const accounts = (await books.t.get("/v1/accounts")).json().data;
    expect(accounts.filter((a: { role: string }) => a.role === "revenue_product")).toMatchObject([
      { code: "4010", product: "API calls", name: "Revenue — API calls" },
      { code: "4020", product: "Platform" },
      { code: "4030", product: "Setup" },
    ]);
    // The deferred line carries its product, so recognition credits the product's account.
    expect(entry.lines.find((l) => l.account === "2100")?.product).toBe("Platform");
  });

  it("posts each record once, however often the journal runs", async () => {
    ctx.clock.set("2025-03-02T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const id = await draftInvoice(books, [
      { product: "A", amount: "10.00", start: "2025-02-01", end: "2025-03-01" },
    ]);
    const other = await draftInvoice(books, [
      { product: "B", amount: "4.00", start: "2025-02-01", end: "2025-03-01" },
    ]);
    await finalize(books, id);
    await finalize(books, other);
    // The same record written again (a retry upstream), all in one batch, and the consumer run twice: still
    // one entry per invoice.
    await record(books, "invoice.finalized", id, {});
    expect(await postPendingActivity(books.deps)).toBeGreaterThanOrEqual(3);
    await postPendingActivity(books.deps); // reads only the account.created records the first run wrote
    const entries = await journal(books);
    expect(entries.filter((e) => e.source.id === id)).toHaveLength(1);
    // Pages of one entry follow the cursor through the same entries in the same order.
    const first = (await books.t.get("/v1/journal-entries?limit=1")).json();
    const second = (await books.t.get(`/v1/journal-entries?limit=1&cursor=${first.nextCursor}`)).json();
    expect([first.data[0].id, second.data[0].id]).toEqual(entries.slice(0, 2).map((e) => e.id));
    expect((await books.t.get("/v1/journal-entries?cursor=nope")).statusCode).toBe(400);
    expect(
      (await books.t.get(`/v1/journal-entries?customerId=${books.customerId}&account=4020`)).json().data,
    ).toHaveLength(1);
    const ofInvoice = (await books.t.get(`/v1/journal-entries?invoiceId=${other}`)).json().data;
    expect(ofInvoice.map((e: { source: { id: string } }) => e.source.id)).toEqual([other]);
    expect(shape(entries.find((e) => e.source.id === other) as never)).toEqual([
      ["1100", "4.00", "0.00"],
      ["4020", "0.00", "4.00"],
    ]);
  });

  it("credit note: the reverse of the credited lines; a note by amount spreads pro rata over the lines", async () => {
    ctx.clock.set("2025-03-05T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const id = await draftInvoice(books, [
      { product: "API calls", amount: "300.00", timing: "arrears", start: "2025-02-01", end: "2025-03-01" },
      { product: "Platform", amount: "100.00", timing: "advance", start: "2025-03-01", end: "2025-04-01" },
    ]);
    await finalize(books, id);
    ctx.clock.set("2025-03-10T10:00:00Z");
    const byAmount = await creditNote(books, id, { amount: "40.00" });
    const byLine = await creditNote(books, id, { lines: [{ lineId: `${id}_l0`, amount: "30.00" }] });
    const entries = await journal(books);
    const noteEntry = (noteId: string) => entries.find((e) => e.source.id === noteId);
    // 40 over 300 : 100 → 30 from API calls (revenue), 10 from Platform (still deferred).
    expect(shape(noteEntry(byAmount) as never)).toEqual([
      ["1100", "0.00", "40.00"],
      ["2100", "10.00", "0.00"],
      ["4010", "30.00", "0.00"],
    ]);
    expect(shape(noteEntry(byLine) as never)).toEqual([
      ["1100", "0.00", "30.00"],
      ["4010", "30.00", "0.00"],
    ]);
  });

  it("void: a full reversal, also of credit drawn and of revenue already recognised", async () => {
    ctx.clock.set("2025-03-01T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx), [{ pool: "promo", amount: "50" }]);
    const id = await draftInvoice(books, [
      { product: "API calls", amount: "30.00", drawn: "20.00", start: "2025-02-01", end: "2025-03-01" },
      { product: "Platform", amount: "310.00", timing: "advance", start: "2025-03-01", end: "2025-04-01" },
    ]);
    await finalize(books, id);
    ctx.clock.set("2025-04-02T10:00:00Z");
    expect((await books.t.post("/v1/accounting-periods/2025-03/close")).statusCode).toBe(200);
    await voidInvoice(books, id);
    const entries = await journal(books);
    const invoiceEntry = entries.find((e) => e.kind === "invoice");
    expect(shape(invoiceEntry as never)).toEqual([
      ["1100", "340.00", "0.00"],
      ["2100", "0.00", "310.00"],
      ["2300", "20.00", "0.00"],
      ["4010", "0.00", "50.00"],
    ]);
    const voidEntry = entries.find((e) => e.kind === "invoice_void");
    expect(voidEntry?.date).toBe("2025-04-02");
    // March was recognised at its close: the void takes it back out of revenue, not out of deferred revenue.
    expect(shape(voidEntry as never)).toEqual([
      ["1100", "0.00", "340.00"],
      ["2300", "0.00", "20.00"],
      ["4010", "50.00", "0.00"],
      ["4020", "310.00", "0.00"],
    ]);
    const tb = (await books.t.get("/v1/reports/trial-balance")).json().currencies[0];
    const balance = (code: string) => tb.accounts.find((a: { account: string }) => a.account === code);
    expect(balance("1100")).toMatchObject({ debit: "0.00", credit: "0.00" });
    expect(balance("2100")).toMatchObject({ debit: "0.00", credit: "0.00" });
    expect(balance("4020")).toMatchObject({ debit: "0.00", credit: "0.00" });
  });

  it("payment: Dr cash; Cr receivables per invoice; the overpayment to customer balances; a reversal mirrors it", async () => {
    ctx.clock.set("2025-03-01T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const id = await draftInvoice(books, [
      { product: "A", amount: "100.00", start: "2025-02-01", end: "2025-03-01" },
    ]);
    await finalize(books, id);
    ctx.clock.set("2025-03-04T10:00:00Z");
    const paid = await payment(
      books,
      "120.00",
      [{ invoiceId: id, amount: "100.00" }],
      "2025-03-03T09:00:00Z",
    );
    await reversePayment(books, paid);
    const entries = await journal(books);
    const posted = entries.find((e) => e.kind === "payment");
    expect(posted?.date).toBe("2025-03-03");
    expect(shape(posted as never)).toEqual([
      ["1000", "120.00", "0.00"],
      ["1100", "0.00", "100.00"],
      ["2400", "0.00", "20.00"],
    ]);
    expect(shape(entries.find((e) => e.kind === "payment_reversal") as never)).toEqual([
      ["1000", "0.00", "120.00"],
      ["1100", "100.00", "0.00"],
      ["2400", "20.00", "0.00"],
    ]);
    const receivables = (await books.t.get("/v1/reports/receivables")).json();
    expect(receivables.rows).toMatchObject([
      { customerId: books.customerId, outstanding: "100.00", invoices: 1 },
    ]);
  });

  it("customer balance applied at finalize: Dr customer balances; Cr receivables; a void gives it back", async () => {
    ctx.clock.set("2025-03-01T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const first = await draftInvoice(books, [
      { product: "A", amount: "100.00", start: "2025-02-01", end: "2025-03-01" },
    ]);
    await finalize(books, first);
    // 150.00 received for a 100.00 invoice: 50.00 becomes the customer's balance…
    await payment(books, "150.00", [{ invoiceId: first, amount: "100.00" }]);
    ctx.clock.set("2025-04-01T10:00:00Z");
    const second = await draftInvoice(books, [
      { product: "A", amount: "80.00", start: "2025-03-01", end: "2025-04-01" },
    ]);
    // …which receivables applies to the next invoice when it is finalized.
    await finalize(books, second);
    expect(await outstanding(books, second)).toBe("30.00");
    const applied = (await journal(books, "&kind=balance_applied"))[0];
    expect(applied).toMatchObject({ date: "2025-04-01", source: { type: "invoice", id: second } });
    expect(shape(applied)).toEqual([
      ["1100", "0.00", "50.00"],
      ["2400", "50.00", "0.00"],
    ]);
    let receivables = (await books.t.get("/v1/reports/receivables")).json();
    expect(receivables.rows).toMatchObject([{ outstanding: "30.00", invoices: 1 }]);
    await voidInvoice(books, second);
    const voided = (await journal(books, "&kind=invoice_void"))[0];
    expect(shape(voided)).toEqual([
      ["1100", "0.00", "30.00"],
      ["2400", "0.00", "50.00"],
      ["4010", "80.00", "0.00"],
    ]);
    receivables = (await books.t.get("/v1/reports/receivables")).json();
    expect(receivables.rows).toEqual([]);
    // Receivables gives the 50.00 back to the customer too, as the journal's 2400 says.
    const billing = (await books.t.get(`/v1/customers/${books.customerId}/billing`)).json();
    expect(billing.balances).toEqual([{ currency: "USD", amount: "50.00" }]);
    const tb = (await books.t.get("/v1/reports/trial-balance")).json();
    expect(tb.currencies[0].accounts.find((a: { account: string }) => a.account === "2400")).toMatchObject({
      debit: "0.00",
      credit: "50.00",
    });
  });

  it("credit grant, draw-down and expiry move the credit liability", async () => {
    ctx.clock.set("2025-01-01T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx), [
      { pool: "promo", amount: "50", expiresAt: "2025-02-15T00:00:00Z" },
    ]);
    ctx.clock.set("2025-02-01T10:00:00Z");
    const id = await draftInvoice(books, [
      { product: "API calls", amount: "5.00", drawn: "20.00", start: "2025-01-01", end: "2025-02-01" },
    ]);
    await finalize(books, id);
    ctx.clock.set("2025-03-02T10:00:00Z");
    expect((await books.t.post("/v1/accounting-periods/2025-02/close")).statusCode).toBe(200);
    const entries = await journal(books);
    expect(entries.map((e) => e.kind)).toEqual(["credit_grant", "invoice", "credit_expiry"]);
    expect(shape(entries[0])).toEqual([
      ["2300", "0.00", "50.00"],
      ["6100", "50.00", "0.00"],
    ]);
    expect(shape(entries[1])).toEqual([
      ["1100", "5.00", "0.00"],
      ["2300", "20.00", "0.00"],
      ["4010", "0.00", "25.00"],
    ]);
    expect(entries[2].date).toBe("2025-02-28");
    expect(shape(entries[2])).toEqual([
      ["2300", "30.00", "0.00"],
      ["6100", "0.00", "30.00"],
    ]);
    expect((await books.t.get("/v1/reports/credit-liability")).json().rows).toEqual([]);
  });

  it("the database refuses an unbalanced entry and any change to a posted one", async () => {
    ctx.clock.set("2025-03-01T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const id = await draftInvoice(books, [
      { product: "A", amount: "10.00", start: "2025-02-01", end: "2025-03-01" },
    ]);
    await finalize(books, id);
    await postPendingActivity(books.deps);
    const db = ctx.database.db;
    await expect(
      db.execute(sql`update journal_lines set debit = debit + 1 where tenant_id = ${books.t.tenantId}`),
    ).rejects.toThrow();
    await expect(
      db.execute(sql`delete from journal_entries where tenant_id = ${books.t.tenantId}`),
    ).rejects.toThrow();
    const [account] = (await books.t.get("/v1/accounts")).json().data;
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into journal_entries (id, tenant_id, date, kind, source_type, source_id, currency, memo, created_at)
          values ('je_bad', ${books.t.tenantId}, '2025-03-01', 'invoice', 'invoice', 'x', 'USD', 'bad', now())`);
        await tx.execute(sql`insert into journal_lines (tenant_id, entry_id, position, account_id, date, currency, debit, credit)
          values (${books.t.tenantId}, 'je_bad', 0, ${account.id}, '2025-03-01', 'USD', 10, 0),
                 (${books.t.tenantId}, 'je_bad', 1, ${account.id}, '2025-03-01', 'USD', 0, 9)`);
      }),
    ).rejects.toThrow(/does not balance/);
    // Lines name an entry being posted and an account of their tenant (checked per statement, not per row).
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into journal_entries (id, tenant_id, date, kind, source_type, source_id, currency, memo, created_at)
          values ('je_bad2', ${books.t.tenantId}, '2025-03-01', 'invoice', 'invoice', 'y', 'USD', 'bad', now())`);
        await tx.execute(sql`insert into journal_lines (tenant_id, entry_id, position, account_id, date, currency, debit, credit)
          values (${books.t.tenantId}, 'je_bad2', 0, 'acct_of_nobody', '2025-03-01', 'USD', 10, 0),
                 (${books.t.tenantId}, 'je_bad2', 1, ${account.id}, '2025-03-01', 'USD', 0, 10)`);
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/account of their tenant/) } });
    await expect(
      db.execute(sql`insert into journal_lines (tenant_id, entry_id, position, account_id, date, currency, debit, credit)
        values (${books.t.tenantId}, ${(await journal(books))[0].id}, 9, ${account.id}, '2025-03-01', 'USD', 1, 0)`),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/being posted/) } });
    expect((await journal(books)).map((e) => e.id)).not.toContain("je_bad");
  });
});

describe("journal backfill", () => {
  it("posts documents no activity record announced, in the order they happened, once", async () => {
    ctx.clock.set("2025-03-01T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const id = await draftInvoice(books, [
      { product: "A", amount: "100.00", start: "2025-02-01", end: "2025-03-01" },
    ]);
    // Finalized, credited and another voided, and the journal starts reading the log after them: the
    // documents of an installation upgraded from before the journal's log records.
    expect((await books.t.post(`/v1/invoices/${id}/finalize`)).statusCode).toBe(200);
    ctx.clock.set("2025-03-02T10:00:00Z");
    expect(
      (await books.t.post(`/v1/invoices/${id}/credit-notes`, { amount: "10.00", reason: "x" })).statusCode,
    ).toBe(201);
    // Another finalized and voided at the same instant as its credit note's invoice: order still holds.
    const other = await draftInvoice(books, [
      { product: "A", amount: "7.00", start: "2025-02-01", end: "2025-03-01" },
    ]);
    expect((await books.t.post(`/v1/invoices/${other}/finalize`)).statusCode).toBe(200);
    expect((await books.t.post(`/v1/invoices/${other}/void`)).statusCode).toBe(200);
    await ctx.database.db.execute(sql`update journal_position set (txid, seq) =
      (select txid, seq from activity order by txid desc, seq desc limit 1) where consumer = 'journal'`);
    const first = await books.t.post("/v1/journal-entries/backfill");
    expect(first.json()).toEqual({ posted: 4 });
    expect((await books.t.post("/v1/journal-entries/backfill")).json()).toEqual({ posted: 0 });
    const entries = await journal(books);
    expect(entries.map((e) => [e.kind, e.date])).toEqual([
      ["invoice", "2025-03-01"],
      ["invoice", "2025-03-02"],
      ["credit_note", "2025-03-02"],
      ["invoice_void", "2025-03-02"],
    ]);
    expect(shape(entries[2])).toEqual([
      ["1100", "0.00", "10.00"],
      ["4010", "10.00", "0.00"],
    ]);
  });
});
