import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import type { EmailTemplateKind } from "../../db/schema/index.ts";
import { type ActivityRow, activityAfter } from "../activity/queries.ts";
import { getCompanyProfile } from "../company/service.ts";
import { customerById } from "../customers/queries.ts";
import { customerBillingOf } from "../receivables/queries.ts";
import {
  type EmailMessageRow,
  insertMessages,
  lockConsumerPosition,
  saveConsumerPosition,
  templatesOf,
} from "./queries.ts";
import { defaultTemplates, renderTemplate } from "./templates.ts";

export const EMAIL_CONSUMER = "email";
/** The sender address; the display name is the tenant's legal name. */
export const emailFrom = () => process.env.EMAIL_FROM || "billing@pricegraph.local";

interface Draft {
  kind: EmailTemplateKind;
  customerId: string;
  invoiceId: string | null;
  values: Record<string, string>;
  attachInvoicePdf?: { invoiceId: string; number: string };
}

type Obj = Record<string, unknown>;
const str = (value: unknown) => (value === null || value === undefined ? "" : String(value));
const amount = (value: unknown, currency: string) =>
  fixed(new Decimal(str(value) || "0"), minorUnits(currency));

/** Which e-mail an activity record asks for, with the values only the record knows. */
function draftFor(record: ActivityRow): Draft | null {
  const o = record.object as Obj;
  switch (record.type) {
    case "invoice.issued": {
      const currency = str(o.currency);
      return {
        kind: "invoice_issued",
        customerId: str(o.customerId),
        invoiceId: str(o.invoiceId),
        values: {
          "invoice.number": str(o.number),
          "invoice.issueDate": str(o.issueDate),
          "invoice.dueDate": str(o.dueDate),
          "invoice.currency": currency,
          "invoice.total": amount(o.total, currency),
          "invoice.amountDue": amount(o.amountDue, currency),
        },
        attachInvoicePdf: { invoiceId: str(o.invoiceId), number: str(o.number) },
      };
    }
    case "payment.created": {
      const currency = str(o.currency);
      const allocations = (o.allocations as { number: string | null; amount: string }[] | undefined) ?? [];
      const invoices = allocations.map((a) => `${a.number} (${currency} ${a.amount})`);
      if (!new Decimal(str(o.toBalance) || "0").isZero())
        invoices.push(`your balance (${currency} ${str(o.toBalance)})`);
      return {
        kind: "payment_received",
        customerId: str(o.customerId),
        invoiceId: null,
        values: {
          "payment.amount": amount(o.amount, currency),
          "payment.currency": currency,
          "payment.receivedDate": str(o.receivedAt).slice(0, 10),
          "payment.reference": str(o.reference) || "none",
          "payment.invoices": invoices.join(", ") || "your account",
        },
      };
    }
    case "payment_reminder.requested": {
      const currency = str(o.currency);
      return {
        kind: "payment_reminder",
        customerId: str(o.customerId),
        invoiceId: str(o.invoiceId),
        values: {
          "invoice.number": str(o.number),
          "invoice.dueDate": str(o.dueDate),
          "invoice.currency": currency,
          "invoice.outstanding": amount(o.outstanding, currency),
          "invoice.daysOverdue": str(o.daysOverdue),
        },
        attachInvoicePdf: { invoiceId: str(o.invoiceId), number: str(o.number) },
      };
    }
    case "usage_report.due": {
      return {
        kind: "usage_report",
        customerId: str(o.customerId),
        invoiceId: null,
        values: {
          "report.period": str(o.period),
          "report.usage": str(o.usage),
          "report.currency": str(o.currency),
          "report.total": str(o.total),
        },
      };
    }
    case "alert.triggered": {
      // A credit-balance alert crossing one of its thresholds is what "credits running low" means; usage and
      // spend alerts reach the tenant through webhooks and the app, not the customer's inbox.
      if (o.kind !== "credit_balance") return null;
      return {
        kind: "credits_low",
        customerId: str(o.customerId),
        invoiceId: null,
        values: { "credits.pool": "prepaid", "credits.balance": str(o.value) },
      };
    }
    default:
      return null;
  }
}

async function compose(
  deps: Pick<Deps, "clock" | "ids">,
  db: Db,
  record: ActivityRow,
): Promise<EmailMessageRow | null> {
  const draft = draftFor(record);
  if (!draft) return null;
  const { tenantId } = record;
  const [company, customer, billing, templates] = await Promise.all([
    getCompanyProfile(db, tenantId),
    customerById(db, tenantId, draft.customerId),
    customerBillingOf(db, tenantId, draft.customerId),
    templatesOf(db, tenantId),
  ]);
  const template = templates.find((t) => t.kind === draft.kind) ?? defaultTemplates[draft.kind];
  const rendered = renderTemplate(template, {
    "company.name": company.legalName || "Pricegraph",
    "company.paymentInstructions": company.paymentInstructions,
    "customer.name": customer?.name ?? "",
    ...draft.values,
  });
  const to = billing?.emails.length ? billing.emails : customer?.email ? [customer.email] : [];
  const now = deps.clock();
  const name = (company.legalName || "Pricegraph").replace(/["\\]/g, "");
  return {
    id: deps.ids("eml"),
    tenantId,
    messageKey: `${record.id}:${draft.kind}`,
    kind: draft.kind,
    activityId: record.id,
    customerId: draft.customerId,
    invoiceId: draft.invoiceId,
    from: `"${name}" <${emailFrom()}>`,
    to,
    subject: rendered.subject,
    text: rendered.body,
    attachments: draft.attachInvoicePdf
      ? [{ filename: `${draft.attachInvoicePdf.number}.pdf`, invoiceId: draft.attachInvoicePdf.invoiceId }]
      : [],
    status: to.length ? "pending" : "no_recipient",
    attempts: 0,
    nextAttemptAt: now,
    lastError: to.length ? null : "the customer has no billing e-mail",
    sentAt: null,
    createdAt: now,
  };
}

/**
 * The e-mail consumer of the activity log: reads the records after its position, composes the e-mails they ask
 * for and advances its position, all in one transaction — a record is turned into its messages exactly once
 * (and the unique message key guards that too). Returns how many records it read.
 */
export async function collectEmails(deps: Deps, batch = 200): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    const position = await lockConsumerPosition(db, EMAIL_CONSUMER);
    const records = await activityAfter(db, position, batch);
    if (records.length === 0) return 0;
    const messages: EmailMessageRow[] = [];
    for (const record of records) {
      const message = await compose(deps, db, record);
      if (message) messages.push(message);
    }
    await insertMessages(db, messages);
    const last = records[records.length - 1];
    await saveConsumerPosition(db, EMAIL_CONSUMER, { txid: last.txid, seq: last.seq }, deps.clock());
    return records.length;
  });
}
