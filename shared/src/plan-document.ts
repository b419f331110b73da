import { z } from "zod";
import { isCurrency } from "./currencies.ts";
import { decimalString } from "./decimal-string.ts";

export const PLAN_FORMAT = "pricegraph/v1";

export const valueTypes = ["quantity", "money", "grouped"] as const;
export type ValueType = (typeof valueTypes)[number];

export const paramTypes = ["money", "quantity"] as const;
export type ParamType = (typeof paramTypes)[number];

export const planParamSchema = z
  .object({
    key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier (letters, digits, _)"),
    label: z.string().optional(),
    type: z.enum(paramTypes),
    default: decimalString,
    description: z.string().optional(),
  })
  .strict();
export type PlanParam = z.infer<typeof planParamSchema>;

export const positionSchema = z.object({ x: z.number(), y: z.number() });

/** A node as React Flow shapes it; `data` is checked by the node type's own schema in the engine. */
export const planNodeSchema = z
  .object({
    id: z.string().min(1),
    type: z.string().min(1),
    position: positionSchema,
    data: z.record(z.string(), z.unknown()),
  })
  .passthrough();
export type PlanNode = z.infer<typeof planNodeSchema>;

export const planEdgeSchema = z
  .object({
    id: z.string().min(1),
    source: z.string().min(1),
    sourceHandle: z.string().min(1),
    target: z.string().min(1),
    targetHandle: z.string().min(1),
  })
  .passthrough();
export type PlanEdge = z.infer<typeof planEdgeSchema>;

export const planDocumentSchema = z
  .object({
    format: z.literal(PLAN_FORMAT),
    currency: z.string().refine(isCurrency, "must be an active ISO 4217 currency code"),
    params: z.array(planParamSchema).default([]),
    nodes: z.array(planNodeSchema),
    edges: z.array(planEdgeSchema).default([]),
  })
  .strict();
export type PlanDocument = z.infer<typeof planDocumentSchema>;
export type PlanDocumentInput = z.input<typeof planDocumentSchema>;

const groupedUsageSchema = z.array(
  z.object({ group: z.record(z.string(), z.string()), value: decimalString }).strict(),
);
export type GroupedUsage = z.infer<typeof groupedUsageSchema>;

/** What `evaluate` takes besides the plan (spec section 5). */
export const evaluationInputSchema = z
  .object({
    usage: z.record(z.string(), z.union([decimalString, groupedUsageSchema])).default({}),
    params: z.record(z.string(), decimalString).default({}),
    credits: z.record(z.string(), decimalString).default({}),
    proration: decimalString.default("1"),
  })
  .strict();
export type EvaluationInput = z.input<typeof evaluationInputSchema>;
export type ParsedEvaluationInput = z.infer<typeof evaluationInputSchema>;
