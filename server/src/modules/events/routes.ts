import {
  errorBodySchema,
  eventSchema,
  fastParseIngestBody,
  ingestBody,
  ingestResultSchema,
  listEventsQuery,
  MAX_BATCH,
  pageSchema,
  paginationQuery,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import { requireCsvBody } from "../../http/csv.ts";
import { RequestValidationError } from "../../http/error-handler.ts";
import { ingestEvents, ingestEventsCsv, pageOfEvents } from "./service.ts";

const tags = ["events"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 413: errorBodySchema, 415: errorBodySchema };

export const eventRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post(
    "/events",
    {
      schema: {
        tags,
        summary: `Ingest up to ${MAX_BATCH} usage events`,
        description:
          "Idempotent on (tenant, id) forever: each event's status is `accepted` or `duplicate`. A batch with any invalid " +
          "event stores nothing and answers 400 listing every invalid event (index, field, reason). Timestamps more than " +
          "24 h in the future are invalid. The answer comes after the commit.",
        body: ingestBody,
        response: { 200: ingestResultSchema, ...errors },
      },
      // The hand-written check takes the common valid batch; zod runs only to explain a refusal.
      validatorCompiler: () => (data: unknown) => {
        const fast = fastParseIngestBody(data);
        if (fast) return { value: fast };
        const result = ingestBody.safeParse(data);
        if (result.success) return { value: result.data };
        return { error: new RequestValidationError("body", result.error) };
      },
    },
    async (request) => ingestEvents(deps, request.tenantId, request.body.events),
  );

  app.post(
    "/events/csv",
    {
      schema: {
        tags,
        summary: "Ingest usage events from CSV (streamed, all or nothing)",
        description:
          "`Content-Type: text/csv`. Columns id, customer, type, timestamp; an optional `properties` column with a JSON " +
          "object; every other column becomes a property. Errors name the row (the header is row 1) and the column.",
        consumes: ["text/csv"],
        response: { 200: ingestResultSchema, ...errors },
      },
    },
    async (request) => ingestEventsCsv(deps, request.tenantId, requireCsvBody(request.body)),
  );

  app.get(
    "/events",
    {
      schema: {
        tags,
        summary: "List events, most recent timestamp first",
        querystring: z.object({ ...paginationQuery, ...listEventsQuery }),
        response: { 200: pageSchema(eventSchema), ...errors },
      },
    },
    async (request) => pageOfEvents(deps, request.tenantId, request.query),
  );
};
