import { errorBodySchema, idParams } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { requireCsvBody } from "../../http/csv.ts";

import { importPaymentsCsv } from "./csv-import.ts";
import {
  createPaymentBody,
  importResultSchema,
  listPaymentsQuery,
  paymentSchema,
  reversePaymentBody,
} from "./schemas.ts";
import { createPayment, getPayment, pageOfPayments, reversePayment } from "./service.ts";

const tags = ["payments"];
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
};

export const paymentRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post(
    "/payments",
    {
      schema: {
        tags,
        summary:
          "Record a payment: allocated to the named invoices or oldest due first; any excess becomes balance",
        body: createPaymentBody,
        response: { 201: paymentSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createPayment(deps, request.caller, request.body)),
  );

  app.post(
    "/payments/import",
    {
      schema: {
        tags,
        summary:
          "Import bank payments from CSV (invoice, amount, date[, currency, reference, method]); all or nothing",
        consumes: ["text/csv"],
        response: { 201: importResultSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await importPaymentsCsv(deps, request.caller, requireCsvBody(request.body))),
  );

  app.get(
    "/payments",
    {
      schema: {
        tags,
        summary: "List payments, latest received first",
        querystring: listPaymentsQuery,
        response: { 200: z.object({ data: z.array(paymentSchema) }), ...errors },
      },
    },
    async (request) => pageOfPayments(deps, request.tenantId, request.query),
  );

  app.get(
    "/payments/:id",
    {
      schema: {
        tags,
        summary: "Get a payment",
        params: idParams,
        response: { 200: paymentSchema, ...errors },
      },
    },
    async (request) => getPayment(deps, request.tenantId, request.params.id),
  );

  app.post(
    "/payments/:id/reverse",
    {
      schema: {
        tags,
        summary: "Reverse a payment: its allocations and balance are taken back (payments are never edited)",
        params: idParams,
        body: reversePaymentBody,
        response: { 200: paymentSchema, ...errors },
      },
    },
    async (request) => reversePayment(deps, request.caller, request.params.id, request.body.reason),
  );
};
