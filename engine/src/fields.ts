import { decimalString, type ParamType } from "@pricegraph/shared";
import { z } from "zod";
import { Decimal } from "./decimal.ts";

/**
 * A decimal field of a node's data: a literal, or `{ "param": "key" }` that a contract may override.
 * Parsing yields a `DecimalField`; `materialize` later swaps every field for the Decimal to use.
 */
export class DecimalField {
  constructor(
    readonly kind: ParamType | "any",
    readonly literal: Decimal | null,
    readonly param: string | null,
  ) {}
}

const paramRef = z.object({ param: z.string().min(1) }).strict();

function field(kind: ParamType | "any") {
  return z
    .union([decimalString, paramRef])
    .transform((value) =>
      typeof value === "string"
        ? new DecimalField(kind, new Decimal(value), null)
        : new DecimalField(kind, null, value.param),
    )
    .meta({ description: `decimal string or { "param": key } (${kind})` });
}

/** A money amount in the plan's currency. */
export const money = () => field("money");
/** A count of units, a rate or a percentage. */
export const quantity = () => field("quantity");
/** A threshold compared against either type. */
export const anyDecimal = () => field("any");

/** The data shape after parameters are substituted: every DecimalField becomes a Decimal. */
export type Materialized<T> = T extends DecimalField
  ? Decimal
  : T extends readonly (infer U)[]
    ? Materialized<U>[]
    : T extends object
      ? { [K in keyof T]: Materialized<T[K]> }
      : T;

/** Every decimal field in parsed data, with its JSON path segments. */
export function collectFields(
  value: unknown,
  path: PropertyKey[] = [],
  out: { field: DecimalField; path: PropertyKey[] }[] = [],
) {
  // `path` is a stack, copied only for a field found: compile walks every node's data.
  if (value instanceof DecimalField) out.push({ field: value, path: [...path] });
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      collectFields(value[i], path, out);
      path.pop();
    }
  } else if (value && typeof value === "object") {
    for (const key of Object.keys(value)) {
      path.push(key);
      collectFields((value as Record<string, unknown>)[key], path, out);
      path.pop();
    }
  }
  return out;
}

export function materialize<T>(value: T, params: ReadonlyMap<string, Decimal>): Materialized<T> {
  if (value instanceof DecimalField) {
    return (value.literal ?? params.get(value.param!)!) as Materialized<T>;
  }
  if (Array.isArray(value)) return value.map((item) => materialize(item, params)) as Materialized<T>;
  if (value && typeof value === "object" && !(value instanceof Decimal)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = materialize(item, params);
    return out as Materialized<T>;
  }
  return value as Materialized<T>;
}
