import {
  addOnInput,
  addOnSchema,
  amendContractBody,
  contractSchema,
  createContractBody,
  endContractBody,
  endContractResponse,
  errorBodySchema,
  idParams,
  listContractsQuery,
  pageSchema,
  paginationQuery,
  quoteSchema,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { BillingDeps } from "../billing/context.ts";
import { addAddOn } from "./add-ons.ts";
import { amendContract } from "./amendments.ts";
import { endContract } from "./ending.ts";
import { createContract, getContract, pageOfContracts, quoteContract } from "./service.ts";

const tags = ["contracts"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

export const contractRoutes: FastifyPluginAsyncZod<BillingDeps> = async (app, deps) => {
  app.post(
    "/contracts",
    {
      schema: {
        tags,
        summary: "Create a contract",
        description:
          "Customer + published plan version + start date (+ end) + billing period + parameter overrides (keys must be " +
          "declared by the plan) + credit grants (pools must be drawn by the plan's credits nodes).",
        body: createContractBody,
        response: { 201: contractSchema, ...errors, 422: errorBodySchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createContract(deps, request.caller, request.body)),
  );

  app.post(
    "/contracts/:id/add-ons",
    {
      schema: {
        tags,
        summary: "Add an add-on plan to a contract",
        description:
          "The add-on's lines go on the contract's invoice of each period it serves. It may not start in a period " +
          "whose invoice is already final (409 PERIOD_FINALIZED); a draft of that period takes it when refreshed.",
        params: idParams,
        body: addOnInput,
        response: { 201: addOnSchema, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addAddOn(deps, request.caller, request.params.id, request.body)),
  );

  app.get(
    "/contracts",
    {
      schema: {
        tags,
        summary: "List contracts (newest first)",
        querystring: z.object({ ...paginationQuery, ...listContractsQuery }),
        response: { 200: pageSchema(contractSchema), ...errors },
      },
    },
    async (request) => pageOfContracts(deps, request.tenantId, request.query),
  );

  app.get(
    "/contracts/:id",
    {
      schema: {
        tags,
        summary: "Get a contract",
        params: idParams,
        response: { 200: contractSchema, ...errors },
      },
    },
    async (request) => getContract(deps, request.tenantId, request.params.id),
  );

  app.get(
    "/contracts/:id/quote",
    {
      schema: {
        tags,
        summary: "Quote the current billing period's usage so far",
        description:
          "Periods are anchored on the start date in the customer's time zone. Credits are the grants not yet expired " +
          "(consumption by earlier invoices is billing's ledger). Answers the engine's output plus periodStart/periodEnd.",
        params: idParams,
        response: { 200: quoteSchema, ...errors, 422: errorBodySchema },
      },
    },
    async (request) => quoteContract(deps, request.tenantId, request.params.id),
  );

  app.post(
    "/contracts/:id/amendments",
    {
      schema: {
        tags,
        summary: "Amend a contract from a date",
        description:
          "Adds a phase from `effectiveDate` (the customer's local date): a published version of the contract's plan, " +
          "the whole set of parameter overrides and/or new credit grants; what is left out carries over from the " +
          "phase in effect. A period split by the change is priced per phase. 409 `PERIOD_FINALIZED` when the date " +
          "falls in a period a finalized invoice closed; a draft invoice is re-priced at once.",
        params: idParams,
        body: amendContractBody,
        response: { 200: contractSchema, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) => amendContract(deps, request.caller, request.params.id, request.body),
  );

  app.post(
    "/contracts/:id/end",
    {
      schema: {
        tags,
        summary: "End a contract on a date",
        description:
          "`endDate` is the last day served, the customer's local date. The last period is prorated through it; " +
          "drafts are re-priced; advance fees finalized invoices billed for days after the end come back as credit " +
          "notes. 409 `PERIOD_FINALIZED` when a finalized invoice already billed days after the end as served.",
        params: idParams,
        body: endContractBody,
        response: { 200: endContractResponse, ...errors, 409: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request) => endContract(deps, request.caller, request.params.id, request.body),
  );
};
