import { errorBodySchema, unmatchedUsageQuery, unmatchedUsageSchema } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";
import { unmatchedUsage } from "./service.ts";

export const unmatchedUsageRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/usage/unmatched",
    {
      schema: {
        tags: ["usage"],
        summary: "Stored events that count for nothing today, per reason, customer and subject",
        description:
          "Reasons: `noMetric` (no metric reads the event's type), `unknownCustomer` (no customer has its external id), " +
          "`nonNumericValue` (a sum, min, max, latest or weightedSum metric reads a property that is not a number). " +
          "Computed from the metrics and customers that exist now: creating the metric or the customer makes the " +
          "events count and leaves this list. At most 400 days.",
        querystring: unmatchedUsageQuery,
        response: { 200: unmatchedUsageSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => unmatchedUsage(deps, request.tenantId, request.query),
  );
};
