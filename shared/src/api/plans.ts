import { z } from "zod";
import { evaluationInputSchema, type PlanDocument, planDocumentSchema } from "../plan-document.ts";
import { currencySchema, dateTime, optionalText, text } from "./common.ts";

/** A plan document as the API answers it (the request side is checked by the shared `planDocumentSchema`). */
export const planDocumentOut = z
  .looseObject({
    format: z.string(),
    currency: z.string(),
    params: z.array(z.looseObject({ key: z.string(), type: z.string(), default: z.string() })),
    nodes: z.array(z.looseObject({ id: z.string(), type: z.string() })),
    edges: z.array(z.looseObject({ id: z.string() })),
  })
  .meta({ id: "PlanDocument", description: "pricegraph/v1 plan document (see docs/plan-format.md)" });

export const planSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    draft: planDocumentOut,
    createdAt: dateTime,
    updatedAt: dateTime,
    latestVersion: z.number().int().nullable(),
    archivedAt: dateTime.nullable().describe("when the plan was archived; null while it is in use"),
  })
  .meta({ id: "Plan" });
/** `planDocumentOut` only sketches the document for OpenAPI; the value answered is the stored plan document. */
export type Plan = Omit<z.infer<typeof planSchema>, "draft"> & { draft: PlanDocument };

export const versionSchema = z
  .object({ planId: z.string(), version: z.number().int(), document: planDocumentOut, publishedAt: dateTime })
  .meta({ id: "PlanVersion" });
export type PlanVersion = Omit<z.infer<typeof versionSchema>, "document"> & { document: PlanDocument };

export const problemSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    severity: z.enum(["error", "warning"]).optional(),
    nodeId: z.string().optional(),
    edgeId: z.string().optional(),
    path: z.string().optional(),
    nodeIds: z.array(z.string()).optional(),
  })
  .meta({ id: "Problem" });

export const createPlanBody = z.strictObject({
  name: text(200),
  description: optionalText(2000).nullish(),
  currency: currencySchema.optional().describe("currency of the empty draft when no document is given"),
  document: planDocumentSchema.optional(),
});
export type CreatePlan = z.infer<typeof createPlanBody>;
export type CreatePlanRequest = z.input<typeof createPlanBody>;

export const updatePlanBody = z.strictObject({
  name: text(200).optional(),
  description: optionalText(2000).nullish(),
});
export type UpdatePlan = z.infer<typeof updatePlanBody>;
export type UpdatePlanRequest = z.input<typeof updatePlanBody>;

export const saveDraftBody = z.strictObject({ document: planDocumentSchema });

export const saveDraftResult = z.object({ plan: planSchema, problems: z.array(problemSchema) });
export type SaveDraftResult = { plan: Plan; problems: z.infer<typeof problemSchema>[] };

export const publishBody = z.strictObject({}).optional();

export const versionParams = z.object({
  id: text(100),
  version: z.coerce.number().int().min(1).max(1_000_000),
});

export const previewBody = z.strictObject({
  version: z.number().int().min(1).optional().describe("a published version; the draft when absent"),
  input: evaluationInputSchema.default({ usage: {}, params: {}, credits: {}, proration: "1" }),
});

/** One invoice line of the engine's evaluation output. */
export const evaluationLineSchema = z.object({
  nodeId: z.string(),
  description: z.string(),
  product: z.string().nullable(),
  timing: z.enum(["arrears", "advance"]),
  quantity: z.string().nullable(),
  amount: z.string(),
  unrounded: z.string(),
  explanation: z.array(z.unknown()).describe("from the line back through every contributing node"),
});

/** The engine's evaluation output (spec section 5). */
export const evaluationOutputSchema = z
  .object({
    currency: z.string(),
    lines: z.array(evaluationLineSchema),
    total: z.string(),
    credits: z.record(z.string(), z.object({ opening: z.string(), used: z.string(), closing: z.string() })),
    values: z.record(z.string(), z.unknown()),
    warnings: z.array(problemSchema),
  })
  .meta({ id: "EvaluationOutput" });
