import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { errorBodySchema } from "../../http/error-handler.ts";
import { dateTime, idParams } from "../../http/schemas.ts";
import { timestampSchema } from "../events/schemas.ts";
import { customerUsage } from "./service.ts";

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
};
