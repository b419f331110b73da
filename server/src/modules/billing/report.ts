import { evaluate, metricFeeding } from "@pricegraph/engine";
import {
  type ContractTerms,
  formatLocalDate,
  localDateOf,
  nearestPeriod,
  type Period,
  parseLocalDate,
  periodContaining,
  periodHoldingDate,
  phaseOn,
} from "@pricegraph/shared";
import { evaluationFailed, notFound, validationFailed } from "../../http/errors.ts";
import { poolBalances, usableGrants } from "../credits/draws.ts";
import { grantsOfContracts } from "../credits/service.ts";
import { usageByAccountForPeriod, usageForPeriod } from "../usage/service.ts";
import { lastDay } from "./compute.ts";
import { type BillingDeps, toContext } from "./context.ts";
import { contractContexts } from "./queries.ts";

/** The period asked for; by default the current one (the first before the contract starts, the last after). */
function pickPeriod(terms: ContractTerms, periodStart: string | undefined, now: Date): Period | null {
  if (!periodStart) return nearestPeriod(terms, now);
  if (/^\d{4}-\d{2}-\d{2}$/.test(periodStart)) return periodHoldingDate(terms, parseLocalDate(periodStart));
  return periodContaining(terms, new Date(periodStart));
}

/**
 * A contract's usage for one period (the current one by default): usage per metric, free units used and
 * remaining per freeUnits node (from the engine's port values), and the lines the period comes to so far.
 */
export async function usageReport(
  deps: BillingDeps,
  tenantId: string,
  contractId: string,
  query: { periodStart?: string },
) {
  const [row] = await contractContexts(deps.db, tenantId, [contractId]);
  if (!row) throw notFound("Contract", [{ path: "params.id", message: "no contract with this id" }]);
  const ctx = toContext(deps.billing, tenantId, row);
  const now = deps.clock();
  const period = pickPeriod(ctx.terms, query.periodStart, now);
  if (!period)
    throw validationFailed([
      { path: "query.periodStart", message: "is not within a period of this contract" },
    ]);
  // The phase in effect on the period's last day served so far prices the report (usage of the whole period).
  const today = formatLocalDate(localDateOf(now, ctx.terms.timezone));
  const phase = phaseOn(ctx.phases, today < period.endDate ? today : lastDay(period));
  const plan = phase.plan;
  const usage =
    (
      await usageForPeriod(deps.db, tenantId, {
        customerIds: [row.contract.customerId],
        from: period.start,
        to: period.end,
        metrics: plan.metrics,
      })
    ).get(row.contract.customerId) ?? {};
  const accounts =
    (
      await usageByAccountForPeriod(deps.db, tenantId, {
        customerIds: [row.contract.customerId],
        from: period.start,
        to: period.end,
        metrics: plan.metrics,
      })
    ).get(row.contract.customerId) ?? {};
  const grants = usableGrants(
    (await grantsOfContracts(deps.db, tenantId, [contractId])).get(contractId) ?? [],
    now,
  );
  const result = evaluate(
    plan,
    {
      usage,
      params: phase.params,
      credits: poolBalances(plan.creditPools, grants, plan.minorUnits),
      proration: period.proration,
    },
    { explain: false, values: false, explainTypes: ["freeUnits"] },
  );
  if (!result.ok) throw evaluationFailed(result.problems);
  const { output } = result;
  // The engine explains each freeUnits node with its allowance, used and remaining units.
  const freeUnits = (output.nodes ?? []).map((entry) => {
    const numbers = entry.items[0] ?? { text: "" };
    return {
      nodeId: entry.nodeId,
      label: entry.label ?? null,
      metric: metricFeeding(plan, entry.nodeId),
      used: numbers.used ?? "0",
      free: numbers.free ?? "0",
      billable: numbers.billable ?? "0",
      allowance: numbers.allowance ?? null,
      remaining: numbers.remaining ?? null,
    };
  });
  return {
    contractId,
    currency: output.currency,
    period: {
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      startDate: period.startDate,
      endDate: period.endDate,
      proration: period.proration,
      complete: period.end.getTime() <= now.getTime(),
      today,
    },
    metrics: plan.metrics.map((m) => ({
      key: m.key,
      groupBy: m.groupBy ?? [],
      value: usage[m.key] ?? "0",
      accounts: accounts[m.key] ?? [],
    })),
    freeUnits,
    lines: output.lines.map((l) => ({
      nodeId: l.nodeId,
      description: l.description,
      product: l.product,
      timing: l.timing,
      quantity: l.quantity,
      amount: l.amount,
    })),
    total: output.total,
  };
}
