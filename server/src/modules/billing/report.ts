import { type CompiledPlan, Decimal, DecimalField, evaluate } from "@pricegraph/engine";
import {
  type ContractTerms,
  formatLocalDate,
  localDateOf,
  nearestPeriod,
  type Period,
  parseLocalDate,
  periodContaining,
  periodHoldingDate,
} from "@pricegraph/shared";
import type { Deps } from "../../context.ts";
import { evaluationFailed, notFound, validationFailed } from "../../http/errors.ts";
import { usageForPeriod } from "../usage/service.ts";
import { poolBalances, usableGrants } from "./compute.ts";
import { grantStates, toContext } from "./invoicing.ts";
import { contractContexts, grantBalances } from "./queries.ts";

function resolve(field: unknown, plan: CompiledPlan, overrides: Record<string, string>): Decimal | null {
  if (field instanceof DecimalField) {
    if (field.literal) return field.literal;
    if (field.param) return new Decimal(overrides[field.param] ?? plan.paramDefaults.get(field.param) ?? 0);
  }
  return null;
}

/** The allowance a freeUnits node grants at usage q (the waterfall tier holding q when it has tiers). */
function allowanceOf(
  data: unknown,
  q: Decimal,
  plan: CompiledPlan,
  overrides: Record<string, string>,
): Decimal | null {
  const d = data as { allowance?: unknown; tiers?: { upTo: unknown; allowance: unknown }[] };
  if (d.allowance !== undefined) return resolve(d.allowance, plan, overrides);
  if (!d.tiers) return null;
  for (const tier of d.tiers) {
    const upTo = tier.upTo === null ? null : resolve(tier.upTo, plan, overrides);
    if (upTo === null || q.lte(upTo)) return resolve(tier.allowance, plan, overrides);
  }
  return null;
}

/** The metric a node reads, found by walking upstream to a usage node. */
function metricFeeding(plan: CompiledPlan, nodeId: string): string | null {
  const queue = [...(plan.nodesById.get(nodeId)?.upstream ?? [])];
  const seen = new Set(queue);
  while (queue.length) {
    const node = plan.nodesById.get(queue.shift() as string);
    if (!node) continue;
    if (node.type === "usage") return String((node.data as { metric?: unknown }).metric);
    for (const next of node.upstream) if (!seen.has(next) && seen.add(next)) queue.push(next);
  }
  return null;
}

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
  deps: Deps,
  tenantId: string,
  contractId: string,
  query: { periodStart?: string },
) {
  const [row] = await contractContexts(deps.db, tenantId, [contractId]);
  if (!row) throw notFound("Contract", [{ path: "params.id", message: "no contract with this id" }]);
  const ctx = toContext(tenantId, row);
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
    grantStates(await grantBalances(deps.db, tenantId, [contractId])).get(contractId) ?? [],
    now,
  );
  const overrides = row.contract.paramOverrides;
  const result = evaluate(
    ctx.plan,
    { usage, params: overrides, credits: poolBalances(ctx.plan, grants), proration: period.proration },
    { explain: false, values: true },
  );
  if (!result.ok) throw evaluationFailed(result.problems);
  const { output } = result;
  const freeUnits = ctx.plan.steps
    .filter((step) => step.type === "freeUnits")
    .map((step) => {
      const free = new Decimal(String(output.values[`${step.id}.free`] ?? "0"));
      const used = free.plus(String(output.values[`${step.id}.billable`] ?? "0"));
      const allowance = allowanceOf(step.data, used, ctx.plan, overrides);
      return {
        nodeId: step.id,
        label: (step.data as { label?: string }).label ?? null,
        metric: metricFeeding(ctx.plan, step.id),
        used: used.toString(),
        free: free.toString(),
        billable: used.minus(free).toString(),
        allowance: allowance?.toString() ?? null,
        remaining: allowance ? Decimal.max(0, allowance.minus(free)).toString() : null,
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
