import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { errorBodySchema } from "../../http/error-handler.ts";
import { dateTime, idParams } from "../../http/schemas.ts";
import { timestampSchema } from "../events/schemas.ts";
import { customerDailyUsage, customerUsage, MAX_DAYS } from "./service.ts";

const usageSchema = z
  .object({
    from: dateTime,
    to: dateTime,
    metrics: z.array(
      z.object({
        key: z.string(),
        value: z.string().describe("decimal"),
        groups: z.array(z.object({ group: z.record(z.string(), z.string()), value: z.string() })).optional(),
      }),
    ),
  })
  .meta({ id: "CustomerUsage" });

const dailyUsageSchema = z
  .object({
    from: dateTime,
    to: dateTime,
    timezone: z.string().describe("the customer's IANA time zone, whose calendar days these are"),
    days: z.array(
      z.object({
        date: z.string().describe("YYYY-MM-DD in the customer's time zone"),
        metrics: z.array(z.object({ key: z.string(), value: z.string().describe("decimal") })),
      }),
    ),
  })
  .meta({ id: "CustomerDailyUsage" });

export const usageRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/customers/:id/usage",
    {
      schema: {
        tags: ["customers", "usage"],
        summary: "A customer's usage of every metric over [from, to)",
        description: "Defaults: `from` the start of the current UTC month, `to` the start of the next.",
        params: idParams,
        querystring: z.object({ from: timestampSchema.optional(), to: timestampSchema.optional() }),
        response: { 200: usageSchema, 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema },
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
        querystring: z.object({ from: timestampSchema, to: timestampSchema }),
        response: { 200: dailyUsageSchema, 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => customerDailyUsage(deps, request.tenantId, request.params.id, request.query),
  );
};
