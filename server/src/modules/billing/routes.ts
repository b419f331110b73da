import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBodySchema } from "../../http/error-handler.ts";
import { idParams } from "../../http/schemas.ts";
import { invoiceDetailSchema } from "../invoices/schemas.ts";
import { billingSettings, updateBillingSettings } from "../invoices/settings.ts";
import { evaluationLineSchema } from "../plans/schemas.ts";
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

const usageReportSchema = z
  .object({
    contractId: z.string(),
    currency: z.string(),
    period: z.object({
      start: z.string(),
      end: z.string(),
      startDate: z.string(),
      endDate: z.string(),
      proration: z.string(),
      complete: z.boolean(),
      today: z.string(),
    }),
    metrics: z.array(z.object({ key: z.string(), groupBy: z.array(z.string()), value: z.unknown() })),
    freeUnits: z.array(
      z.object({
        nodeId: z.string(),
        label: z.string().nullable(),
        metric: z.string().nullable(),
        used: z.string(),
        free: z.string(),
        billable: z.string(),
        allowance: z.string().nullable(),
        remaining: z.string().nullable(),
      }),
    ),
    lines: z.array(
      evaluationLineSchema.pick({
        nodeId: true,
        description: true,
        product: true,
        timing: true,
        quantity: true,
        amount: true,
      }),
    ),
    total: z.string(),
  })
  .meta({ id: "UsageReport" });

const settingsSchema = z
  .object({
    gracePeriodHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 90),
  })
  .meta({ id: "BillingSettings" });

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
        querystring: z.object({
          periodStart: z
            .union([z.iso.date(), z.iso.datetime({ offset: true })])
            .optional()
            .describe("a date or instant within the period (default: the current period)"),
        }),
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
        response: { 200: settingsSchema, ...errors },
      },
    },
    async (request) => billingSettings(deps, request.tenantId),
  );

  app.put(
    "/billing/settings",
    {
      schema: {
        tags,
        summary: "Set the grace period (hours after a period ends before its draft invoice finalizes itself)",
        body: z.strictObject({
          gracePeriodHours: z
            .number()
            .int()
            .min(0)
            .max(24 * 90),
        }),
        response: { 200: settingsSchema, ...errors },
      },
    },
    async (request) => updateBillingSettings(deps, request.caller, request.body),
  );
};
