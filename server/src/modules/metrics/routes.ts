import {
  createMetricBody,
  errorBodySchema,
  metricKeyParams,
  metricPreviewBody,
  metricPreviewSchema,
  metricSchema,
  pageSchema,
  paginationQuery,
  updateMetricBody,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { previewMetric } from "./preview.ts";
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
          "Aggregations: count, sum, min, max, uniqueCount, latest (by event timestamp) and weightedSum (each event's " +
          "property changes a level; the value is the level's time-weighted average over the period, the level carried " +
          "from earlier periods). A missing numeric property counts as 0; an event whose property is not a number is " +
          "stored but counts for nothing for sum, min, max, latest and weightedSum, and is listed at GET /v1/usage/unmatched.",
        body: createMetricBody,
        response: { 201: metricSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createMetric(deps, request.caller, request.body)),
  );

  app.post(
    "/metrics/preview",
    {
      schema: {
        tags,
        summary: "Preview a metric definition over recent events",
        description:
          "Aggregates the definition (saved or not) over the last `days` days by the statement billing runs, per " +
          "external id: the 20 largest values, whether each names a customer, and how many events it reads. Stores nothing.",
        body: metricPreviewBody,
        response: { 200: metricPreviewSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request) => previewMetric(deps, request.tenantId, request.body),
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
