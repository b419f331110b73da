import { errorBodySchema, idParams } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";

import {
  companyProfileSchema,
  createTaxRateBody,
  putCompanyProfileBody,
  taxRateSchema,
  updateTaxRateBody,
} from "./schemas.ts";
import {
  createTaxRate,
  getCompanyProfile,
  listTaxRates,
  patchTaxRate,
  putCompanyProfile,
} from "./service.ts";

const tags = ["settings"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

/** Who bills: the company profile printed on documents, payment terms and tax rates. */
export const companyRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/settings/company",
    {
      schema: {
        tags,
        summary: "The company profile printed on invoices, with the default payment terms and tax rate",
        response: { 200: companyProfileSchema, ...errors },
      },
    },
    async (request) => getCompanyProfile(deps.db, request.tenantId),
  );

  app.put(
    "/settings/company",
    {
      schema: {
        tags,
        summary:
          "Set the company profile (legal name, address, tax id, logo, footer, payment instructions, terms)",
        body: putCompanyProfileBody,
        response: { 200: companyProfileSchema, ...errors },
      },
    },
    async (request) => putCompanyProfile(deps, request.caller, request.body),
  );

  app.get(
    "/tax-rates",
    {
      schema: {
        tags,
        summary: "List tax rates",
        response: { 200: z.object({ data: z.array(taxRateSchema) }), ...errors },
      },
    },
    async (request) => listTaxRates(deps.db, request.tenantId),
  );

  app.post(
    "/tax-rates",
    {
      schema: {
        tags,
        summary: "Create a tax rate (name and percentage)",
        body: createTaxRateBody,
        response: { 201: taxRateSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createTaxRate(deps, request.caller, request.body)),
  );

  app.patch(
    "/tax-rates/:id",
    {
      schema: {
        tags,
        summary: "Rename or re-rate a tax rate (finalized invoices keep the tax they were given)",
        params: idParams,
        body: updateTaxRateBody,
        response: { 200: taxRateSchema, ...errors },
      },
    },
    async (request) => patchTaxRate(deps, request.caller, request.params.id, request.body),
  );
};
