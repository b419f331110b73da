import type { CreateEndpoint, Endpoint, UpdateEndpoint } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { recordActivity } from "../activity/service.ts";
import { newDelivery, queueAttempts, webhookQueue } from "./delivery.ts";
import { addressPolicyFromEnv, refusedAddress } from "./outbound.ts";
import {
  type AttemptRow,
  attemptsOf,
  type DeliveryRow,
  deleteEndpoint,
  deliveryById,
  type EndpointRow,
  endpointById,
  insertDeliveries,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  restartDelivery,
  updateEndpoint,
} from "./queries.ts";

import { generateSecret } from "./signature.ts";

export function toEndpoint(row: EndpointRow, now?: Date): Endpoint {
  const overlap = row.previousSecretExpiresAt;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    previousSecretExpiresAt: overlap && (!now || overlap > now) ? overlap.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** `*` alone when it is listed, otherwise each type once. */
function normalizeTypes(types: readonly string[]): string[] {
  return types.includes("*") ? ["*"] : [...new Set(types)];
}

/** Refuses (400 at `$.url`) a URL whose host resolves to an address the outbound policy forbids. */
async function checkUrl(url: string): Promise<void> {
  const reason = await refusedAddress(new URL(url), addressPolicyFromEnv());
  if (reason) throw validationFailed([{ path: "$.url", message: reason }], "The webhook URL is not allowed");
}

async function endpointOrThrow(deps: Pick<Deps, "db">, tenantId: string, id: string) {
  const row = await endpointById(deps.db, tenantId, id);
  if (!row) throw notFound("Webhook endpoint", [{ path: "params.id", message: `no webhook endpoint ${id}` }]);
  return row;
}

export async function listWebhookEndpoints(deps: Deps, tenantId: string) {
  const now = deps.clock();
  return { data: (await listEndpoints(deps.db, tenantId)).map((row) => toEndpoint(row, now)) };
}

export async function getWebhookEndpoint(deps: Deps, tenantId: string, id: string) {
  return toEndpoint(await endpointOrThrow(deps, tenantId, id), deps.clock());
}

/** A new endpoint; its signing secret is in this answer only. */
export async function createWebhookEndpoint(deps: Deps, caller: Caller, input: CreateEndpoint) {
  await checkUrl(input.url);
  const now = deps.clock();
  const row: EndpointRow = {
    id: deps.ids("whe"),
    tenantId: caller.tenantId,
    url: input.url,
    description: input.description,
    eventTypes: normalizeTypes(input.eventTypes),
    enabled: input.enabled,
    secret: generateSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.db.transaction(async (tx) => {
    await insertEndpoint(tx as Db, row);
    await recordActivity(deps, tx as Db, caller, {
      type: "webhook_endpoint.created",
      objectId: row.id,
      object: toEndpoint(row),
    });
  });
  return { ...toEndpoint(row, now), secret: row.secret };
}

export async function updateWebhookEndpoint(deps: Deps, caller: Caller, id: string, input: UpdateEndpoint) {
  await endpointOrThrow(deps, caller.tenantId, id);
  if (input.url !== undefined) await checkUrl(input.url);
  const now = deps.clock();
  const row = await deps.db.transaction(async (tx) => {
    const row = await updateEndpoint(tx as Db, caller.tenantId, id, {
      ...(input.url !== undefined && { url: input.url }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.eventTypes !== undefined && { eventTypes: normalizeTypes(input.eventTypes) }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      updatedAt: now,
    });
    if (!row)
      throw notFound("Webhook endpoint", [{ path: "params.id", message: `no webhook endpoint ${id}` }]);
    await recordActivity(deps, tx as Db, caller, {
      type: "webhook_endpoint.updated",
      objectId: row.id,
      object: toEndpoint(row, now),
    });
    return row;
  });
  return toEndpoint(row, now);
}

/**
 * A new signing secret (in this answer only). For `overlapHours` the previous secret keeps signing too: each
 * delivery carries two `v1` signatures, so receivers can switch to the new secret without missing one.
 */
export async function rotateWebhookSecret(deps: Deps, caller: Caller, id: string, overlapHours: number) {
  const existing = await endpointOrThrow(deps, caller.tenantId, id);
  const now = deps.clock();
  const secret = generateSecret();
  const row = await deps.db.transaction(async (tx) => {
    const row = await updateEndpoint(tx as Db, caller.tenantId, id, {
      secret,
      previousSecret: overlapHours > 0 ? existing.secret : null,
      previousSecretExpiresAt: overlapHours > 0 ? new Date(now.getTime() + overlapHours * 3_600_000) : null,
      updatedAt: now,
    });
    if (!row)
      throw notFound("Webhook endpoint", [{ path: "params.id", message: `no webhook endpoint ${id}` }]);
    await recordActivity(deps, tx as Db, caller, {
      type: "webhook_endpoint.updated",
      objectId: row.id,
      object: toEndpoint(row, now),
    });
    return row;
  });
  return { ...toEndpoint(row, now), secret };
}

/** Deletes an endpoint and its delivery log; attempts still queued for it find nothing and stop. */
export async function deleteWebhookEndpoint(deps: Deps, caller: Caller, id: string) {
  const now = deps.clock();
  const row = await deps.db.transaction(async (tx) => {
    const row = await deleteEndpoint(tx as Db, caller.tenantId, id);
    if (!row)
      throw notFound("Webhook endpoint", [{ path: "params.id", message: `no webhook endpoint ${id}` }]);
    await recordActivity(deps, tx as Db, caller, {
      type: "webhook_endpoint.deleted",
      objectId: row.id,
      object: toEndpoint(row, now),
    });
    return row;
  });
  return toEndpoint(row, now);
}

function toDelivery(row: DeliveryRow, attempts: AttemptRow[]) {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: row.eventId,
    type: row.type,
    status: row.status as "pending" | "succeeded" | "failed" | "canceled",
    attempts: attempts.map((a) => ({
      attemptedAt: a.attemptedAt.toISOString(),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
      manual: a.manual,
    })),
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

async function withAttempts(deps: Pick<Deps, "db">, tenantId: string, row: DeliveryRow) {
  return {
    ...toDelivery(row, await attemptsOf(deps.db, tenantId, [row.id])),
    event: JSON.parse(row.body) as Record<string, unknown>,
  };
}

export async function pageOfDeliveries(
  deps: Deps,
  tenantId: string,
  endpointId: string,
  query: { limit: number; cursor?: string },
) {
  await endpointOrThrow(deps, tenantId, endpointId);
  const before = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listDeliveries(deps.db, tenantId, endpointId, query.limit, before);
  const attempts = await attemptsOf(
    deps.db,
    tenantId,
    rows.slice(0, query.limit).map((r) => r.id),
  );
  const byDelivery = new Map<string, AttemptRow[]>();
  for (const attempt of attempts) {
    byDelivery.set(attempt.deliveryId, [...(byDelivery.get(attempt.deliveryId) ?? []), attempt]);
  }
  return toPage(
    rows,
    query.limit,
    (r) => [r.createdAt.toISOString(), r.id],
    (r) => toDelivery(r, byDelivery.get(r.id) ?? []),
  );
}

async function deliveryOrThrow(deps: Pick<Deps, "db">, tenantId: string, endpointId: string, id: string) {
  const row = await deliveryById(deps.db, tenantId, id);
  if (!row || row.endpointId !== endpointId) {
    throw notFound("Webhook delivery", [{ path: "params.deliveryId", message: `no delivery ${id} here` }]);
  }
  return row;
}

export async function getDelivery(deps: Deps, tenantId: string, endpointId: string, id: string) {
  return withAttempts(deps, tenantId, await deliveryOrThrow(deps, tenantId, endpointId, id));
}

function refuseDisabled(endpoint: EndpointRow): void {
  if (!endpoint.enabled) {
    throw new ApiError(409, "ENDPOINT_DISABLED", "The webhook endpoint is disabled; enable it first", [
      { path: "params.id", message: "is disabled" },
    ]);
  }
}

/**
 * Queues one more attempt of a delivery now (same delivery id, same body). If it fails, retries follow as for
 * any attempt; attempts still waiting from before are retired.
 */
export async function resendDelivery(deps: Deps, tenantId: string, endpointId: string, id: string) {
  refuseDisabled(await endpointOrThrow(deps, tenantId, endpointId));
  await deliveryOrThrow(deps, tenantId, endpointId, id);
  const queue = await webhookQueue(deps.db);
  const now = deps.clock();
  const row = await deps.db.transaction(async (tx) => {
    const row = await restartDelivery(tx as Db, tenantId, id, now);
    if (!row)
      throw notFound("Webhook delivery", [{ path: "params.deliveryId", message: `no delivery ${id}` }]);
    const data = { deliveryId: row.id, tenantId, seq: row.jobSeq, manual: true };
    await queueAttempts(queue, tx as Db, [{ data, delaySeconds: 0 }]);
    return row;
  });
  return withAttempts(deps, tenantId, row);
}

/** Sends a `webhook.test` event to this endpoint alone (not an activity record: nothing changed). */
export async function sendTestEvent(deps: Deps, tenantId: string, endpointId: string) {
  const endpoint = await endpointOrThrow(deps, tenantId, endpointId);
  refuseDisabled(endpoint);
  const queue = await webhookQueue(deps.db);
  const now = deps.clock();
  const event = {
    id: deps.ids("evt"),
    type: "webhook.test",
    created: now,
    object: { endpointId, message: "A test event sent from Pricegraph" },
  };
  const row = newDelivery(deps, endpoint, event, now);
  await deps.db.transaction(async (tx) => {
    await insertDeliveries(tx as Db, [row]);
    const data = { deliveryId: row.id, tenantId, seq: 0, manual: true };
    await queueAttempts(queue, tx as Db, [{ data, delaySeconds: 0 }]);
  });
  return withAttempts(deps, tenantId, row);
}
