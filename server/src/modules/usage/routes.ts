import {
  customerDailyUsageQuery,
  customerDailyUsageSchema,
  customerUsageQuery,
  customerUsageSchema,
  errorBodySchema,
  idParams,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";
import { customerDailyUsage, customerUsage, MAX_DAYS } from "./service.ts";

export const usageRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/customers/:id/usage",
    {
      schema: {
        tags: ["customers", "usage"],
        summary: "A customer's usage of every metric over [from, to)",
        description: "Defaults: `from` the start of the current UTC month, `to` the start of the next.",
        params: idParams,
        querystring: customerUsageQuery,
        response: {
          200: customerUsageSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request) => customerUsage(deps, request.tenantId, request.params.id, request.query),
  );

  app.get(
    "/customers/:id/usage/daily",
    {
      schema: {
        tags: ["customers", "usage"],
        summary: "A customer's usage of every metric per day over [from, to)",
        description:
          "Days are the customer's calendar days (its time zone); each is aggregated on its own, before the " +
          `metric's rounding. At most ${MAX_DAYS} days.`,
        params: idParams,
        querystring: customerDailyUsageQuery,
        response: {
          200: customerDailyUsageSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request) => customerDailyUsage(deps, request.tenantId, request.params.id, request.query),
  );
};
