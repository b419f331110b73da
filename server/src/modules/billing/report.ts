import { Decimal, evaluate, fixed, metricFeeding } from "@pricegraph/engine";
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
import type { UsageReport } from "@pricegraph/shared/api";
import { evaluationFailed, notFound, validationFailed } from "../../http/errors.ts";
import { poolBalances, usableGrants } from "../credits/draws.ts";
import { grantsOfAddOns, grantsOfContracts } from "../credits/service.ts";
import { usageByAccountForPeriod, usageForPeriod } from "../usage/service.ts";
import type { GrantBalance } from "./compute.ts";
import { type BillingDeps, toContext } from "./context.ts";
import { pricedSlices } from "./priced-slices.ts";
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
  const today = formatLocalDate(localDateOf(now, ctx.terms.timezone));
  // Priced as billing prices the period: cut at phase changes, each slice on its own phase with the usage of its
  // own time range (billing's pricedSlices), then each add-on's slices (cut at its own phase changes).
  const [slices] = await pricedSlices(deps.db, tenantId, [{ ctx, period }]);
  // Every metric any phase reads, reported over the whole period.
  const metrics = [...new Map(slices.flatMap((slice) => slice.plan.metrics).map((m) => [m.key, m])).values()];
  const usage =
    (
      await usageForPeriod(deps.db, tenantId, {
        customerIds: [row.contract.customerId],
        from: period.start,
        to: period.end,
        metrics,
      })
    ).get(row.contract.customerId) ?? {};
  const accounts =
    (
      await usageByAccountForPeriod(deps.db, tenantId, {
        customerIds: [row.contract.customerId],
        from: period.start,
        to: period.end,
        metrics,
      })
    ).get(row.contract.customerId) ?? {};
  const baseGrants = (await grantsOfContracts(deps.db, tenantId, [contractId])).get(contractId) ?? [];
  const addOnGrants = ctx.addOns.length
    ? await grantsOfAddOns(deps.db, tenantId, [contractId])
    : new Map<string, GrantBalance[]>();
  const { minorUnits } = slices[0].plan;
  // Credits carry from one slice to the next of the same component (the base plan, an add-on), as one invoice
  // draws them; each component draws its own grants.
  const creditsOf = new Map<string | null, Record<string, string>>();
  const freeUnits: UsageReport["freeUnits"] = [];
  const lines: UsageReport["lines"] = [];
  let currency = slices[0].plan.currency;
  for (const slice of slices) {
    const { plan } = slice;
    const componentId = slice.addOn?.id ?? null;
    const grants = usableGrants(componentId ? (addOnGrants.get(componentId) ?? []) : baseGrants, now);
    const credits = { ...(creditsOf.get(componentId) ?? poolBalances(plan.creditPools, grants, minorUnits)) };
    const result = evaluate(
      plan,
      { usage: slice.usage, params: slice.params, credits, proration: slice.proration },
      { explain: false, values: false, explainTypes: ["freeUnits"] },
    );
    if (!result.ok) throw evaluationFailed(result.problems);
    const { output } = result;
    if (!componentId) currency = output.currency;
    for (const [pool, state] of Object.entries(output.credits)) credits[pool] = state.closing;
    creditsOf.set(componentId, credits);
    // The engine explains each freeUnits node with its allowance, used and remaining units.
    for (const entry of output.nodes ?? []) {
      const numbers = entry.items[0] ?? { text: "" };
      freeUnits.push({
        nodeId: entry.nodeId,
        label: entry.label ?? null,
        metric: metricFeeding(plan, entry.nodeId),
        used: numbers.used ?? "0",
        free: numbers.free ?? "0",
        billable: numbers.billable ?? "0",
        allowance: numbers.allowance ?? null,
        remaining: numbers.remaining ?? null,
        phase: slice.label,
        componentId,
      });
    }
    for (const l of output.lines) {
      lines.push({
        nodeId: l.nodeId,
        description: l.description,
        product: l.product,
        timing: l.timing,
        quantity: l.quantity,
        amount: l.amount,
        phase: slice.label,
        componentId,
      });
    }
  }
  const total = fixed(
    lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0)),
    minorUnits,
  );
  return {
    contractId,
    currency,
    period: {
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      startDate: period.startDate,
      endDate: period.endDate,
      proration: period.proration,
      complete: period.end.getTime() <= now.getTime(),
      today,
    },
    metrics: metrics.map((m) => ({
      key: m.key,
      groupBy: m.groupBy ?? [],
      value: usage[m.key] ?? "0",
      accounts: accounts[m.key] ?? [],
    })),
    freeUnits,
    lines,
    total,
  };
}
