import {
  createCreditNoteBody,
  errorBodySchema,
  idParams,
  invoiceDetailSchema,
  invoiceSchema,
  listInvoicesQuery,
  pageSchema,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";

import { createCreditNote } from "./credit-notes.ts";

import { finalizeInvoice, getInvoice, pageOfInvoices, voidInvoice } from "./service.ts";

const tags = ["invoices"];
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  422: errorBodySchema,
};

/** Invoice reads and the rules that need no recomputation (refresh is billing's: it recomputes). */
export const invoiceRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/invoices",
    {
      schema: {
        tags,
        summary: "List invoices (newest first)",
        querystring: listInvoicesQuery,
        response: { 200: pageSchema(invoiceSchema), ...errors },
      },
    },
    async (request) => pageOfInvoices(deps, request.tenantId, request.query),
  );

  app.get(
    "/invoices/:id",
    {
      schema: {
        tags,
        summary: "Get an invoice with its lines, explanations and credit notes",
        params: idParams,
        response: { 200: invoiceDetailSchema, ...errors },
      },
    },
    async (request) => getInvoice(deps, request.tenantId, request.params.id),
  );

  app.post(
    "/invoices/:id/finalize",
    {
      schema: {
        tags,
        summary: "Finalize a draft: it gets the next invoice number and never changes again",
        params: idParams,
        response: { 200: invoiceDetailSchema, ...errors },
      },
    },
    async (request) => finalizeInvoice(deps, request.caller, request.params.id),
  );

  app.post(
    "/invoices/:id/void",
    {
      schema: {
        tags,
        summary: "Void a finalized invoice (its credit draws are given back)",
        params: idParams,
        response: { 200: invoiceDetailSchema, ...errors },
      },
    },
    async (request) => voidInvoice(deps, request.caller, request.params.id),
  );

  app.post(
    "/invoices/:id/credit-notes",
    {
      schema: {
        tags,
        summary: "Issue a credit note against a finalized invoice, by line or by amount",
        params: idParams,
        body: createCreditNoteBody,
        response: { 201: invoiceDetailSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCreditNote(deps, request.caller, request.params.id, request.body)),
  );
};
