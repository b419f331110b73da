import type { EmailTemplateKind } from "../../db/schema/index.ts";

export interface EmailTemplate {
  subject: string;
  body: string;
}

const common = ["company.name", "company.paymentInstructions", "customer.name"];

/** The variables each template may use, written `{{invoice.number}}`. */
export const templateVariables: Record<EmailTemplateKind, string[]> = {
  invoice_issued: [
    ...common,
    "invoice.number",
    "invoice.issueDate",
    "invoice.dueDate",
    "invoice.currency",
    "invoice.total",
    "invoice.amountDue",
  ],
  payment_received: [
    ...common,
    "payment.amount",
    "payment.currency",
    "payment.receivedDate",
    "payment.reference",
    "payment.invoices",
  ],
  payment_reminder: [
    ...common,
    "invoice.number",
    "invoice.dueDate",
    "invoice.currency",
    "invoice.outstanding",
    "invoice.daysOverdue",
  ],
  usage_report: [...common, "report.period", "report.usage", "report.currency", "report.total"],
  credits_low: [...common, "credits.pool", "credits.balance"],
};

/** The built-in wording, used until a tenant saves its own. */
export const defaultTemplates: Record<EmailTemplateKind, EmailTemplate> = {
  invoice_issued: {
    subject: "Invoice {{invoice.number}} from {{company.name}}",
    body: [
      "Hello {{customer.name}},",
      "",
      "Your invoice {{invoice.number}} of {{invoice.issueDate}} is attached.",
      "Amount due: {{invoice.currency}} {{invoice.amountDue}}, by {{invoice.dueDate}}.",
      "",
      "{{company.paymentInstructions}}",
      "",
      "Thank you,",
      "{{company.name}}",
    ].join("\n"),
  },
  payment_received: {
    subject: "Payment received: {{payment.currency}} {{payment.amount}}",
    body: [
      "Hello {{customer.name}},",
      "",
      "We received your payment of {{payment.currency}} {{payment.amount}} on {{payment.receivedDate}}",
      "(reference {{payment.reference}}), applied to: {{payment.invoices}}.",
      "",
      "Thank you,",
      "{{company.name}}",
    ].join("\n"),
  },
  payment_reminder: {
    subject: "Reminder: invoice {{invoice.number}} is {{invoice.daysOverdue}} days overdue",
    body: [
      "Hello {{customer.name}},",
      "",
      "Invoice {{invoice.number}} was due on {{invoice.dueDate}}; {{invoice.currency}} {{invoice.outstanding}}",
      "is still outstanding. Please pay at your earliest convenience.",
      "",
      "{{company.paymentInstructions}}",
      "",
      "{{company.name}}",
    ].join("\n"),
  },
  usage_report: {
    subject: "Your usage for {{report.period}}",
    body: [
      "Hello {{customer.name}},",
      "",
      "Your usage for {{report.period}} so far:",
      "{{report.usage}}",
      "",
      "Total so far: {{report.currency}} {{report.total}}",
      "",
      "{{company.name}}",
    ].join("\n"),
  },
  credits_low: {
    subject: "Your {{credits.pool}} credits are running low",
    body: [
      "Hello {{customer.name}},",
      "",
      "Your {{credits.pool}} credit balance is down to {{credits.balance}}.",
      "",
      "{{company.name}}",
    ].join("\n"),
  },
};

/** Example values for the preview of each template. */
export const sampleVariables: Record<string, string> = {
  "company.name": "Northwind Billing Ltd",
  "company.paymentInstructions": "Bank transfer to IBAN GB00 TEST 0000 1111, quoting the invoice number.",
  "customer.name": "Acme Corp",
  "invoice.number": "INV-000042",
  "invoice.issueDate": "2025-02-01",
  "invoice.dueDate": "2025-03-03",
  "invoice.currency": "USD",
  "invoice.total": "1170.00",
  "invoice.amountDue": "1170.00",
  "invoice.outstanding": "470.00",
  "invoice.daysOverdue": "12",
  "payment.amount": "700.00",
  "payment.currency": "USD",
  "payment.receivedDate": "2025-03-10",
  "payment.reference": "BANK-7781",
  "payment.invoices": "INV-000042 (USD 700.00)",
  "report.period": "2025-03-01 to 2025-03-31",
  "report.usage": "- API calls: 12,400 (10,000 free, 2,400 billable)",
  "report.currency": "USD",
  "report.total": "240.00",
  "credits.pool": "promo",
  "credits.balance": "12.50",
};

const VARIABLE = /\{\{\s*([a-zA-Z]+(?:\.[a-zA-Z]+)*)\s*\}\}/g;

/** Names used in a text that the template kind does not offer. */
export function unknownVariables(kind: EmailTemplateKind, text: string): string[] {
  const allowed = new Set(templateVariables[kind]);
  return [...text.matchAll(VARIABLE)].map((m) => m[1]).filter((name) => !allowed.has(name));
}

/** Fills `{{name}}` placeholders; a variable without a value is left empty. */
export function renderTemplate(template: EmailTemplate, values: Record<string, string>): EmailTemplate {
  const fill = (text: string) => text.replace(VARIABLE, (_, name: string) => values[name] ?? "");
  return { subject: fill(template.subject).replace(/\s+/g, " ").trim(), body: fill(template.body) };
}
