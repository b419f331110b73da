import type { Readable } from "node:stream";
import { isDecimalValue } from "@pricegraph/shared";
import { type Event, type EventInput, eventInputSchema, type IngestResult } from "@pricegraph/shared/api";
import { and, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../context.ts";
import { type Db, sqlState } from "../../db/index.ts";
import { metrics } from "../../db/schema/index.ts";
import { canonicalHeader, csvDetail, csvRows } from "../../http/csv.ts";
import type { ErrorDetail } from "../../http/errors.ts";
import { validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { NUMERIC_AGGREGATIONS } from "../metrics/service.ts";
import { type EventRow, insertEvents, listEvents } from "./queries.ts";

const FUTURE_LIMIT_MS = 24 * 60 * 60 * 1000;
const MAX_CSV_EVENTS = 100_000;
const INSERT_CHUNK = 5_000;

/** Where a problem sits: `$.events[i].field` for JSON, row and column for CSV. */
type Locate = (index: number, field: string, message: string) => ErrorDetail;

const locateJson: Locate = (index, field, message) => ({
  path: `$.events[${index}]${field ? `.${field}` : ""}`,
  index,
  field,
  message,
});

/** event type → properties that must be numeric (read by a sum, min, max or latest metric), with the metric. */
async function numericProperties(
  db: Db,
  tenantId: string,
): Promise<Map<string, { property: string; metric: string }[]>> {
  const rows = await db
    .select({ eventType: metrics.eventType, property: metrics.property, key: metrics.key })
    .from(metrics)
    .where(and(eq(metrics.tenantId, tenantId), inArray(metrics.aggregation, [...NUMERIC_AGGREGATIONS])));
  const map = new Map<string, { property: string; metric: string }[]>();
  for (const row of rows) {
    if (!row.property) continue;
    const list = map.get(row.eventType) ?? [];
    list.push({ property: row.property, metric: row.key });
    map.set(row.eventType, list);
  }
  return map;
}

function isNumericValue(value: unknown): boolean {
  if (value === undefined || value === null) return true; // missing counts as 0
  return isDecimalValue(value);
}

/** Checks that need the clock or the tenant's metrics; schema-level checks already passed. */
async function semanticProblems(
  deps: Deps,
  tenantId: string,
  batch: EventInput[],
  locate: Locate,
): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  const latest = deps.clock().getTime() + FUTURE_LIMIT_MS;
  const numeric = await numericProperties(deps.db, tenantId);
  batch.forEach((event, index) => {
    if (Date.parse(event.timestamp) > latest) {
      problems.push(locate(index, "timestamp", "is more than 24 hours in the future"));
    }
    for (const { property, metric } of numeric.get(event.type) ?? []) {
      if (!isNumericValue(event.properties[property])) {
        problems.push(
          locate(
            index,
            `properties.${property}`,
            `must be a number or decimal string of at most 40 digits (metric "${metric}" aggregates it)`,
          ),
        );
      }
    }
    // jsonb cannot store NUL in strings; checked here so the event is named.
    if (JSON.stringify(event.properties).includes("\\u0000")) {
      problems.push(locate(index, "properties", "must not contain NUL characters"));
    }
  });
  return problems;
}

function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code === "40P01" || code === "40001";
}

/** Inserts every event in one transaction; the response is built only after the commit. */
async function store(deps: Deps, tenantId: string, batch: EventInput[]): Promise<IngestResult> {
  // Sorted by id: concurrent batches sharing ids then lock in one order and cannot deadlock.
  const sorted = [...batch].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const receivedAt = deps.clock();
  let inserted: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      inserted =
        sorted.length <= INSERT_CHUNK
          ? await insertEvents(deps.db, tenantId, sorted, receivedAt)
          : await deps.db.transaction(async (tx) => {
              const ids: string[] = [];
              for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
                ids.push(
                  ...(await insertEvents(tx as Db, tenantId, sorted.slice(i, i + INSERT_CHUNK), receivedAt)),
                );
              }
              return ids;
            });
      break;
    } catch (error) {
      if (attempt >= 3 || !isRetryable(error)) throw error;
    }
  }
  const fresh = new Set(inserted);
  let accepted = 0;
  const statuses = batch.map((event) => {
    // The first occurrence of an inserted id is the accepted one; repeats in the batch are duplicates.
    if (fresh.delete(event.id)) {
      accepted++;
      return { id: event.id, status: "accepted" as const };
    }
    return { id: event.id, status: "duplicate" as const };
  });
  return { accepted, duplicates: batch.length - accepted, events: statuses };
}

export async function ingestEvents(deps: Deps, tenantId: string, batch: EventInput[]): Promise<IngestResult> {
  const problems = await semanticProblems(deps, tenantId, batch, locateJson);
  if (problems.length)
    throw validationFailed(
      problems,
      `${new Set(problems.map((p) => p.index)).size} invalid events; nothing was stored`,
    );
  return store(deps, tenantId, batch);
}

const CORE_COLUMNS = new Map([
  ["id", "id"],
  ["eventid", "id"],
  ["customer", "customer"],
  ["customerid", "customer"],
  ["externalcustomerid", "customer"],
  ["type", "type"],
  ["timestamp", "timestamp"],
  ["properties", "properties"],
]);

/**
 * CSV with columns id, customer, type, timestamp, an optional `properties` column holding a JSON object, and any
 * other column as a property (empty cells are left out). Same rules as JSON; problems name row and column.
 */
export async function ingestEventsCsv(deps: Deps, tenantId: string, body: Readable): Promise<IngestResult> {
  const problems: ErrorDetail[] = [];
  const batch: EventInput[] = [];
  const rowOf: number[] = [];
  let header: string[] = [];
  let fields: (string | null)[] = [];
  for await (const { row, fields: cells } of csvRows(body)) {
    if (row === 1) {
      header = cells;
      fields = cells.map((name) => CORE_COLUMNS.get(canonicalHeader(name)) ?? null);
      for (const required of ["id", "customer", "type", "timestamp"]) {
        if (!fields.includes(required)) problems.push(csvDetail(1, required, "required column is missing"));
      }
      if (problems.length) break;
      continue;
    }
    if (batch.length + problems.length >= MAX_CSV_EVENTS) {
      problems.push(csvDetail(row, null, `at most ${MAX_CSV_EVENTS} events per CSV`));
      break;
    }
    const record: Record<string, unknown> = { properties: {} };
    const properties: Record<string, unknown> = {};
    let rowOk = true;
    cells.forEach((cell, i) => {
      const field = fields[i];
      if (i >= header.length) {
        if (cell !== "") {
          problems.push(csvDetail(row, null, `has ${cells.length} cells, the header ${header.length}`));
          rowOk = false;
        }
        return;
      }
      if (field === "properties") {
        if (cell === "") return;
        try {
          const parsed: unknown = JSON.parse(cell);
          if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
            throw new Error("not an object");
          Object.assign(properties, parsed);
        } catch {
          problems.push(csvDetail(row, header[i], "must be a JSON object"));
          rowOk = false;
        }
      } else if (field) {
        record[field] = cell;
      } else if (cell !== "") {
        properties[header[i]] = cell;
      }
    });
    record.properties = properties;
    const result = eventInputSchema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? "");
        const column =
          field === "properties" && issue.path.length > 1
            ? String(issue.path[1])
            : (header[fields.indexOf(field)] ?? field);
        problems.push(csvDetail(row, column || null, issue.message));
      }
    } else if (rowOk) {
      batch.push(result.data);
      rowOf.push(row);
    }
  }
  if (header.length === 0) problems.push(csvDetail(1, null, "the CSV is empty (expected a header row)"));
  if (batch.length === 0 && problems.length === 0) problems.push(csvDetail(2, null, "the CSV has no events"));
  const locateCsv: Locate = (index, field, message) => {
    const column =
      field.startsWith("properties.") && !header.includes(field) ? field.slice("properties.".length) : field;
    return csvDetail(rowOf[index], column, message);
  };
  problems.push(...(await semanticProblems(deps, tenantId, batch, locateCsv)));
  if (problems.length) {
    problems.sort((a, b) => Number(a.row) - Number(b.row));
    throw validationFailed(problems, "The CSV has invalid rows; nothing was stored");
  }
  return store(deps, tenantId, batch);
}

function toEvent(row: EventRow): Event {
  return {
    id: row.eventId,
    customer: row.customerExternalId,
    type: row.type,
    timestamp: row.timestamp.toISOString(),
    properties: row.properties,
    receivedAt: row.receivedAt.toISOString(),
  };
}

export async function pageOfEvents(
  deps: Deps,
  tenantId: string,
  query: { customer?: string; type?: string; limit: number; cursor?: string },
) {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  // A tampered cursor time fails the timestamptz cast: a data exception, answered as 400.
  const rows = await listEvents(deps.db, tenantId, { ...query, after });
  return toPage(rows, query.limit, (row) => [row.cursorTime, row.eventId], toEvent);
}
