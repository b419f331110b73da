import {
  billingSettingsSchema,
  errorBodySchema,
  idParams,
  updateBillingSettingsBody,
  usageReportQuery,
  usageReportSchema,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";
import { gracePeriodHours, upsertGracePeriod } from "../invoices/queries.ts";
import { usageReport } from "./report.ts";

const tags = ["billing"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema };

export const billingRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
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
    async (request) => ({ gracePeriodHours: await gracePeriodHours(deps.db, request.tenantId) }),
  );

  app.put(
    "/billing/settings",
    {
      schema: {
        tags,
        summary: "Set the grace period (hours after a period ends before its draft invoice finalizes itself)",
        body: updateBillingSettingsBody,
        response: { 200: billingSettingsSchema, ...errors },
      },
    },
    async (request) => {
      await upsertGracePeriod(deps.db, request.tenantId, request.body.gracePeriodHours, deps.clock());
      return { gracePeriodHours: request.body.gracePeriodHours };
    },
  );
};
