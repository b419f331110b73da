import {
  createGrantBody,
  creditsSchema,
  errorBodySchema,
  grantSchema,
  idParams,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";
import { contractCredits, createGrant } from "./service.ts";

const tags = ["credits"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

export const creditRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post(
    "/contracts/:id/credit-grants",
    {
      schema: {
        tags,
        summary: "Grant credits to a contract's pool",
        params: idParams,
        body: createGrantBody,
        response: { 201: grantSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createGrant(deps, request.caller, request.params.id, request.body)),
  );

  app.get(
    "/contracts/:id/credits",
    {
      schema: {
        tags,
        summary: "Credit balances per pool, grants and the ledger of a contract",
        params: idParams,
        response: { 200: creditsSchema, ...errors },
      },
    },
    async (request) => contractCredits(deps, request.tenantId, request.params.id),
  );
};
