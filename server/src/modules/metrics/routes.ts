import {
  createMetricBody,
  errorBodySchema,
  metricKeyParams,
  metricSchema,
  pageSchema,
  paginationQuery,
  updateMetricBody,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { createMetric, getMetric, pageOfMetrics, patchMetric } from "./service.ts";

const tags = ["metrics"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export const metricRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post(
    "/metrics",
    {
      schema: {
        tags,
        summary: "Define a billable metric",
        description:
          "Aggregations: count, sum, min, max, uniqueCount, latest (by event timestamp). A missing numeric property counts as 0; " +
          "events whose property is not numeric are refused at ingestion for sum, min, max and latest.",
        body: createMetricBody,
        response: { 201: metricSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createMetric(deps, request.caller, request.body)),
  );

  app.get(
    "/metrics",
    {
      schema: {
        tags,
        summary: "List metrics (by key)",
        querystring: z.object(paginationQuery),
        response: { 200: pageSchema(metricSchema), ...errors },
      },
    },
    async (request) => pageOfMetrics(deps, request.tenantId, request.query),
  );

  app.get(
    "/metrics/:key",
    {
      schema: {
        tags,
        summary: "Get a metric",
        params: metricKeyParams,
        response: { 200: metricSchema, ...errors },
      },
    },
    async (request) => getMetric(deps, request.tenantId, request.params.key),
  );

  app.patch(
    "/metrics/:key",
    {
      schema: {
        tags,
        summary: "Update a metric",
        params: metricKeyParams,
        body: updateMetricBody,
        response: { 200: metricSchema, ...errors },
      },
    },
    async (request) => patchMetric(deps, request.caller, request.params.key, request.body),
  );
};
