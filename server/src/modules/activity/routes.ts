import { activityQuery, activitySchema, errorBodySchema, idParams, pageSchema } from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Deps } from "../../context.ts";
import { getActivity, pageOfActivity } from "./service.ts";

const tags = ["activity"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

export const activityRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/activity",
    {
      schema: {
        tags,
        summary: "List the activity log (newest first)",
        description:
          "One immutable record per state change, written in the same transaction as the change. Filter by type, " +
          "object, actor and time; page with `cursor`.",
        querystring: activityQuery,
        response: { 200: pageSchema(activitySchema), ...errors },
      },
    },
    async (request) => pageOfActivity(deps, request.tenantId, request.query),
  );

  app.get(
    "/activity/:id",
    {
      schema: {
        tags,
        summary: "Get one activity record",
        params: idParams,
        response: { 200: activitySchema, ...errors },
      },
    },
    async (request) => getActivity(deps, request.tenantId, request.params.id),
  );
};
