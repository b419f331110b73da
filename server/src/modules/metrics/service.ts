import type { CreateMetric, Metric, UpdateMetric } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import type { Aggregation } from "../../db/schema/index.ts";
import { conflict, type ErrorDetail, notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { recordActivity } from "../activity/service.ts";
import { insertMetric, listMetrics, type MetricRow, metricByKey, updateMetric } from "./queries.ts";

/**
 * Aggregations that read a numeric property: an event carrying something else there is stored but counts for
 * nothing, and is listed as unmatched usage (`nonNumericValue`).
 */
export const NUMERIC_AGGREGATIONS: ReadonlySet<Aggregation> = new Set([
  "sum",
  "min",
  "max",
  "latest",
  "weightedSum",
]);

export function toMetric(row: MetricRow): Metric {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    eventType: row.eventType,
    aggregation: row.aggregation,
    property: row.property,
    filters: row.filters,
    groupBy: row.groupBy,
    rounding: row.rounding ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function checkProperty(row: Pick<MetricRow, "aggregation" | "property">, at = "$"): void {
  const problems: ErrorDetail[] = [];
  if (row.aggregation === "count" && row.property) {
    problems.push({ path: `${at}.property`, message: "count takes no property" });
  }
  if (row.aggregation !== "count" && !row.property) {
    problems.push({ path: `${at}.property`, message: `${row.aggregation} needs the property to aggregate` });
  }
  if (problems.length) throw validationFailed(problems);
}

export async function createMetric(deps: Deps, caller: Caller, input: CreateMetric): Promise<Metric> {
  const now = deps.clock();
  const row: MetricRow = {
    tenantId: caller.tenantId,
    key: input.key,
    name: input.name ?? input.key,
    description: input.description ?? null,
    eventType: input.eventType,
    aggregation: input.aggregation,
    property: input.property ?? null,
    filters: input.filters,
    groupBy: input.groupBy,
    rounding: input.rounding ?? null,
    createdAt: now,
    updatedAt: now,
  };
  checkProperty(row);
  return deps.db.transaction(async (tx) => {
    const inserted = await insertMetric(tx as Db, row);
    if (!inserted)
      throw conflict(`A metric "${input.key}" already exists`, [
        { path: "$.key", message: "already exists" },
      ]);
    const metric = toMetric(inserted);
    await recordActivity(deps, tx as Db, caller, {
      type: "metric.created",
      objectId: metric.key,
      object: metric,
    });
    return metric;
  });
}

async function requireMetric(deps: Deps, tenantId: string, key: string): Promise<MetricRow> {
  const row = await metricByKey(deps.db, tenantId, key);
  if (!row) throw notFound("Metric", [{ path: "params.key", message: `no metric ${key}` }]);
  return row;
}

export async function getMetric(deps: Deps, tenantId: string, key: string): Promise<Metric> {
  return toMetric(await requireMetric(deps, tenantId, key));
}

export async function patchMetric(
  deps: Deps,
  caller: Caller,
  key: string,
  input: UpdateMetric,
): Promise<Metric> {
  const current = await requireMetric(deps, caller.tenantId, key);
  const next: MetricRow = { ...current, updatedAt: deps.clock() };
  if (input.name !== undefined) next.name = input.name;
  if (input.description !== undefined) next.description = input.description;
  if (input.eventType !== undefined) next.eventType = input.eventType;
  if (input.aggregation !== undefined) next.aggregation = input.aggregation;
  if (input.property !== undefined) next.property = input.property;
  if (input.filters !== undefined) next.filters = input.filters;
  if (input.groupBy !== undefined) next.groupBy = input.groupBy;
  if (input.rounding !== undefined) next.rounding = input.rounding;
  // Switching to count drops a property the client did not mention.
  if (next.aggregation === "count" && input.property === undefined) next.property = null;
  checkProperty(next);
  return deps.db.transaction(async (tx) => {
    const row = await updateMetric(tx as Db, next);
    if (!row) throw notFound("Metric", [{ path: "params.key", message: `no metric ${key}` }]);
    const metric = toMetric(row);
    await recordActivity(deps, tx as Db, caller, {
      type: "metric.updated",
      objectId: metric.key,
      object: metric,
    });
    return metric;
  });
}

export async function pageOfMetrics(deps: Deps, tenantId: string, query: { limit: number; cursor?: string }) {
  const after = decodeCursor(query.cursor, 1);
  const rows = await listMetrics(deps.db, tenantId, query.limit, after ? after[0] : null);
  return toPage(rows, query.limit, (row) => [row.key], toMetric);
}
