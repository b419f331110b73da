import {
  alertSchema,
  createAlertBody,
  errorBodySchema,
  firingSchema,
  firingsQuery,
  idParams,
  pageSchema,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";

import { startAlertEvaluator } from "./evaluate.ts";

import { createAlert, getAlert, listTenantAlerts, pageOfFirings, removeAlert } from "./service.ts";

const tags = ["alerts"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

/**
 * Alerts and this process's evaluator, which follows the billing worker's switch (`BILLING_WORKER`; off under
 * vitest, where tests call `evaluateAlerts`).
 */
export const alertRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  const enabled =
    process.env.BILLING_WORKER === "on" || (process.env.BILLING_WORKER !== "off" && !process.env.VITEST);
  if (enabled) {
    let evaluator: { stop(): void } | null = null;
    app.addHook("onReady", async () => {
      evaluator = startAlertEvaluator(deps, Number(process.env.ALERT_EVALUATE_EVERY_MS ?? 5_000));
    });
    app.addHook("onClose", async () => evaluator?.stop());
  }

  app.get(
    "/alerts",
    {
      schema: {
        tags,
        summary: "List alerts",
        response: { 200: z.object({ data: z.array(alertSchema) }), ...errors },
      },
    },
    async (request) => listTenantAlerts(deps, request.tenantId),
  );

  app.post(
    "/alerts",
    {
      schema: {
        tags,
        summary:
          "Create an alert: thresholds on usage, spend so far, or credits left, per customer or for all",
        description:
          "Each threshold fires once per customer, contract and billing period, as an `alert.triggered` activity " +
          "record (so webhooks deliver it). Evaluated within seconds of usage arriving, outside ingestion.",
        body: createAlertBody,
        response: { 201: alertSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createAlert(deps, request.caller, request.body)),
  );

  app.get(
    "/alerts/:id",
    {
      schema: { tags, summary: "Get an alert", params: idParams, response: { 200: alertSchema, ...errors } },
    },
    async (request) => getAlert(deps, request.tenantId, request.params.id),
  );

  app.delete(
    "/alerts/:id",
    {
      schema: {
        tags,
        summary: "Delete an alert and its firings",
        params: idParams,
        response: { 200: alertSchema, ...errors },
      },
    },
    async (request) => removeAlert(deps, request.caller, request.params.id),
  );

  app.get(
    "/alert-firings",
    {
      schema: {
        tags,
        summary: "Fired alerts, newest first",
        querystring: firingsQuery,
        response: { 200: pageSchema(firingSchema), ...errors },
      },
    },
    async (request) => pageOfFirings(deps, request.tenantId, request.query),
  );
};
