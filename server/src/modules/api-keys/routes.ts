import {
  apiKeySchema,
  createApiKeyBody,
  createdApiKeySchema,
  errorBodySchema,
  idParams,
  listApiKeysQuery,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { createKey, listKeys, revokeKey } from "./service.ts";

const tags = ["api keys"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const apiKeyRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.get(
    "/api-keys",
    {
      schema: {
        tags,
        summary: "List the tenant's API keys (never their secrets), oldest first",
        querystring: z.object(listApiKeysQuery),
        response: { 200: z.object({ data: z.array(apiKeySchema) }), ...errors },
      },
    },
    async (request) => listKeys(deps, request.tenantId, request.query.includeRevoked),
  );

  app.post(
    "/api-keys",
    {
      schema: {
        tags,
        summary: "Create an API key; the secret is shown in this response only",
        body: createApiKeyBody,
        response: { 201: createdApiKeySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createKey(deps, request.caller, request.role, request.body)),
  );

  app.delete(
    "/api-keys/:id",
    {
      schema: {
        tags,
        summary: "Revoke an API key (not the one this request uses: 409 API_KEY_IN_USE)",
        description:
          "A revoked key is refused with 401 from then on. Revoking a revoked key answers it unchanged.",
        params: idParams,
        response: { 200: apiKeySchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => revokeKey(deps, request.caller, request.params.id, request.apiKeyId),
  );
};
