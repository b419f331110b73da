import {
  createEndpointBody,
  deliveryParams,
  deliverySchema,
  deliveryWithEventSchema,
  endpointSchema,
  endpointWithSecretSchema,
  errorBodySchema,
  idParams,
  pageSchema,
  paginationQuery,
  rotateSecretBody,
  updateEndpointBody,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";

import { stopJobs } from "../../jobs/boss.ts";
import { startWebhookWorker, type WebhookWorker } from "./delivery.ts";

import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getDelivery,
  getWebhookEndpoint,
  listWebhookEndpoints,
  pageOfDeliveries,
  resendDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
} from "./service.ts";

const tags = ["webhooks"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/**
 * Webhook endpoints and their delivery log, and this process's delivery worker. The worker follows the billing
 * worker's switch (`BILLING_WORKER`: on unless `off`; off under vitest unless `on`), so one setting says whether a
 * process does background work, and tests drain the queue themselves (`drainWebhookJobs`).
 */
export const webhookRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  let worker: WebhookWorker | null = null;
  const enabled =
    process.env.BILLING_WORKER === "on" || (process.env.BILLING_WORKER !== "off" && !process.env.VITEST);
  if (enabled) {
    app.addHook("onReady", async () => {
      worker = await startWebhookWorker(deps, {
        concurrency: Number(process.env.WEBHOOK_WORKER_CONCURRENCY ?? 4),
      });
    });
  }
  app.addHook("onClose", async () => {
    await worker?.stop();
    await stopJobs(deps.db);
  });

  app.get(
    "/webhook-endpoints",
    {
      schema: {
        tags,
        summary: "List webhook endpoints (never their secrets), oldest first",
        response: { 200: z.object({ data: z.array(endpointSchema) }), ...errors },
      },
    },
    async (request) => listWebhookEndpoints(deps, request.tenantId),
  );

  app.post(
    "/webhook-endpoints",
    {
      schema: {
        tags,
        summary: "Create a webhook endpoint; its signing secret is shown in this response only",
        description:
          "A URL whose host resolves to a private, link-local or loopback address is refused (400 at `$.url`) " +
          "unless the server allows it (`WEBHOOK_ALLOW_PRIVATE`).",
        body: createEndpointBody,
        response: { 201: endpointWithSecretSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createWebhookEndpoint(deps, request.caller, request.body)),
  );

  app.get(
    "/webhook-endpoints/:id",
    {
      schema: {
        tags,
        summary: "Get a webhook endpoint",
        params: idParams,
        response: { 200: endpointSchema, ...errors },
      },
    },
    async (request) => getWebhookEndpoint(deps, request.tenantId, request.params.id),
  );

  app.patch(
    "/webhook-endpoints/:id",
    {
      schema: {
        tags,
        summary: "Change a webhook endpoint's URL, description, event types, or enable/disable it",
        description: "A disabled endpoint gets no deliveries; attempts still queued for it are canceled.",
        params: idParams,
        body: updateEndpointBody,
        response: { 200: endpointSchema, ...errors },
      },
    },
    async (request) => updateWebhookEndpoint(deps, request.caller, request.params.id, request.body),
  );

  app.delete(
    "/webhook-endpoints/:id",
    {
      schema: {
        tags,
        summary: "Delete a webhook endpoint and its delivery log",
        params: idParams,
        response: { 200: endpointSchema, ...errors },
      },
    },
    async (request) => deleteWebhookEndpoint(deps, request.caller, request.params.id),
  );

  app.post(
    "/webhook-endpoints/:id/rotate-secret",
    {
      schema: {
        tags,
        summary: "Rotate the signing secret (the new one is shown in this response only)",
        description:
          "For `overlapHours` (default 24) deliveries carry two `v1` signatures, with the new and the old secret.",
        params: idParams,
        body: rotateSecretBody,
        response: { 200: endpointWithSecretSchema, ...errors },
      },
    },
    async (request) =>
      rotateWebhookSecret(deps, request.caller, request.params.id, request.body?.overlapHours ?? 24),
  );

  app.post(
    "/webhook-endpoints/:id/test",
    {
      schema: {
        tags,
        summary: "Send a `webhook.test` event to this endpoint",
        params: idParams,
        response: { 202: deliveryWithEventSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await sendTestEvent(deps, request.tenantId, request.params.id)),
  );

  app.get(
    "/webhook-endpoints/:id/deliveries",
    {
      schema: {
        tags,
        summary: "The endpoint's delivery log, newest first, with every attempt",
        params: idParams,
        querystring: z.object(paginationQuery),
        response: { 200: pageSchema(deliverySchema), ...errors },
      },
    },
    async (request) => pageOfDeliveries(deps, request.tenantId, request.params.id, request.query),
  );

  app.get(
    "/webhook-endpoints/:id/deliveries/:deliveryId",
    {
      schema: {
        tags,
        summary: "One delivery, its attempts and the event sent",
        params: deliveryParams,
        response: { 200: deliveryWithEventSchema, ...errors },
      },
    },
    async (request) => getDelivery(deps, request.tenantId, request.params.id, request.params.deliveryId),
  );

  app.post(
    "/webhook-endpoints/:id/deliveries/:deliveryId/resend",
    {
      schema: {
        tags,
        summary: "Send a delivery again now (same delivery id and body)",
        params: deliveryParams,
        response: { 202: deliveryWithEventSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await resendDelivery(deps, request.tenantId, request.params.id, request.params.deliveryId)),
  );
};
