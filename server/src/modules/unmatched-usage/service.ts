import {
  type EventInput,
  type IngestUnmatched,
  type UnmatchedUsage,
  unmatchedReasons,
} from "@pricegraph/shared/api";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { validationFailed } from "../../http/errors.ts";
import { classifyBatch, type MatchingContext, unmatchedMessage } from "./classify.ts";
import {
  eventsByIds,
  knownExternalIds,
  type MatchingMetric,
  matchingMetrics,
  unmatchedGroups,
} from "./queries.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 400;

/** The tenant's metrics, as a batch's events are checked and matched against them. */
export function metricsForMatching(db: Db, tenantId: string): Promise<MatchingMetric[]> {
  return matchingMetrics(db, tenantId);
}

/** Which of a batch's customer external ids name a customer (one indexed read; ingestion runs it beside the insert). */
export function knownCustomersOf(
  db: Db,
  tenantId: string,
  batch: readonly EventInput[],
): Promise<Set<string>> {
  return knownExternalIds(db, tenantId, [...new Set(batch.map((event) => event.customer))]);
}

/** The ingest response's account of the accepted events that count for nothing: how many, and why. */
export function unmatchedInBatch(accepted: readonly EventInput[], context: MatchingContext): IngestUnmatched {
  return classifyBatch(accepted, context);
}

const reasonText = {
  noMetric: "events whose type matches no metric",
  unknownCustomer: "events naming a customer external id that no customer has",
  nonNumericValue: "events carrying a value that is not a number where a metric reads one",
} as const;

/** Unmatched usage over [from, to) as things stand now: per reason, per customer and subject, with samples. */
export async function unmatchedUsage(
  deps: Deps,
  tenantId: string,
  query: { from?: string; to?: string },
): Promise<UnmatchedUsage> {
  const now = deps.clock().getTime();
  const to = query.to ? new Date(query.to) : new Date(now + DAY_MS);
  const from = query.from ? new Date(query.from) : new Date(now - DEFAULT_DAYS * DAY_MS);
  if (from >= to) throw validationFailed([{ path: "query.from", message: "must be before `to`" }]);
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) {
    throw validationFailed([{ path: "query.to", message: `at most ${MAX_DAYS} days after \`from\`` }]);
  }
  const metrics = await matchingMetrics(deps.db, tenantId);
  const rows = await unmatchedGroups(deps.db, tenantId, { from, to, metrics });
  const samples = new Map(
    (
      await eventsByIds(
        deps.db,
        tenantId,
        rows.flatMap((row) => row.sample_ids),
      )
    ).map((event) => [event.eventId, event]),
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    reasons: unmatchedReasons.map((reason) => {
      const row = rows.find((r) => r.reason === reason);
      return {
        reason,
        events: row ? Number(row.reason_events) : 0,
        groups: row ? Number(row.reason_groups) : 0,
        message: reasonText[reason],
      };
    }),
    groups: rows.map((row) => ({
      reason: row.reason,
      customer: row.customer,
      subject: row.subject,
      events: Number(row.events),
      firstTimestamp: new Date(row.first_at).toISOString(),
      lastTimestamp: new Date(row.last_at).toISOString(),
      message: unmatchedMessage(
        row.reason,
        row.reason === "unknownCustomer" ? row.customer : row.subject,
        metrics,
      ),
      samples: row.sample_ids.flatMap((id) => {
        const event = samples.get(id);
        return event
          ? [
              {
                id: event.eventId,
                customer: event.customerExternalId,
                type: event.type,
                timestamp: event.timestamp.toISOString(),
                properties: event.properties,
                receivedAt: event.receivedAt.toISOString(),
              },
            ]
          : [];
      }),
    })),
  };
}
