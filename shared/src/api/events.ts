import { z } from "zod";
import { dateTime, optionalText, text } from "./common.ts";
import { unmatchedReasons } from "./enums.ts";

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** A real calendar instant in ISO 8601 with an explicit offset (`Z` or `±hh:mm`), year 1970–9999. */
export function isIsoTimestamp(value: string): boolean {
  const match = ISO_WITH_OFFSET.exec(value);
  if (!match) return false;
  const [, y, mo, d, h, mi, s = "0", , , oh = "0", om = "0"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  return Number(h) <= 23 && Number(mi) <= 59 && Number(s) <= 59 && Number(oh) <= 23 && Number(om) <= 59;
}

export const timestampSchema = z
  .string()
  .max(40)
  .refine(isIsoTimestamp, "must be an ISO 8601 date-time with an offset, like 2025-03-01T12:00:00Z");

export const MAX_BATCH = 10_000;

export const eventInputSchema = z.strictObject({
  id: text(255).describe("idempotency key, unique per tenant forever"),
  customer: text(255).describe("the customer's external id (the customer may be created later)"),
  type: text(255).describe("matched by metrics' eventType"),
  timestamp: timestampSchema,
  properties: z.record(optionalText(255), z.unknown()).default({}),
});
export type EventInput = z.infer<typeof eventInputSchema>;

export const ingestBody = z.strictObject({ events: z.array(eventInputSchema).min(1).max(MAX_BATCH) });

/** Accepted events that count for nothing yet, grouped by reason and what is missing (a type, a customer…). */
export const ingestUnmatchedSchema = z
  .object({
    events: z.number().int().describe("accepted events that count for no metric today (each counted once)"),
    reasons: z
      .array(
        z.object({
          reason: z.enum(unmatchedReasons),
          subject: z
            .string()
            .describe("the event type (noMetric), customer external id (unknownCustomer) or metric key"),
          events: z.number().int(),
          message: z.string(),
          sampleIds: z.array(z.string()).describe("up to 3 event ids"),
        }),
      )
      .describe("at most 20 entries, most events first; GET /v1/usage/unmatched lists them all"),
  })
  .meta({ id: "IngestUnmatched" });
export type IngestUnmatched = z.infer<typeof ingestUnmatchedSchema>;

export const ingestResultSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    events: z.array(z.object({ id: z.string(), status: z.enum(["accepted", "duplicate"]) })),
    unmatched: ingestUnmatchedSchema,
  })
  .meta({ id: "IngestResult" });
export type IngestResult = z.infer<typeof ingestResultSchema>;

export const eventSchema = z
  .object({
    id: z.string(),
    customer: z.string(),
    type: z.string(),
    timestamp: dateTime,
    properties: z.record(z.string(), z.unknown()),
    receivedAt: dateTime,
  })
  .meta({ id: "Event" });
export type Event = z.infer<typeof eventSchema>;

export const listEventsQuery = {
  customer: optionalText(255).optional().describe("external id of the customer"),
  type: optionalText(255).optional(),
};

const EVENT_KEYS = new Set(["id", "customer", "type", "timestamp", "properties"]);

function isText(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= max && !value.includes("\u0000");
}

/**
 * The ingest body checked by hand: the same rules as `ingestBody`, about ten times faster on a batch of 10,000.
 * Answers null when anything is off; the caller then runs `ingestBody` for the detailed issues.
 */
export function fastParseIngestBody(data: unknown): { events: EventInput[] } | null {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  const body = data as Record<string, unknown>;
  const list = body.events;
  if (Object.keys(body).length !== 1 || !Array.isArray(list) || list.length < 1 || list.length > MAX_BATCH)
    return null;
  const events: EventInput[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as Record<string, unknown>;
    if (typeof item !== "object" || item === null || Array.isArray(item)) return null;
    for (const key in item) if (!EVENT_KEYS.has(key)) return null;
    const { id, customer, type, timestamp } = item;
    if (!isText(id, 255) || !isText(customer, 255) || !isText(type, 255)) return null;
    if (typeof timestamp !== "string" || timestamp.length > 40 || !isIsoTimestamp(timestamp)) return null;
    let properties = item.properties;
    if (properties === undefined) properties = {};
    else if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return null;
    for (const key in properties as object) if (key.length > 255 || key.includes("\u0000")) return null;
    events[i] = { id, customer, type, timestamp, properties: properties as Record<string, unknown> };
  }
  return { events };
}
