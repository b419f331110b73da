import { evaluate, metricFeeding } from "@pricegraph/engine";
import {
  contractPeriods,
  formatLocalDate,
  localDateOf,
  type Period,
  periodContaining,
} from "@pricegraph/shared";
import { evaluationFailed, notFound, validationFailed } from "../../http/errors.ts";
import { poolBalances, usableGrants } from "../credits/draws.ts";
import { grantsOfContracts } from "../credits/service.ts";
import { usageForPeriod } from "../usage/service.ts";
import { type BillingDeps, toContext } from "./context.ts";
import { contractContexts } from "./queries.ts";

function pickPeriod(
  terms: Parameters<typeof periodContaining>[0],
  periodStart: string | undefined,
  now: Date,
): Period | null {
  if (!periodStart)
    return periodContaining(terms, now) ?? [...contractPeriods(terms)].find((p) => p.last) ?? null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(periodStart)) {
    for (const period of contractPeriods(terms)) {
      if (period.startDate > periodStart) return null;
      if (periodStart < period.endDate) return period;
    }
    return null;
  }
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
  const usage =
    (
      await usageForPeriod(deps.db, tenantId, {
        customerIds: [row.contract.customerId],
        from: period.start,
        to: period.end,
        metrics: ctx.plan.metrics,
      })
    ).get(row.contract.customerId) ?? {};
  const grants = usableGrants(
    (await grantsOfContracts(deps.db, tenantId, [contractId])).get(contractId) ?? [],
    now,
  );
  const result = evaluate(
    ctx.plan,
    {
      usage,
      params: row.contract.paramOverrides,
      credits: poolBalances(ctx.plan.creditPools, grants, ctx.plan.minorUnits),
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
      metric: metricFeeding(ctx.plan, entry.nodeId),
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
      today: formatLocalDate(localDateOf(now, ctx.terms.timezone)),
    },
    metrics: ctx.plan.metrics.map((m) => ({
      key: m.key,
      groupBy: m.groupBy ?? [],
      value: usage[m.key] ?? "0",
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
