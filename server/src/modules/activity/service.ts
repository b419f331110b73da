import { type ActivityType, activityObjectType } from "@pricegraph/shared";
import type { ActivityQuery } from "@pricegraph/shared/api";
import type { Actor, Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, encodeCursor } from "../../http/pagination.ts";
import {
  type ActivityRow,
  activityById,
  insertActivity,
  listActivity,
  type NewActivityRow,
} from "./queries.ts";

/** One change to record: its type, the object's id and the object as the API answers it after the change. */
export interface ActivityChange {
  type: ActivityType;
  objectId: string;
  object: unknown;
}

/**
 * Writes activity records for changes made by `caller`. Pass the transaction that makes the change, so the
 * record exists exactly when the change does.
 */
export async function recordActivity(
  deps: Pick<Deps, "clock" | "ids">,
  tx: Db,
  caller: Caller,
  changes: ActivityChange | readonly ActivityChange[],
): Promise<void> {
  const list = Array.isArray(changes) ? changes : [changes as ActivityChange];
  const at = deps.clock();
  const rows: NewActivityRow[] = list.map((change) => ({
    id: deps.ids("act"),
    tenantId: caller.tenantId,
    type: change.type,
    objectType: activityObjectType(change.type),
    objectId: change.objectId,
    // JSON round trip: the stored snapshot is exactly what the API would have sent (dates as ISO strings).
    object: JSON.parse(JSON.stringify(change.object)),
    actorType: caller.actor.type,
    actorId: caller.actor.id,
    createdAt: at,
  }));
  await insertActivity(tx, rows);
}

export function toActivity(row: ActivityRow) {
  return {
    id: row.id,
    type: row.type,
    objectType: row.objectType,
    objectId: row.objectId,
    object: row.object as Record<string, unknown>,
    actor: { type: row.actorType as Actor["type"], id: row.actorId },
    createdAt: row.createdAt.toISOString(),
  };
}

export async function pageOfActivity(deps: Pick<Deps, "db">, tenantId: string, query: ActivityQuery) {
  const after = decodeCursor(query.cursor, 1);
  if (after && !/^[0-9]{1,18}$/.test(after[0])) {
    throw validationFailed([{ path: "query.cursor", message: "is not a cursor this endpoint returned" }]);
  }
  const rows = await listActivity(deps.db, tenantId, {
    type: query.type,
    objectType: query.objectType,
    objectId: query.objectId,
    actorId: query.actorId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    beforeSeq: after ? Number(after[0]) : undefined,
    limit: query.limit,
  });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  return {
    data: page.map(toActivity),
    nextCursor: more ? encodeCursor([String(page[page.length - 1].seq)]) : null,
  };
}

export async function getActivity(deps: Pick<Deps, "db">, tenantId: string, id: string) {
  const row = await activityById(deps.db, tenantId, id);
  if (!row) throw notFound("Activity record", [{ path: "params.id", message: `no activity record ${id}` }]);
  return toActivity(row);
}
