import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { type EmailStatus, type EmailTemplateKind, emailTemplateKinds } from "../../db/schema/index.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import type { BillingDeps } from "../billing/context.ts";
import { runDunning } from "../dunning/service.ts";
import { runUsageReports } from "../usage-reports/service.ts";
import { collectEmails } from "./compose.ts";
import { deliverDueEmails, type MailTransport } from "./delivery.ts";
import {
  deleteTemplate,
  type EmailMessageRow,
  listMessages,
  messageById,
  templatesOf,
  upsertTemplate,
} from "./queries.ts";
import {
  defaultTemplates,
  type EmailTemplate,
  renderTemplate,
  sampleVariables,
  templateVariables,
  unknownVariables,
} from "./templates.ts";

/**
 * One pass of the e-mail job: request the reminders dunning campaigns and the usage reports customers opted into
 * have due, turn new activity records into messages, then deliver what is due. Tests call it
 * directly (with their clock and an in-process SMTP server); the worker runs it as a pg-boss job.
 */
export async function dispatchEmails(deps: BillingDeps, transport: MailTransport | null): Promise<number> {
  await runDunning(deps);
  await runUsageReports(deps);
  while ((await collectEmails(deps)) > 0) {
    // Read the log until the consumer has caught up.
  }
  return deliverDueEmails(deps, transport);
}

export async function listTemplates(db: Db, tenantId: string) {
  const own = await templatesOf(db, tenantId);
  return {
    data: emailTemplateKinds.map((kind) => {
      const row = own.find((t) => t.kind === kind);
      return {
        kind,
        subject: row?.subject ?? defaultTemplates[kind].subject,
        body: row?.body ?? defaultTemplates[kind].body,
        variables: templateVariables[kind],
        custom: row !== undefined,
        updatedAt: row?.updatedAt.toISOString() ?? null,
      };
    }),
  };
}

function checkVariables(kind: EmailTemplateKind, template: EmailTemplate) {
  const problems = (["subject", "body"] as const).flatMap((field) =>
    unknownVariables(kind, template[field]).map((name) => ({
      path: `$.${field}`,
      message: `{{${name}}} is not a variable of this template (${templateVariables[kind].join(", ")})`,
    })),
  );
  if (problems.length) throw validationFailed(problems);
}

/** Saves a tenant's wording of a template (the next e-mails use it); `null` goes back to the built-in one. */
export async function putTemplate(
  deps: Deps,
  caller: Caller,
  kind: EmailTemplateKind,
  template: EmailTemplate | null,
) {
  if (template === null) {
    await deleteTemplate(deps.db, caller.tenantId, kind);
  } else {
    checkVariables(kind, template);
    await upsertTemplate(deps.db, { tenantId: caller.tenantId, kind, ...template, updatedAt: deps.clock() });
  }
  return (await listTemplates(deps.db, caller.tenantId)).data.find((t) => t.kind === kind);
}

/** The template filled with example values, as the customer would read it. */
export function previewTemplate(kind: EmailTemplateKind, template: EmailTemplate) {
  checkVariables(kind, template);
  const rendered = renderTemplate(template, sampleVariables);
  return { subject: rendered.subject, text: rendered.body };
}

export function toEmailMessage(row: EmailMessageRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    customerId: row.customerId,
    invoiceId: row.invoiceId,
    activityId: row.activityId,
    from: row.from,
    to: row.to,
    subject: row.subject,
    text: row.text,
    attachments: row.attachments.map((a) => a.filename),
    attempts: row.attempts,
    nextAttemptAt: ["pending", "sending"].includes(row.status) ? row.nextAttemptAt.toISOString() : null,
    lastError: row.lastError,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function pageOfMessages(
  deps: Deps,
  tenantId: string,
  query: { status?: EmailStatus; customerId?: string; invoiceId?: string; limit: number },
) {
  return { data: (await listMessages(deps.db, tenantId, query)).map(toEmailMessage) };
}

export async function getMessage(deps: Deps, tenantId: string, id: string) {
  const row = await messageById(deps.db, tenantId, id);
  if (!row) throw notFound("E-mail", [{ path: "params.id", message: `no e-mail ${id}` }]);
  return toEmailMessage(row);
}
