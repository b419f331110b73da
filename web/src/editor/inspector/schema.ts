import { nodeRegistry } from "@pricegraph/engine";
import type { ParamType } from "@pricegraph/shared";
import { z } from "zod";

/** The subset of JSON Schema that `z.toJSONSchema` produces for node data. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: (string | number)[];
  description?: string;
  minimum?: number;
  maximum?: number;
  additionalProperties?: JsonSchema | boolean;
}

export type FieldKind =
  | { kind: "decimal"; paramType: ParamType | "any"; nullable: boolean }
  | { kind: "string" }
  | { kind: "enum"; options: string[] }
  | { kind: "boolean" }
  | { kind: "integer"; min?: number; max?: number }
  | { kind: "stringList" }
  | { kind: "tiers"; columns: [string, JsonSchema][]; required: string[] }
  | { kind: "decimalGrid"; paramType: ParamType | "any" }
  | { kind: "objectList"; item: JsonSchema }
  | { kind: "record" }
  | { kind: "object"; schema: JsonSchema }
  | { kind: "json" };

const cache = new Map<string, JsonSchema>();

/** The JSON Schema of a node type's data (input side: decimal strings and `{ param }` references). */
export function dataSchema(type: string): JsonSchema | null {
  const hit = cache.get(type);
  if (hit) return hit;
  const kind = nodeRegistry.get(type);
  if (!kind) return null;
  const schema = z.toJSONSchema(kind.schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  cache.set(type, schema);
  return schema;
}

function decimalOf(schema: JsonSchema): { paramType: ParamType | "any" } | null {
  const isRef = schema.anyOf?.some((s) => s.type === "object" && s.properties?.param);
  if (!isRef) return null;
  const match = /\((money|quantity|any)\)/.exec(schema.description ?? "");
  return { paramType: (match?.[1] as ParamType | "any") ?? "any" };
}

/** How the inspector renders a field, read from its JSON Schema. */
export function fieldKind(schema: JsonSchema): FieldKind {
  const decimal = decimalOf(schema);
  if (decimal) return { kind: "decimal", paramType: decimal.paramType, nullable: false };
  if (schema.anyOf?.length === 2 && schema.anyOf.some((s) => s.type === "null")) {
    const inner = schema.anyOf.find((s) => s.type !== "null")!;
    const innerDecimal = decimalOf(inner);
    if (innerDecimal) return { kind: "decimal", paramType: innerDecimal.paramType, nullable: true };
  }
  if (schema.enum) return { kind: "enum", options: schema.enum.map(String) };
  if (schema.type === "string") return { kind: "string" };
  if (schema.type === "boolean") return { kind: "boolean" };
  if (schema.type === "integer") return { kind: "integer", min: schema.minimum, max: schema.maximum };
  if (schema.type === "array" && schema.items) {
    const item = schema.items;
    if (item.type === "string") return { kind: "stringList" };
    if (item.type === "object" && item.properties?.upTo) {
      return {
        kind: "tiers",
        columns: Object.entries(item.properties).filter(([key]) => key !== "upTo"),
        required: item.required ?? [],
      };
    }
    if (item.type === "array" && item.items && decimalOf(item.items)) {
      return { kind: "decimalGrid", paramType: decimalOf(item.items)!.paramType };
    }
    if (item.type === "object") return { kind: "objectList", item };
  }
  if (schema.type === "object" && schema.properties) return { kind: "object", schema };
  if (schema.type === "object" && schema.additionalProperties) return { kind: "record" };
  return { kind: "json" };
}

/** A starting value for a field the user adds (an optional field, a new list item). */
export function initialValue(schema: JsonSchema): unknown {
  const field = fieldKind(schema);
  switch (field.kind) {
    case "decimal":
      return "0";
    case "string":
      return "";
    case "enum":
      return field.options[0];
    case "boolean":
      return false;
    case "integer":
      return 0;
    case "stringList":
      return [];
    case "tiers":
      return [
        Object.fromEntries([
          ["upTo", null],
          ...field.columns
            .filter(([key]) => field.required.includes(key))
            .map(([key, s]) => [key, initialValue(s)]),
        ]),
      ];
    case "decimalGrid":
      return [];
    case "objectList":
      return [];
    case "record":
      return {};
    case "object":
      return Object.fromEntries(
        (field.schema.required ?? []).map((key) => [key, initialValue(field.schema.properties![key])]),
      );
    default:
      return null;
  }
}

/** "unitPrice" → "Unit price" */
export function fieldLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
