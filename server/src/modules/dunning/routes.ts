import { dateTime, errorBodySchema, idParams } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";

import { getCampaign, putCampaign, reminderHistory, requestPayment } from "./service.ts";

const tags = ["dunning"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

const campaignBody = z.strictObject({
  enabled: z.boolean(),
  overdueDays: z.number().int().min(0).max(365).describe("days past due before the first reminder"),
  intervalDays: z.number().int().min(1).max(365).describe("days between reminders"),
  maxAttempts: z.number().int().min(1).max(20).describe("reminders per invoice at most"),
});
const campaignSchema = campaignBody
  .extend({
    customerId: z.string().nullable(),
    inherited: z.boolean().describe("a customer without their own campaign follows the tenant's"),
  })
  .meta({ id: "DunningCampaign" });

const reminderSchema = z.object({
  invoiceId: z.string(),
  number: z.string(),
  customerId: z.string(),
  currency: z.string(),
  dueDate: z.string(),
  outstanding: z.string(),
  daysOverdue: z.number().int(),
  source: z.enum(["dunning", "manual"]),
  attempt: z.number().int(),
});

export const dunningRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/settings/dunning",
    {
      schema: {
        tags,
        summary: "The tenant's dunning campaign",
        response: { 200: campaignSchema, ...errors },
      },
    },
    async (request) => getCampaign(deps.db, request.tenantId),
  );

  app.put(
    "/settings/dunning",
    {
      schema: {
        tags,
        summary: "Set the tenant's dunning campaign (threshold, interval, attempts)",
        body: campaignBody,
        response: { 200: campaignSchema, ...errors },
      },
    },
    async (request) => putCampaign(deps, request.caller, request.body),
  );

  app.get(
    "/customers/:id/dunning",
    {
      schema: {
        tags,
        summary: "A customer's dunning campaign (own or the tenant's)",
        params: idParams,
        response: { 200: campaignSchema, ...errors },
      },
    },
    async (request) => getCampaign(deps.db, request.tenantId, request.params.id),
  );

  app.put(
    "/customers/:id/dunning",
    {
      schema: {
        tags,
        summary: "Give a customer their own campaign (`null` body field `campaign`: follow the tenant's)",
        params: idParams,
        body: z.strictObject({ campaign: campaignBody.nullable() }),
        response: { 200: campaignSchema, ...errors },
      },
    },
    async (request) => putCampaign(deps, request.caller, request.body.campaign, request.params.id),
  );

  app.post(
    "/invoices/:id/request-payment",
    {
      schema: {
        tags,
        summary: "Send the customer a payment reminder for this invoice now",
        params: idParams,
        response: { 201: reminderSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await requestPayment(deps, request.caller, request.params.id)),
  );

  app.get(
    "/invoices/:id/reminders",
    {
      schema: {
        tags,
        summary: "Payment reminders requested for an invoice",
        params: idParams,
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                source: z.enum(["dunning", "manual"]),
                attempt: z.number().int(),
                createdAt: dateTime,
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => reminderHistory(deps, request.tenantId, request.params.id),
  );
};
