import { createQuoteBody, errorBodySchema, evaluationOutputSchema } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";
import { validationFailed } from "../../http/errors.ts";
import { overrideProblems, resolveVersion } from "../contracts/service.ts";
import { evaluateOrThrow } from "../plans/service.ts";

/** A price for a would-be contract: what the contract form shows while the user types overrides. */
export const quoteRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post(
    "/quotes",
    {
      schema: {
        tags: ["contracts"],
        summary: "Quote a published plan version with overrides and given usage",
        description:
          "Validates overrides exactly like contract creation, then answers the engine's evaluation output.",
        body: createQuoteBody,
        response: {
          200: evaluationOutputSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema,
          422: errorBodySchema,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const version = await resolveVersion(deps.db, request.tenantId, body.planId, body.planVersion);
      const problems = overrideProblems(version.document, body.paramOverrides);
      if (problems.length) throw validationFailed(problems);
      return evaluateOrThrow(
        version.document,
        { usage: body.usage, params: body.paramOverrides, credits: body.credits, proration: body.proration },
        { explain: true, values: false },
      );
    },
  );
};
