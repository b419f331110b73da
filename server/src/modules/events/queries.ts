import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../db/index.ts";
import { events } from "../../db/schema/index.ts";

export interface EventRowInput {
  id: string;
  customer: string;
  type: string;
  timestamp: string;
  properties: Record<string, unknown>;
}

/**
 * One INSERT for the whole batch (rows travel as one JSON parameter, inserted in array order). Callers pass rows
 * sorted by id so concurrent batches sharing ids lock in the same order and cannot deadlock. Returns the ids
 * actually inserted.
 */
export async function insertEvents(
  db: Db,
  tenantId: string,
  rows: EventRowInput[],
  receivedAt: Date,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await queryRows<{ event_id: string }>(
    db,
    sql`INSERT INTO events (tenant_id, event_id, customer_external_id, type, timestamp, properties, received_at)
        SELECT ${tenantId}, x.id, x.customer, x.type, x.timestamp::timestamptz, x.properties, ${receivedAt.toISOString()}::timestamptz
        FROM json_to_recordset(${JSON.stringify(rows)}::json)
          AS x(id text, customer text, type text, timestamp text, properties jsonb)
        ON CONFLICT (tenant_id, event_id) DO NOTHING
        RETURNING event_id`,
  );
  return inserted.map((row) => row.event_id);
}

export type EventRow = typeof events.$inferSelect & { cursorTime: string };

export async function listEvents(
  db: Db,
  tenantId: string,
  options: { customer?: string; type?: string; limit: number; after: [string, string] | null },
): Promise<EventRow[]> {
  const conditions: SQL[] = [eq(events.tenantId, tenantId)];
  if (options.customer !== undefined) conditions.push(eq(events.customerExternalId, options.customer));
  if (options.type !== undefined) conditions.push(eq(events.type, options.type));
  if (options.after) {
    const [time, id] = options.after;
    conditions.push(sql`(${events.timestamp}, ${events.eventId}) < (${time}::timestamptz, ${id})`);
  }
  const rows = await db
    .select({
      tenantId: events.tenantId,
      eventId: events.eventId,
      customerExternalId: events.customerExternalId,
      type: events.type,
      timestamp: events.timestamp,
      properties: events.properties,
      receivedAt: events.receivedAt,
      // Microsecond text keeps the cursor exact where a JS Date would round to milliseconds.
      cursorTime: sql<string>`${events.timestamp}::text`,
    })
    .from(events)
    .where(and(...conditions))
    .orderBy(desc(events.timestamp), desc(events.eventId))
    .limit(options.limit + 1);
  return rows;
}
