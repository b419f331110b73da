import {
  isCurrency,
  PLAN_FORMAT,
  type PlanDocument,
  planEdgeSchema,
  planNodeSchema,
  planParamSchema,
} from "@pricegraph/shared";
import type { z } from "zod";
import { collectFields, type DecimalField, materialize } from "./fields.ts";
import type { AnyNodeKind, PortLayout } from "./types.ts";

/** What compile learns from one node's checked data; it depends on nothing but the data. */
export interface NodeDataFacts {
  /** The data's decimal fields, with their paths. */
  fields: { field: DecimalField; path: PropertyKey[] }[];
  hasParams: boolean;
  layout: PortLayout;
  /** The data with its literals as Decimals, made on first use (only when it references no parameter). */
  staticData: unknown;
}

interface CheckedData {
  schema: unknown;
  result: z.ZodSafeParseResult<unknown>;
  facts: NodeDataFacts | null;
}

/**
 * What `compile` checked before, by the identity of the caller's objects: node data against its type's
 * schema (and what follows from it: fields, ports, materialized literals), and each node, edge and parameter
 * against the document's schema. An editor that never changes these objects in place (it replaces them)
 * passes one to `compile`, so an edit re-checks only what it replaced. Never share one with code that
 * mutates documents.
 */
export interface CompileCache {
  readonly data: WeakMap<object, CheckedData>;
  readonly nodes: WeakMap<object, z.ZodSafeParseResult<PlanDocument["nodes"][number]>>;
  readonly edges: WeakMap<object, z.ZodSafeParseResult<PlanDocument["edges"][number]>>;
  readonly params: WeakMap<object, z.ZodSafeParseResult<PlanDocument["params"][number]>>;
}

export function createCompileCache(): CompileCache {
  return { data: new WeakMap(), nodes: new WeakMap(), edges: new WeakMap(), params: new WeakMap() };
}

/** A node's data checked against its kind's schema, from the cache when the same object was checked before. */
export function checkNodeData(
  kind: AnyNodeKind,
  data: unknown,
  original: unknown,
  cache?: CompileCache,
): { result: z.ZodSafeParseResult<unknown>; facts: NodeDataFacts | null } {
  if (!cache || typeof original !== "object" || original === null)
    return { result: kind.schema.safeParse(data), facts: null };
  const hit = cache.data.get(original);
  if (hit && hit.schema === kind.schema) return hit;
  const result = kind.schema.safeParse(data);
  let facts: NodeDataFacts | null = null;
  if (result.success) {
    const fields = collectFields(result.data);
    facts = {
      fields,
      hasParams: fields.some(({ field }) => field.param !== null),
      layout: kind.ports(result.data),
      staticData: undefined,
    };
  }
  const checked = { schema: kind.schema, result, facts };
  cache.data.set(original, checked);
  return checked;
}

/** The materialized data of a node without parameters, made once per data object. */
export function cachedStaticData(facts: NodeDataFacts, data: unknown): unknown {
  if (facts.staticData === undefined) facts.staticData = materialize(data, new Map());
  return facts.staticData;
}

const DOCUMENT_KEYS = new Set(["format", "currency", "params", "nodes", "edges"]);

function checkedItems<T>(
  items: unknown,
  schema: z.ZodType<T>,
  seen: WeakMap<object, z.ZodSafeParseResult<T>>,
): T[] | null {
  if (!Array.isArray(items)) return null;
  const out: T[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (typeof item !== "object" || item === null) return null;
    let result = seen.get(item);
    if (!result) {
      result = schema.safeParse(item);
      seen.set(item, result);
    }
    if (!result.success) return null;
    out[i] = result.data;
  }
  return out;
}

/**
 * The document as `planDocumentSchema` parses it, built from the checks of its nodes, edges and parameters
 * cached by object: the envelope is checked here by hand, each item by its own schema, as the document
 * schema does it item by item. Null whenever anything fails or looks unusual: compile then parses the whole
 * document with the schema, so problems are reported exactly as without a cache.
 */
export function cachedDocument(document: unknown, cache: CompileCache): PlanDocument | null {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return null;
  const proto = Object.getPrototypeOf(document);
  if (proto !== Object.prototype && proto !== null) return null;
  const raw = document as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!DOCUMENT_KEYS.has(key)) return null;
  if (raw.format !== PLAN_FORMAT) return null;
  if (typeof raw.currency !== "string" || !isCurrency(raw.currency)) return null;
  const params = raw.params === undefined ? [] : checkedItems(raw.params, planParamSchema, cache.params);
  const nodes = checkedItems(raw.nodes, planNodeSchema, cache.nodes);
  const edges = raw.edges === undefined ? [] : checkedItems(raw.edges, planEdgeSchema, cache.edges);
  if (!params || !nodes || !edges) return null;
  return { format: PLAN_FORMAT, currency: raw.currency, params, nodes, edges };
}
