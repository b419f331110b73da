import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { billedCustomer, emailsOfKind, finalizedInvoice } from "../../../test/receivables.ts";
import type { BillingDeps } from "../billing/context.ts";
import { dispatchEmails } from "../email/service.ts";

let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = ctx.deps;
}, 60_000);
afterAll(async () => ctx?.close());

const reminders = (t: TestTenant) => emailsOfKind(t, "payment_reminder");

describe("dunning", () => {
  it("reminds on schedule up to the attempts, stops when paid, follows customer overrides", async () => {
    const t = await createTestTenant(ctx);
    await t.put("/v1/settings/company", { legalName: "Seller", paymentTermsDays: 10 });
    expect(
      (
        await t.put("/v1/settings/dunning", {
          enabled: true,
          overdueDays: 3,
          intervalDays: 7,
          maxAttempts: 2,
        })
      ).statusCode,
    ).toBe(200);
    const late = await billedCustomer(t);
    const payer = await billedCustomer(t);
    const exempt = await billedCustomer(t);
    for (const c of [late, payer, exempt])
      await t.put(`/v1/customers/${c.customerId}/billing`, { emails: ["ap@x.test"] });
    const override = await t.put(`/v1/customers/${exempt.customerId}/dunning`, {
      campaign: { enabled: false, overdueDays: 3, intervalDays: 7, maxAttempts: 2 },
    });
    expect(override.json()).toMatchObject({ enabled: false, inherited: false });
    expect((await t.get(`/v1/customers/${late.customerId}/dunning`)).json()).toMatchObject({
      enabled: true,
      inherited: true,
    });
    // Issued 2025-02-01 (the period end), due 2025-02-11.
    const lateInvoice = await finalizedInvoice(ctx, t, late, "2025-01", 10, "2025-02-05T09:00:00Z");
    const payerInvoice = await finalizedInvoice(ctx, t, payer, "2025-01", 10, "2025-02-05T09:00:00Z");
    await finalizedInvoice(ctx, t, exempt, "2025-01", 10, "2025-02-05T09:00:00Z");
    const tick = async (at: string) => {
      ctx.clock.set(at);
      await dispatchEmails(deps, null);
      return (await reminders(t)).map((m: { invoiceId: string }) => m.invoiceId);
    };
    expect(await tick("2025-02-13T12:00:00Z")).toEqual([]); // 2 days late
    expect((await tick("2025-02-14T12:00:00Z")).sort()).toEqual([lateInvoice.id, payerInvoice.id].sort());
    expect(
      (
        await t.post("/v1/payments", {
          customerId: payer.customerId,
          amount: "10",
          currency: "USD",
          receivedAt: "2025-02-15",
        })
      ).statusCode,
    ).toBe(201);
    expect(await tick("2025-02-16T12:00:00Z")).toHaveLength(2); // within the interval
    expect(await tick("2025-02-21T12:00:00Z")).toHaveLength(3); // second reminder; the paid invoice gets none
    expect(await tick("2025-03-20T12:00:00Z")).toHaveLength(3); // attempts used up
    const [latest] = await reminders(t);
    expect(latest).toMatchObject({
      invoiceId: lateInvoice.id,
      subject: `Reminder: invoice ${lateInvoice.number} is 10 days overdue`,
      attachments: [`${lateInvoice.number}.pdf`],
    });
    const history = (await t.get(`/v1/invoices/${lateInvoice.id}/reminders`)).json().data;
    expect(history.map((r: { attempt: number }) => r.attempt).sort()).toEqual([1, 2]);
  });

  it("requests payment by hand, and refuses a paid invoice", async () => {
    const t = await createTestTenant(ctx);
    const c = await billedCustomer(t);
    await t.put(`/v1/customers/${c.customerId}/billing`, { emails: ["ap@x.test"] });
    const invoice = await finalizedInvoice(ctx, t, c, "2025-01", 10, "2025-02-05T09:00:00Z");
    const requested = await t.post(`/v1/invoices/${invoice.id}/request-payment`);
    expect(requested.statusCode, requested.body).toBe(201);
    expect(requested.json()).toMatchObject({ source: "manual", outstanding: "10.00", daysOverdue: 0 });
    await dispatchEmails(deps, null);
    expect(await reminders(t)).toHaveLength(1);
    await t.post("/v1/payments", {
      customerId: c.customerId,
      amount: "10",
      currency: "USD",
      receivedAt: "2025-02-06",
    });
    expect((await t.post(`/v1/invoices/${invoice.id}/request-payment`)).statusCode).toBe(409);
    expect((await t.post("/v1/invoices/inv_nope/request-payment")).statusCode).toBe(404);
  });
});
