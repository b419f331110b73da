import {
  archivedQuery,
  createPlanBody,
  errorBodySchema,
  evaluationOutputSchema,
  idParams,
  pageSchema,
  paginationQuery,
  planSchema,
  previewBody,
  publishBody,
  saveDraftBody,
  saveDraftResult,
  updatePlanBody,
  versionParams,
  versionSchema,
} from "@pricegraph/shared/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Deps } from "../../context.ts";
import {
  createPlan,
  deletePlan,
  getPlan,
  getVersion,
  listVersions,
  pageOfPlans,
  patchPlan,
  preview,
  publish,
  saveDraft,
  setPlanArchived,
} from "./service.ts";

const tags = ["plans"];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

export const planRoutes: FastifyPluginAsyncZod<Deps> = async (app, deps) => {
  app.post(
    "/plans",
    {
      schema: {
        tags,
        summary: "Create a plan",
        description:
          "Without `document` the draft is an empty pricegraph/v1 document in `currency` (default USD).",
        body: createPlanBody,
        response: { 201: planSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createPlan(deps, request.caller, request.body)),
  );

  app.get(
    "/plans",
    {
      schema: {
        tags,
        summary: "List plans (newest first)",
        description: "Archived plans are left out unless `archived` asks for them.",
        querystring: z.object({ ...paginationQuery, ...archivedQuery }),
        response: { 200: pageSchema(planSchema), ...errors },
      },
    },
    async (request) => pageOfPlans(deps, request.tenantId, request.query),
  );

  app.get(
    "/plans/:id",
    {
      schema: {
        tags,
        summary: "Get a plan with its draft",
        params: idParams,
        response: { 200: planSchema, ...errors },
      },
    },
    async (request) => getPlan(deps, request.tenantId, request.params.id),
  );

  app.patch(
    "/plans/:id",
    {
      schema: {
        tags,
        summary: "Rename a plan",
        params: idParams,
        body: updatePlanBody,
        response: { 200: planSchema, ...errors },
      },
    },
    async (request) => patchPlan(deps, request.caller, request.params.id, request.body),
  );

  app.post(
    "/plans/:id/archive",
    {
      schema: {
        tags,
        summary: "Archive a plan",
        description:
          "Hides the plan from listings (and the app's pickers); versions, contracts and invoices are kept and " +
          "contracts on it keep billing. Archiving an archived plan answers it unchanged.",
        params: idParams,
        response: { 200: planSchema, ...errors },
      },
    },
    async (request) => setPlanArchived(deps, request.caller, request.params.id, true),
  );

  app.post(
    "/plans/:id/unarchive",
    {
      schema: {
        tags,
        summary: "Bring an archived plan back",
        params: idParams,
        response: { 200: planSchema, ...errors },
      },
    },
    async (request) => setPlanArchived(deps, request.caller, request.params.id, false),
  );

  app.delete(
    "/plans/:id",
    {
      schema: {
        tags,
        summary: "Delete a plan no contract has used (else 409 PLAN_HAS_CONTRACTS: archive it)",
        description:
          "Deletes the plan and its versions and answers the plan as it was. A plan any contract refers to, " +
          "active or ended, is refused with 409 PLAN_HAS_CONTRACTS; archive it instead.",
        params: idParams,
        response: { 200: planSchema, ...errors, 409: errorBodySchema },
      },
    },
    async (request) => deletePlan(deps, request.caller, request.params.id),
  );

  app.put(
    "/plans/:id/draft",
    {
      schema: {
        tags,
        summary: "Save the draft document",
        description:
          "Any document passing the envelope schema is saved; `problems` are the compiler's, for information.",
        params: idParams,
        body: saveDraftBody,
        response: { 200: saveDraftResult, ...errors },
      },
    },
    async (request) => saveDraft(deps, request.caller, request.params.id, request.body.document),
  );

  app.post(
    "/plans/:id/versions",
    {
      schema: {
        tags,
        summary: "Publish the draft as the next immutable version",
        description: "Runs the compiler; refuses with 422 PLAN_INVALID listing every problem.",
        params: idParams,
        body: publishBody,
        response: { 201: versionSchema, ...errors, 422: errorBodySchema },
      },
    },
    async (request, reply) => reply.code(201).send(await publish(deps, request.caller, request.params.id)),
  );

  app.get(
    "/plans/:id/versions",
    {
      schema: {
        tags,
        summary: "List published versions (newest first)",
        params: idParams,
        response: { 200: z.object({ data: z.array(versionSchema) }), ...errors },
      },
    },
    async (request) => listVersions(deps, request.tenantId, request.params.id),
  );

  app.get(
    "/plans/:id/versions/:version",
    {
      schema: {
        tags,
        summary: "Get a published version",
        params: versionParams,
        response: { 200: versionSchema, ...errors },
      },
    },
    async (request) => getVersion(deps, request.tenantId, request.params.id, request.params.version),
  );

  app.post(
    "/plans/:id/preview",
    {
      schema: {
        tags,
        summary: "Evaluate the draft or a version with given usage and parameters",
        description:
          "Answers the engine's output with explanations and every port's value, or 422 with the problems.",
        params: idParams,
        body: previewBody,
        response: { 200: evaluationOutputSchema, ...errors, 422: errorBodySchema },
      },
    },
    async (request) => preview(deps, request.tenantId, request.params.id, request.body),
  );
};
