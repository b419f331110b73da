import { type ContractTerms, nearestPeriod } from "@pricegraph/shared";
import { systemCaller } from "../../context.ts";
import type { BillingDeps } from "../billing/context.ts";
import { contractTermsStartedBy, lastCoveredInstant, tenantsDueForScheduledRun } from "./queries.ts";
import { queueRun } from "./service.ts";

/**
 * Scheduled billing: once a day, at the tenant's hour (UTC), a run starts by itself when a period of one of its
 * contracts has closed since the last run covered (its `asOf`). Every server worker checks on its tick; the run
 * of a day is unique per tenant in the database, so two processes create it once, and a run finds the periods
 * already invoiced and bills nothing twice.
 */

/** The end of the latest period of a contract that had closed by `now`, or null when none has. */
export function latestClosedEnd(terms: ContractTerms, now: Date): Date | null {
  const period = nearestPeriod(terms, now);
  if (!period || now.getTime() < period.start.getTime()) return null;
  if (now.getTime() >= period.end.getTime()) return period.end;
  return period.index > 0 ? period.start : null;
}

/** Whether a period closed after `covered` (any closed period when nothing was ever covered) and by `now`. */
export function periodClosedSince(contracts: readonly ContractTerms[], covered: Date | null, now: Date) {
  return contracts.some((terms) => {
    const end = latestClosedEnd(terms, now);
    return end !== null && (covered === null || end.getTime() > covered.getTime());
  });
}

/**
 * Starts the day's run of every tenant whose hour has come and which has a period closed since its last run.
 * Answers the ids of the runs this call created (none when another process was first).
 */
export async function startScheduledRuns(
  deps: BillingDeps,
  options: { tenantIds?: readonly string[] } = {},
): Promise<string[]> {
  const now = deps.clock();
  const today = now.toISOString().slice(0, 10);
  const started: string[] = [];
  const due = await tenantsDueForScheduledRun(deps.db, now, today);
  // Tests name their own tenant: on PostgreSQL every test file shares one database.
  const only = options.tenantIds ? new Set(options.tenantIds) : null;
  for (const tenantId of due.filter((id) => !only || only.has(id))) {
    const covered = await lastCoveredInstant(deps.db, tenantId);
    // A day of slack covers zones ahead of UTC, as for runs started by hand.
    const asOfDate = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
    const contracts = await contractTermsStartedBy(deps.db, tenantId, asOfDate);
    if (!periodClosedSince(contracts, covered, now)) continue;
    const run = await queueRun(deps, systemCaller(tenantId, "scheduled-billing"), now, today);
    if (run) started.push(run.id);
    await deps.billing.breathe();
  }
  return started;
}
