import { errorBodySchema, idParams } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";

import {
  agingQuery,
  agingSchema,
  customerBillingSchema,
  listReceivablesQuery,
  putCustomerBillingBody,
  receivableDetailSchema,
  receivableSchema,
} from "./schemas.ts";
import {
  getCustomerBilling,
  putCustomerBilling,
  receivableOfInvoice,
  receivablesAging,
  receivablesPage,
} from "./service.ts";

const tags = ["receivables"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const receivableRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/customers/:id/billing",
    {
      schema: {
        tags,
        summary: "A customer's billing address, e-mails, payment terms, tax treatment and balance",
        params: idParams,
        response: { 200: customerBillingSchema, ...errors },
      },
    },
    async (request) => getCustomerBilling(deps.db, request.tenantId, request.params.id),
  );

  app.put(
    "/customers/:id/billing",
    {
      schema: {
        tags,
        summary: "Set a customer's billing details (applies to invoices finalized from now on)",
        params: idParams,
        body: putCustomerBillingBody,
        response: { 200: customerBillingSchema, ...errors },
      },
    },
    async (request) => putCustomerBilling(deps, request.caller, request.params.id, request.body),
  );

  app.get(
    "/invoices/:id/receivable",
    {
      schema: {
        tags,
        summary:
          "A finalized invoice's tax lines, issue and due dates, payments, outstanding amount and status",
        params: idParams,
        response: { 200: receivableDetailSchema, ...errors },
      },
    },
    async (request) => receivableOfInvoice(deps, request.tenantId, request.params.id),
  );

  app.get(
    "/receivables/invoices",
    {
      schema: {
        tags,
        summary: "Finalized invoices with what is paid and outstanding, oldest due first",
        querystring: listReceivablesQuery,
        response: { 200: z.object({ data: z.array(receivableSchema) }), ...errors },
      },
    },
    async (request) =>
      receivablesPage(deps, request.tenantId, {
        customerId: request.query.customerId,
        currency: request.query.currency,
        paymentStatus: request.query.paymentStatus,
        openOnly: request.query.open === "true",
        limit: request.query.limit,
      }),
  );

  app.get(
    "/receivables/aging",
    {
      schema: {
        tags,
        summary: "Outstanding by days past due (current, 1–30, 31–60, 61–90, 90+) per customer and in total",
        querystring: agingQuery,
        response: { 200: agingSchema, ...errors },
      },
    },
    async (request) => receivablesAging(deps, request.tenantId, request.query.asOf),
  );
};
