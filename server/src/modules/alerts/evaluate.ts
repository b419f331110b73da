import Decimal from "decimal.js";
import { type Deps, systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import { quoteContract } from "../contracts/service.ts";
import { usageForPeriod } from "../usage/service.ts";
import {
  type AlertRow,
  alertsForCustomer,
  customersWithNewEvents,
  type FiringRow,
  firedThresholds,
  insertFiring,
  listAlerts,
  runningContracts,
  saveScan,
  scannedUntil,
} from "./queries.ts";
import { toFiring } from "./service.ts";

/**
 * Events can commit a little after the time they were stamped with, so each scan looks this far back before the
 * last one's end. Evaluating a customer twice changes nothing: a firing is unique per threshold and period.
 */
const RESCAN_MS = 60_000;

/** The evaluator's name in `alert_scans`: one position for all processes on a database. */
const SCAN = "alerts";

function total(value: unknown): Decimal {
  if (typeof value === "string") return new Decimal(value);
  if (Array.isArray(value)) {
    return value.reduce((sum: Decimal, g: { value: string }) => sum.plus(g.value), new Decimal(0));
  }
  return new Decimal(0);
}

/** The thresholds an alert's value has crossed: at or above for usage and spend, at or below for credits left. */
export function crossedThresholds(alert: Pick<AlertRow, "kind" | "thresholds">, value: Decimal): string[] {
  return alert.thresholds.filter((t) => (alert.kind === "credit_balance" ? value.lte(t) : value.gte(t)));
}

/**
 * Evaluates one customer's alerts (`alertRows`: the tenant's, tenant-wide and this customer's are used) on each
 * running contract's current period and fires every threshold crossed that has not fired yet in that period: one
 * `alert.triggered` activity record each, in the firing's transaction. Answers how many fired.
 */
export async function evaluateCustomer(
  deps: Deps,
  tenantId: string,
  customerId: string,
  tenantAlerts?: readonly AlertRow[],
): Promise<number> {
  const alertRows = tenantAlerts
    ? tenantAlerts.filter((a) => a.customerId === null || a.customerId === customerId)
    : await alertsForCustomer(deps.db, tenantId, customerId);
  if (alertRows.length === 0) return 0;
  const now = deps.clock();
  let fired = 0;
  for (const { id: contractId } of await runningContracts(deps.db, tenantId, customerId, now)) {
    let quote: Awaited<ReturnType<typeof quoteContract>>;
    try {
      quote = await quoteContract(deps, tenantId, contractId);
    } catch {
      continue; // A plan that cannot be evaluated shows up on its invoice; alerts skip it.
    }
    const periodStart = new Date(quote.periodStart);
    // The quote already aggregated the plan's metrics over the period; only other metrics are read again.
    const quoted: Record<string, unknown> = quote.input.usage;
    const usageKeys = [
      ...new Set(
        alertRows.flatMap((a) =>
          a.kind === "usage" && a.metricKey && !(a.metricKey in quoted) ? [a.metricKey] : [],
        ),
      ),
    ];
    const usage = usageKeys.length
      ? {
          ...quoted,
          ...((
            await usageForPeriod(deps.db, tenantId, {
              customerIds: [customerId],
              from: periodStart,
              to: new Date(quote.periodEnd),
              metrics: usageKeys.map((key) => ({ key })),
            })
          ).get(customerId) ?? {}),
        }
      : quoted;
    const pools = Object.values(quote.credits);
    let alreadyFired: Set<string> | null = null;
    for (const alert of alertRows) {
      if (alert.kind === "credit_balance" && pools.length === 0) continue; // no credits on this contract
      const value =
        alert.kind === "usage"
          ? total(usage[alert.metricKey ?? ""])
          : alert.kind === "spend"
            ? new Decimal(quote.total)
            : pools.reduce((sum, pool) => sum.plus(pool.closing), new Decimal(0));
      const crossed = crossedThresholds(alert, value);
      if (crossed.length === 0) continue;
      alreadyFired ??= await firedThresholds(deps.db, tenantId, customerId, contractId, periodStart);
      for (const threshold of crossed) {
        if (alreadyFired.has(`${alert.id} ${threshold}`)) continue;
        const firing: FiringRow = {
          id: deps.ids("alf"),
          tenantId,
          alertId: alert.id,
          customerId,
          contractId,
          periodStart,
          threshold,
          value: value.toFixed(),
          firedAt: now,
        };
        const inserted = await deps.db.transaction(async (tx) => {
          if (!(await insertFiring(tx as Db, firing))) return false;
          await recordActivity(deps, tx as Db, systemCaller(tenantId, "alerts"), {
            type: "alert.triggered",
            objectId: alert.id,
            object: toFiring(firing, alert),
          });
          return true;
        });
        if (inserted) fired += 1;
      }
    }
  }
  return fired;
}

/**
 * One pass of the evaluator: every customer (of tenants with alerts) whose events arrived since the last pass is
 * evaluated. Ingestion itself does nothing for alerts, so it is not slowed; alerts follow within a pass.
 */
export async function evaluateAlerts(deps: Deps): Promise<number> {
  const now = deps.clock();
  const from = new Date((await scannedUntil(deps.db, SCAN)).getTime() - RESCAN_MS);
  let fired = 0;
  const alertsOf = new Map<string, AlertRow[]>();
  for (const { tenantId, customerId } of await customersWithNewEvents(deps.db, from, now)) {
    let tenantAlerts = alertsOf.get(tenantId);
    if (!tenantAlerts) {
      tenantAlerts = await listAlerts(deps.db, tenantId);
      alertsOf.set(tenantId, tenantAlerts);
    }
    fired += await evaluateCustomer(deps, tenantId, customerId, tenantAlerts);
  }
  await saveScan(deps.db, SCAN, now);
  return fired;
}

/**
 * The evaluator rests at least this many times as long as its last pass took, so it never holds the database
 * (and the CPU) more than 1/(1 + REST_FACTOR) of the time, whatever the ingestion rate: under heavy load alerts
 * come later instead of ingestion getting slower.
 */
export const REST_FACTOR = 9;

/** The wait after a pass that took `passMs`: `everyMs`, or longer after a long pass. */
export function restAfterPass(everyMs: number, passMs: number): number {
  return Math.max(everyMs, REST_FACTOR * passMs);
}

/** This process's evaluator: a pass, then a rest of `restAfterPass` (at least `everyMs`), until stopped. */
export function startAlertEvaluator(deps: Deps, everyMs = 5_000): { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(async () => {
      const started = performance.now();
      await evaluateAlerts(deps).catch((error) => console.error("alert evaluator:", error));
      schedule(restAfterPass(everyMs, performance.now() - started));
    }, ms);
    timer.unref();
  };
  schedule(everyMs);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
