import Decimal from "decimal.js";
import { type Deps, randomBase62, systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import { quoteContract } from "../contracts/service.ts";
import { usageForPeriod } from "../usage/service.ts";
import {
  type AlertRow,
  alertsForCustomer,
  customersWithNewEvents,
  type FiringRow,
  insertFiring,
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

/** Under vitest every database handle scans on its own (test files share one PostgreSQL database). */
const scanNames = new WeakMap<object, string>();
function scanName(db: Db): string {
  if (!process.env.VITEST) return "alerts";
  let name = scanNames.get(db);
  if (!name) {
    name = `alerts-${randomBase62(10)}`;
    scanNames.set(db, name);
  }
  return name;
}

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
 * Evaluates one customer's alerts on each running contract's current period and fires every threshold crossed
 * that has not fired yet in that period: one `alert.triggered` activity record each, in the firing's transaction.
 * Answers how many fired.
 */
export async function evaluateCustomer(deps: Deps, tenantId: string, customerId: string): Promise<number> {
  const alertRows = await alertsForCustomer(deps.db, tenantId, customerId);
  if (alertRows.length === 0) return 0;
  const now = deps.clock();
  let fired = 0;
  for (const { id: contractId } of await runningContracts(
    deps.db,
    tenantId,
    customerId,
    now.toISOString().slice(0, 10),
  )) {
    let quote: Awaited<ReturnType<typeof quoteContract>>;
    try {
      quote = await quoteContract(deps, tenantId, contractId);
    } catch {
      continue; // A plan that cannot be evaluated shows up on its invoice; alerts skip it.
    }
    const periodStart = new Date(quote.periodStart);
    const usageKeys = [
      ...new Set(alertRows.flatMap((a) => (a.kind === "usage" && a.metricKey ? [a.metricKey] : []))),
    ];
    const usage = usageKeys.length
      ? ((
          await usageForPeriod(deps.db, tenantId, {
            customerIds: [customerId],
            from: periodStart,
            to: new Date(quote.periodEnd),
            metrics: usageKeys.map((key) => ({ key })),
          })
        ).get(customerId) ?? {})
      : {};
    const pools = Object.values(quote.credits);
    for (const alert of alertRows) {
      if (alert.kind === "credit_balance" && pools.length === 0) continue; // no credits on this contract
      const value =
        alert.kind === "usage"
          ? total(usage[alert.metricKey ?? ""])
          : alert.kind === "spend"
            ? new Decimal(quote.total)
            : pools.reduce((sum, pool) => sum.plus(pool.closing), new Decimal(0));
      for (const threshold of crossedThresholds(alert, value)) {
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
  const name = scanName(deps.db);
  const now = deps.clock();
  const from = new Date((await scannedUntil(deps.db, name)).getTime() - RESCAN_MS);
  let fired = 0;
  for (const { tenantId, customerId } of await customersWithNewEvents(deps.db, from, now)) {
    fired += await evaluateCustomer(deps, tenantId, customerId);
  }
  await saveScan(deps.db, name, now);
  return fired;
}

/** This process's evaluator: a pass every `everyMs` (one at a time). */
export function startAlertEvaluator(deps: Deps, everyMs = 5_000): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    evaluateAlerts(deps)
      .catch((error) => console.error("alert evaluator:", error))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
