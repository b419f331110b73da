import nodemailer from "nodemailer";
import type { Deps } from "../../context.ts";
import { invoicePdf } from "../documents/service.ts";
import { claimDueMessages, type EmailMessageRow, settleMessage } from "./queries.ts";

/** Sends one composed message; throws when the SMTP server refuses it or cannot be reached. */
export interface MailTransport {
  send(message: EmailMessageRow, attachments: { filename: string; content: Buffer }[]): Promise<void>;
}

/** Attempts per message before it is `failed`: the first and seven retries, over about two hours. */
export const MAX_ATTEMPTS = 8;
/** How long a claimed message stays with its worker before another may take it (a worker that died). */
const LEASE_MS = 10 * 60_000;

/** Wait before retry `attempt` (1, 2, …): 30 s doubling, at most an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
}

/** nodemailer over `SMTP_URL` (smtp://user:pass@host:port, smtps://…); null without one: messages stay in the outbox. */
export function smtpTransport(url = process.env.SMTP_URL): MailTransport | null {
  if (!url) return null;
  const transporter = nodemailer.createTransport(url);
  return {
    async send(message, attachments) {
      await transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        // A stable Message-ID: if a crash makes us send a message again, receivers can tell it is the same one.
        messageId: `<${message.messageKey.replace(/[^A-Za-z0-9_.:-]/g, "")}@pricegraph>`,
        attachments: attachments.map((a) => ({ ...a, contentType: "application/pdf" })),
      });
    },
  };
}

/**
 * Delivers what is due: each message is claimed (so no other worker sends it), sent outside any transaction, then
 * marked `sent`; a refused or unreachable SMTP server puts it back with a growing delay until MAX_ATTEMPTS. With no
 * transport, messages are kept in the outbox. Returns how many messages were handled.
 */
export async function deliverDueEmails(
  deps: Deps,
  transport: MailTransport | null,
  limit = 50,
): Promise<number> {
  const now = deps.clock();
  const claimed = await claimDueMessages(deps.db, now, new Date(now.getTime() + LEASE_MS), limit);
  for (const message of claimed) {
    if (!transport) {
      await settleMessage(deps.db, message.id, { status: "outbox", lastError: null });
      continue;
    }
    try {
      const attachments = await Promise.all(
        message.attachments.map(async (a) => ({
          filename: a.filename,
          content: (await invoicePdf(deps.db, message.tenantId, a.invoiceId)).pdf,
        })),
      );
      await transport.send(message, attachments);
      await settleMessage(deps.db, message.id, { status: "sent", sentAt: deps.clock(), lastError: null });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const failed = message.attempts >= MAX_ATTEMPTS;
      await settleMessage(deps.db, message.id, {
        status: failed ? "failed" : "pending",
        nextAttemptAt: new Date(deps.clock().getTime() + retryDelayMs(message.attempts)),
        lastError: reason.slice(0, 1000),
      });
    }
  }
  return claimed.length;
}
