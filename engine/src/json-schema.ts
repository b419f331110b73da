import { DECIMAL_PATTERN, PLAN_FORMAT, planDocumentSchema } from "@pricegraph/shared";
import { z } from "zod";
import { nodeKinds } from "./registry.ts";

// The JSON Schema of a pricegraph/v1 plan file, generated from the zod schemas the engine checks plans with:
// the document envelope from @pricegraph/shared and each node kind's `data` from the registry. Editors use it
// to complete and check plan files; `shared/schema/pricing-graph.v1.json` is this output, committed.

export type JsonSchema = { [key: string]: unknown };

const FIELD_DESCRIPTION = /^decimal string or \{ "param": key \} \((\w+)\)$/;

const definitions: JsonSchema = {
  decimal: {
    type: "string",
    pattern: DECIMAL_PATTERN.source,
    description:
      'A decimal as a string: digits with an optional fraction, never an exponent ("12.50", "-3", "0.004"). ' +
      "The engine also accepts a JSON number and converts it from its shortest text; files keep strings.",
  },
  paramRef: {
    type: "object",
    properties: { param: { type: "string", minLength: 1 } },
    required: ["param"],
    additionalProperties: false,
    description: "A reference to a parameter declared in `params`, which a contract may override.",
  },
  decimalOrParam: {
    anyOf: [{ $ref: "#/$defs/decimal" }, { $ref: "#/$defs/paramRef" }],
  },
};

/** Replaces zod's inline spelling of a decimal and of a decimal-or-parameter field by references. */
function useDefinitions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(useDefinitions);
  if (!value || typeof value !== "object") return value;
  const schema = value as JsonSchema;
  if (schema.pattern === DECIMAL_PATTERN.source) return { $ref: "#/$defs/decimal" };
  const field = typeof schema.description === "string" && FIELD_DESCRIPTION.exec(schema.description);
  if (field) {
    return { $ref: "#/$defs/decimalOrParam", description: `a ${field[1]} decimal, or a parameter reference` };
  }
  const out: JsonSchema = {};
  for (const [key, inner] of Object.entries(schema)) {
    if (key !== "$schema") out[key] = useDefinitions(inner);
  }
  return out;
}

const toJsonSchema = (schema: z.ZodType) =>
  useDefinitions(z.toJSONSchema(schema, { io: "input" })) as JsonSchema;

/** The JSON Schema (draft 2020-12) of a pricegraph/v1 plan document, with every node kind's `data`. */
export function planDocumentJsonSchema(): JsonSchema {
  const document = toJsonSchema(planDocumentSchema);
  const properties = document.properties as Record<string, JsonSchema>;
  properties.currency = {
    ...properties.currency,
    pattern: "^[A-Z]{3}$",
    description: "an active ISO 4217 currency code; its minor unit sets the rounding of invoice amounts",
  };
  const node = (properties.nodes.items as JsonSchema) ?? {};
  const nodeProperties = node.properties as Record<string, JsonSchema>;
  nodeProperties.type = { type: "string", enum: nodeKinds.map((kind) => kind.type) };
  node.allOf = nodeKinds.map((kind) => ({
    if: { properties: { type: { const: kind.type } }, required: ["type"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
    then: { properties: { data: { description: kind.description, ...toJsonSchema(kind.schema) } } },
  }));
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `Pricegraph plan document (${PLAN_FORMAT})`,
    description:
      "A price as a graph: nodes compute values, edges carry them from an output port to an input port. " +
      "The format is described in docs/plan-format.md.",
    ...document,
    $defs: definitions,
  };
}
