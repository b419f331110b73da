import {
  archivedQuery,
  createCustomerBody,
  customerSchema,
  errorBodySchema,
  idParams,
  importResultSchema,
  listCustomersQuery,
  pageSchema,
  paginationQuery,
  updateCustomerBody,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { requireCsvBody } from "../../http/csv.ts";
import {
  createCustomer,
  getCustomer,
  importCustomersCsv,
  pageOfCustomers,
  patchCustomer,
  setCustomerArchived,
} from "./service.ts";

const tags = ["customers"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const customerRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post(
    "/customers",
    {
      schema: {
        tags,
        summary: "Create a customer",
        body: createCustomerBody,
        response: { 201: customerSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createCustomer(deps, request.caller, request.body)),
  );

  app.get(
    "/customers",
    {
      schema: {
        tags,
        summary: "List customers (newest first)",
        description:
          "Archived customers are left out unless `archived` asks for them or `externalId` names one.",
        querystring: z.object({ ...paginationQuery, ...listCustomersQuery, ...archivedQuery }),
        response: { 200: pageSchema(customerSchema), ...errors },
      },
    },
    async (request) => pageOfCustomers(deps, request.tenantId, request.query),
  );

  app.get(
    "/customers/:id",
    {
      schema: {
        tags,
        summary: "Get a customer",
        params: idParams,
        response: { 200: customerSchema, ...errors },
      },
    },
    async (request) => getCustomer(deps, request.tenantId, request.params.id),
  );

  app.patch(
    "/customers/:id",
    {
      schema: {
        tags,
        summary: "Update a customer",
        params: idParams,
        body: updateCustomerBody,
        response: { 200: customerSchema, ...errors },
      },
    },
    async (request) => patchCustomer(deps, request.caller, request.params.id, request.body),
  );

  app.post(
    "/customers/:id/archive",
    {
      schema: {
        tags,
        summary: "Archive a customer",
        description:
          "Hides the customer from listings (and the app's pickers); contracts, usage and invoices are kept and " +
          "running contracts keep billing. Archiving an archived customer answers it unchanged.",
        params: idParams,
        response: { 200: customerSchema, ...errors },
      },
    },
    async (request) => setCustomerArchived(deps, request.caller, request.params.id, true),
  );

  app.post(
    "/customers/:id/unarchive",
    {
      schema: {
        tags,
        summary: "Bring an archived customer back",
        params: idParams,
        response: { 200: customerSchema, ...errors },
      },
    },
    async (request) => setCustomerArchived(deps, request.caller, request.params.id, false),
  );

  app.post(
    "/customers/csv",
    {
      schema: {
        tags,
        summary: "Import customers from CSV (all or nothing)",
        description:
          "`Content-Type: text/csv`. Header row with columns externalId (or external_id), name, email, timezone, currency. " +
          "Every invalid row is reported with its row number (the header is row 1) and column; nothing is stored then.",
        consumes: ["text/csv"],
        response: { 201: importResultSchema, ...errors, 415: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await importCustomersCsv(deps, request.caller, requireCsvBody(request.body))),
  );
};
