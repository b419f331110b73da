import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestContext,
  createTestTenant,
  type TestContext,
  type TestTenant,
} from "../../../test/helpers.ts";
import { pdfText } from "../../../test/pdf-text.ts";
import { billedCustomer, finalizedInvoice } from "../../../test/receivables.ts";
import { startTestSmtp } from "../../../test/smtp.ts";
import { systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import type { BillingDeps } from "../billing/context.ts";
import { retryDelayMs, smtpTransport } from "./delivery.ts";
import { dispatchEmails } from "./service.ts";

let ctx: TestContext;
let deps: BillingDeps;
beforeAll(async () => {
  ctx = await createTestContext();
  deps = ctx.deps;
}, 60_000);
afterAll(async () => ctx?.close());

/** Each tenant's own company name: on PostgreSQL other test files' tenants share the database and its log. */
const companyOf = (t: TestTenant) => `Fabrikam ${t.tenantId}`;

async function customerWithInvoice(t: TestTenant) {
  await t.put("/v1/settings/company", {
    legalName: companyOf(t),
    paymentInstructions: "IBAN GB00 TEST",
    paymentTermsDays: 30,
  });
  const c = await billedCustomer(t);
  await t.put(`/v1/customers/${c.customerId}/billing`, { emails: ["ap@acme.test", "cfo@acme.test"] });
  const invoice = await finalizedInvoice(ctx, t, c, "2025-01", 80, "2025-02-03T10:00:00Z");
  return { c, invoice };
}

const messagesOf = async (t: TestTenant, query = "") =>
  (await t.get(`/v1/email-messages?${query}`)).json().data;

describe("e-mail", () => {
  it("tells the customer when a credit-balance alert fires, and only for that kind of alert", async () => {
    const t = await createTestTenant(ctx);
    const { c } = await customerWithInvoice(t);
    const firing = { customerId: c.customerId, contractId: c.contractId, threshold: "50", value: "12.50" };
    await deps.db.transaction(async (tx) => {
      const caller = systemCaller(t.tenantId, "alerts");
      await recordActivity(deps, tx as Db, caller, {
        type: "alert.triggered",
        objectId: "alr_low",
        object: { ...firing, kind: "credit_balance", alertName: "Low credits" },
      });
      await recordActivity(deps, tx as Db, caller, {
        type: "alert.triggered",
        objectId: "alr_spend",
        object: { ...firing, kind: "spend", alertName: "Big spender" },
      });
    });
    await dispatchEmails(deps, null);
    const low = (await messagesOf(t, "limit=500")).filter((m: { kind: string }) => m.kind === "credits_low");
    expect(low).toHaveLength(1);
    expect(low[0].subject).toBe("Your prepaid credits are running low");
    const detail = (await t.get(`/v1/email-messages/${low[0].id}`)).json();
    expect(detail.text ?? detail.body ?? JSON.stringify(detail)).toContain("12.50");
  });

  it("sends the invoice with its PDF and a payment receipt through SMTP", async () => {
    const smtp = await startTestSmtp();
    try {
      const t = await createTestTenant(ctx);
      const { c, invoice } = await customerWithInvoice(t);
      const transport = smtpTransport(smtp.url);
      await dispatchEmails(deps, transport);
      const mine = () =>
        smtp.received.filter((m) => m.subject === `Invoice ${invoice.number} from ${companyOf(t)}`);
      expect(mine()).toHaveLength(1);
      const mail = mine()[0];
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual([
        "ap@acme.test",
        "cfo@acme.test",
      ]);
      expect(mail.from?.value[0]).toMatchObject({
        name: companyOf(t),
        address: "billing@pricegraph.local",
      });
      expect(mail.text).toContain("Amount due: USD 80.00, by 2025-03-03");
      expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        [`${invoice.number}.pdf`, "application/pdf"],
      ]);
      expect(await pdfText(mail.attachments[0].content)).toContain(invoice.number);

      ctx.clock.set("2025-02-10T10:00:00Z");
      const paid = await t.post("/v1/payments", {
        customerId: c.customerId,
        amount: "80",
        currency: "USD",
        receivedAt: "2025-02-10",
        reference: "BANK-1",
      });
      expect(paid.statusCode).toBe(201);
      await dispatchEmails(deps, transport);
      const receipt = smtp.received.find(
        (m) => m.subject === "Payment received: USD 80.00" && m.text?.includes("BANK-1"),
      );
      expect(receipt?.text).toContain(`${invoice.number} (USD 80.00)`);
      expect((await messagesOf(t)).map((m: { kind: string; status: string }) => [m.kind, m.status])).toEqual([
        ["payment_received", "sent"],
        ["invoice_issued", "sent"],
      ]);
    } finally {
      await smtp.close();
    }
  });

  it("retries later when SMTP is down and sends each message once", async () => {
    const t = await createTestTenant(ctx);
    const { invoice } = await customerWithInvoice(t);
    // A port with nothing listening: the connection is refused.
    const probe = await startTestSmtp();
    const port = probe.port;
    await probe.close();
    const down = smtpTransport(`smtp://127.0.0.1:${port}?ignoreTLS=true&connectionTimeout=2000`);
    ctx.clock.set("2025-02-03T11:00:00Z");
    await dispatchEmails(deps, down);
    const [waiting] = await messagesOf(t);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(waiting.nextAttemptAt).toBe(
      new Date(Date.parse("2025-02-03T11:00:00Z") + retryDelayMs(1)).toISOString(),
    );

    const smtp = await startTestSmtp(port);
    try {
      const up = smtpTransport(smtp.url);
      await dispatchEmails(deps, up); // not due yet: nothing is sent
      const mine = () => smtp.received.filter((m) => m.text?.includes(companyOf(t)));
      expect(mine()).toHaveLength(0);
      ctx.clock.set("2025-02-03T11:01:00Z");
      await dispatchEmails(deps, up);
      await dispatchEmails(deps, up);
      expect(mine().map((m) => m.subject)).toEqual([`Invoice ${invoice.number} from ${companyOf(t)}`]);
      expect((await messagesOf(t))[0]).toMatchObject({
        status: "sent",
        attempts: 2,
        sentAt: "2025-02-03T11:01:00.000Z",
      });
    } finally {
      await smtp.close();
    }
  });

  it("keeps messages in the outbox without SMTP, and uses the tenant's template", async () => {
    const t = await createTestTenant(ctx);
    const bad = await t.put("/v1/email-templates/invoice_issued", {
      subject: "Hi {{customer.nmae}}",
      body: "x",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("$.subject");
    const preview = await t.post("/v1/email-templates/invoice_issued/preview", {
      subject: "{{invoice.number}} for {{customer.name}}",
      body: "Pay {{invoice.currency}} {{invoice.amountDue}} by {{invoice.dueDate}}",
    });
    expect(preview.json()).toEqual({
      subject: "INV-000042 for Acme Corp",
      text: "Pay USD 1170.00 by 2025-03-03",
    });
    expect(
      (
        await t.put("/v1/email-templates/invoice_issued", {
          subject: "Your bill {{invoice.number}}",
          body: "Due {{invoice.dueDate}}: {{invoice.currency}} {{invoice.amountDue}}",
        })
      ).statusCode,
    ).toBe(200);
    const { invoice } = await customerWithInvoice(t);
    await dispatchEmails(deps, null);
    const [message] = await messagesOf(t);
    expect(message).toMatchObject({
      kind: "invoice_issued",
      status: "outbox",
      subject: `Your bill ${invoice.number}`,
      text: "Due 2025-03-03: USD 80.00",
      to: ["ap@acme.test", "cfo@acme.test"],
      attachments: [`${invoice.number}.pdf`],
      invoiceId: invoice.id,
    });
    await dispatchEmails(deps, null);
    expect(await messagesOf(t)).toHaveLength(1);
  });
});
