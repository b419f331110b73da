import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { invoices } from "./billing.ts";
import { tenants } from "./tenants.ts";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const emailTemplateKinds = [
  "invoice_issued",
  "payment_received",
  "payment_reminder",
  "usage_report",
  "credits_low",
] as const;
export type EmailTemplateKind = (typeof emailTemplateKinds)[number];

/** A tenant's own wording of an e-mail; a kind without a row uses the built-in template. */
export const emailTemplates = pgTable(
  "email_templates",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    kind: text("kind").$type<EmailTemplateKind>().notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

/**
 * `pending` waits for delivery (or a retry at `next_attempt_at`); `sending` is claimed by a worker until
 * `next_attempt_at` (its lease); `sent` went out through SMTP; `outbox` was kept here because no SMTP server is
 * configured; `failed` gave up after the last retry; `no_recipient` had nowhere to go.
 */
export const emailStatuses = ["pending", "sending", "sent", "outbox", "failed", "no_recipient"] as const;
export type EmailStatus = (typeof emailStatuses)[number];

export interface EmailAttachmentRef {
  filename: string;
  /** The document to render when sending: the same bytes as the download. */
  invoiceId: string;
}

/** Every e-mail the system composed; `message_key` (activity record + template) makes each one exactly once. */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    messageKey: text("message_key").notNull(),
    kind: text("kind").$type<EmailTemplateKind>().notNull(),
    activityId: text("activity_id"),
    customerId: text("customer_id"),
    invoiceId: text("invoice_id"),
    from: text("from_address").notNull(),
    to: jsonb("to_addresses").$type<string[]>().notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    attachments: jsonb("attachments").$type<EmailAttachmentRef[]>().notNull(),
    status: text("status").$type<EmailStatus>().notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: instant("next_attempt_at").notNull(),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("email_messages_key_uq").on(t.tenantId, t.messageKey),
    index("email_messages_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("email_messages_due_idx").on(t.nextAttemptAt).where(sql`${t.status} IN ('pending', 'sending')`),
  ],
);

/** A tenant's dunning campaign (a customer row overrides it; `customer_id` '' is the tenant's own). */
export const dunningCampaigns = pgTable(
  "dunning_campaigns",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    customerId: text("customer_id").notNull(),
    enabled: boolean("enabled").notNull(),
    /** Days past the due date before the first reminder. */
    overdueDays: integer("overdue_days").notNull(),
    /** Days between reminders. */
    intervalDays: integer("interval_days").notNull(),
    /** Reminders at most, per invoice. */
    maxAttempts: integer("max_attempts").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId] })],
);

/** Every payment reminder requested for an invoice, by dunning or by hand. */
export const paymentReminders = pgTable(
  "payment_reminders",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id),
    source: text("source").$type<"dunning" | "manual">().notNull(),
    /** 1 for the first dunning reminder of the invoice, and so on; 0 for manual requests. */
    attempt: integer("attempt").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    index("payment_reminders_invoice_idx").on(t.tenantId, t.invoiceId),
    uniqueIndex("payment_reminders_attempt_uq")
      .on(t.invoiceId, t.attempt)
      .where(sql`${t.source} = 'dunning'`),
  ],
);
