import { dateTime, errorBodySchema, idParams, optionalText, text } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { emailStatuses, emailTemplateKinds } from "../../db/schema/index.ts";
import type { BillingDeps } from "../billing/context.ts";

import { smtpTransport } from "./delivery.ts";
import { type EmailWorker, startEmailWorker } from "./queue.ts";
import {
  dispatchEmails,
  getMessage,
  listTemplates,
  pageOfMessages,
  previewTemplate,
  putTemplate,
} from "./service.ts";

const tags = ["e-mail"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

const templateSchema = z
  .object({
    kind: z.enum(emailTemplateKinds),
    subject: z.string(),
    body: z.string(),
    variables: z.array(z.string()).describe("what `{{…}}` may name in this template"),
    custom: z.boolean().describe("false: the built-in wording"),
    updatedAt: dateTime.nullable(),
  })
  .meta({ id: "EmailTemplate" });

const messageSchema = z
  .object({
    id: z.string(),
    kind: z.enum(emailTemplateKinds),
    status: z.enum(emailStatuses).describe("`outbox`: kept here because no SMTP_URL is configured"),
    customerId: z.string().nullable(),
    invoiceId: z.string().nullable(),
    activityId: z.string().nullable().describe("the activity record that asked for it"),
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    attachments: z.array(z.string()),
    attempts: z.number().int(),
    nextAttemptAt: dateTime.nullable(),
    lastError: z.string().nullable(),
    sentAt: dateTime.nullable(),
    createdAt: dateTime,
  })
  .meta({ id: "EmailMessage" });

const kindParams = z.object({ kind: z.enum(emailTemplateKinds) });
const templateBody = z.strictObject({ subject: text(500), body: optionalText(20_000) });

/**
 * E-mail templates, the outbox / sent log, and this process's e-mail worker (on unless `EMAIL_WORKER=off`; off under
 * vitest unless `EMAIL_WORKER=on`, so tests dispatch themselves).
 */
export const emailRoutes: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  let worker: EmailWorker | null = null;
  const enabled =
    process.env.EMAIL_WORKER === "on" || (process.env.EMAIL_WORKER !== "off" && !process.env.VITEST);
  if (enabled) {
    const transport = smtpTransport();
    app.addHook("onReady", async () => {
      worker = await startEmailWorker(deps.db, () => dispatchEmails(deps, transport));
    });
  }
  app.addHook("onClose", async () => {
    await worker?.stop();
  });

  app.get(
    "/email-templates",
    {
      schema: {
        tags,
        summary: "E-mail templates with their variables",
        response: { 200: z.object({ data: z.array(templateSchema) }), ...errors },
      },
    },
    async (request) => listTemplates(deps.db, request.tenantId),
  );

  app.put(
    "/email-templates/:kind",
    {
      schema: {
        tags,
        summary: "Set a template's subject and body (`{{variable}}` placeholders); the next e-mails use it",
        params: kindParams,
        body: templateBody,
        response: { 200: templateSchema, ...errors },
      },
    },
    async (request) => putTemplate(deps, request.caller, request.params.kind, request.body),
  );

  app.delete(
    "/email-templates/:kind",
    {
      schema: {
        tags,
        summary: "Go back to the built-in template",
        params: kindParams,
        response: { 200: templateSchema, ...errors },
      },
    },
    async (request) => putTemplate(deps, request.caller, request.params.kind, null),
  );

  app.post(
    "/email-templates/:kind/preview",
    {
      schema: {
        tags,
        summary: "Render a subject and body with example values",
        params: kindParams,
        body: templateBody,
        response: { 200: z.object({ subject: z.string(), text: z.string() }), ...errors },
      },
    },
    async (request) => previewTemplate(request.params.kind, request.body),
  );

  app.get(
    "/email-messages",
    {
      schema: {
        tags,
        summary: "E-mails composed for this tenant, newest first: the outbox and what was sent",
        querystring: z.object({
          status: z.enum(emailStatuses).optional(),
          customerId: text(100).optional(),
          invoiceId: text(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ data: z.array(messageSchema) }), ...errors },
      },
    },
    async (request) => pageOfMessages(deps, request.tenantId, request.query),
  );

  app.get(
    "/email-messages/:id",
    {
      schema: { tags, summary: "One e-mail", params: idParams, response: { 200: messageSchema, ...errors } },
    },
    async (request) => getMessage(deps, request.tenantId, request.params.id),
  );
};
