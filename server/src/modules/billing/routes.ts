import {
  billingSettingsSchema,
  errorBodySchema,
  idParams,
  invoiceDetailSchema,
  updateBillingSettingsBody,
  usageReportQuery,
  usageReportSchema,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";

import { billingSettings, updateBillingSettings } from "../invoices/settings.ts";

import type { BillingDeps } from "./context.ts";
import { refreshInvoice } from "./drafts.ts";
import { usageReport } from "./report.ts";

const tags = ["billing"];
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  422: errorBodySchema,
};

/** Routes whose work is billing's own: reports, settings, and refreshing a draft (a recomputation). */
export const billingRoutes: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  app.post(
    "/invoices/:id/refresh",
    {
      schema: {
        tags: ["invoices"],
        summary: "Recompute a draft invoice with the usage known now",
        params: idParams,
        response: { 200: invoiceDetailSchema, ...errors },
      },
    },
    async (request) => refreshInvoice(deps, request.caller, request.params.id),
  );

  app.get(
    "/contracts/:id/usage-report",
    {
      schema: {
        tags,
        summary:
          "Usage per metric, free units used and remaining, and line totals for one period of a contract",
        params: idParams,
        querystring: usageReportQuery,
        response: { 200: usageReportSchema, ...errors },
      },
    },
    async (request) => usageReport(deps, request.tenantId, request.params.id, request.query),
  );

  app.get(
    "/billing/settings",
    {
      schema: {
        tags,
        summary: "The tenant's billing settings",
        response: { 200: billingSettingsSchema, ...errors },
      },
    },
    async (request) => billingSettings(deps, request.tenantId),
  );

  app.put(
    "/billing/settings",
    {
      schema: {
        tags,
        summary:
          "Set the grace period (hours after a period ends before its draft invoice finalizes itself) and the scheduled runs",
        body: updateBillingSettingsBody,
        response: { 200: billingSettingsSchema, ...errors },
      },
    },
    async (request) => updateBillingSettings(deps, request.caller, request.body),
  );
};
