import { Decimal, fixed } from "@pricegraph/engine";
import { type ContractTerms, type PeriodSlice, sliceByPhases, sliceLabel } from "@pricegraph/shared";
import type { ContractPeriodQuote, ContractQuoteQuestion } from "@pricegraph/shared/api";
import { evaluationFailed, notFound, validationFailed } from "../../http/errors.ts";
import { BillingEvaluationError, runEngine, type Usage } from "../billing/compute.ts";
import type { BillingDeps, PricedPhase } from "../billing/context.ts";
import { toContext } from "../billing/context.ts";
import { contractContexts } from "../billing/queries.ts";
import { usageForPeriod } from "../usage/service.ts";
import { resolveAmendment } from "./amendments.ts";
import { grantsOf } from "./queries.ts";
import { creditBalances, phasesOfContract, quotePeriod } from "./service.ts";

/**
 * POST /v1/contracts/:id/quote: what the current period comes to, priced per phase as billing prices it — at the
 * usage measured so far, or at expected volumes typed in (what-if) — and, beside it, the same period with an
 * amendment or an end that is being considered. Stores nothing.
 */
export async function quotePeriodChange(
  deps: BillingDeps,
  tenantId: string,
  contractId: string,
  body: ContractQuoteQuestion,
): Promise<ContractPeriodQuote> {
  const [row] = await contractContexts(deps.db, tenantId, [contractId]);
  if (!row) throw notFound("Contract", [{ path: "params.id", message: `no contract ${contractId}` }]);
  const ctx = toContext(deps.billing, tenantId, row);
  const now = deps.clock();
  const period = quotePeriod(ctx.terms, now);
  const credits = creditBalances(await grantsOf(deps.db, tenantId, [contractId]), now);

  let changed: { terms: ContractTerms; phases: PricedPhase[] } | null = null;
  if (body.amendment) {
    const phases = phasesOfContract(row.contract, row.phases);
    const resolved = await resolveAmendment(deps.db, tenantId, row.contract, phases, body.amendment).catch(
      (error) => {
        throw prefixed(error, "$.amendment");
      },
    );
    const added: PricedPhase = {
      effectiveDate: resolved.effectiveDate,
      planVersion: resolved.planVersion,
      plan: resolved.plan,
      params: resolved.paramOverrides,
    };
    changed = {
      terms: ctx.terms,
      phases: [...ctx.phases.filter((p) => p.effectiveDate !== added.effectiveDate), added].sort((a, b) =>
        a.effectiveDate < b.effectiveDate ? -1 : 1,
      ),
    };
  } else if (body.endDate) {
    if (body.endDate < row.contract.startDate) {
      throw validationFailed([
        { path: "$.endDate", message: "must not be before the contract's start date" },
      ]);
    }
    changed = { terms: { ...ctx.terms, endDate: body.endDate }, phases: ctx.phases };
  }

  const slices = sliceByPhases(period, ctx.phases, ctx.terms.timezone);
  const measure = (list: PeriodSlice<PricedPhase>[]) =>
    Promise.all(
      list.map(async (slice) => {
        const usage = await usageForPeriod(deps.db, tenantId, {
          customerIds: [row.contract.customerId],
          from: slice.start,
          to: slice.end,
          metrics: slice.phase.plan.metrics,
        });
        return usage.get(row.contract.customerId) ?? {};
      }),
    );
  const measured = await measure(slices);
  const total = totalUsage(measured, body.usage);
  const changedSlices = changed
    ? sliceByPhases(quotePeriod(changed.terms, now), changed.phases, changed.terms.timezone)
    : [];
  const changedMeasured = changed && !body.usage ? await measure(changedSlices) : [];

  /** Each slice's usage: measured over its own time range, or its share by days of the volumes typed in. */
  const price = (list: PeriodSlice<PricedPhase>[], usages: Usage[]) => {
    const days = list.reduce((sum, s) => sum + s.daysServed, 0);
    const lines: ContractPeriodQuote["current"]["lines"] = [];
    const left = { ...credits };
    for (const [i, slice] of list.entries()) {
      const output = runEngine(slice.phase.plan, {
        usage: body.usage ? apportion(total, slice.daysServed, days) : usages[i],
        params: slice.phase.params,
        credits: left,
        proration: slice.proration,
      });
      for (const [pool, state] of Object.entries(output.credits)) left[pool] = state.closing;
      for (const line of output.lines) {
        lines.push({
          nodeId: line.nodeId,
          description: line.description,
          timing: line.timing,
          quantity: line.quantity,
          amount: line.amount,
          phase: slice.split ? sliceLabel(slice) : null,
        });
      }
    }
    const sum = lines.reduce((acc, l) => acc.plus(l.amount), new Decimal(0));
    return { lines, total: fixed(sum, ctx.plan.minorUnits) };
  };

  try {
    const current = price(slices, measured);
    const after = changed ? price(changedSlices, changedMeasured) : null;
    return {
      currency: ctx.plan.currency,
      period: { startDate: period.startDate, endDate: period.endDate, proration: period.proration },
      whatIf: body.usage !== undefined,
      usage: total,
      current,
      changed: after,
      delta: after ? fixed(new Decimal(after.total).minus(current.total), ctx.plan.minorUnits) : null,
    };
  } catch (error) {
    if (error instanceof BillingEvaluationError) throw evaluationFailed(error.problems);
    throw error;
  }
}

/** The whole period's usage: measured over the slices (scalars add up), with typed volumes in their place. */
function totalUsage(measured: Usage[], typed: Record<string, string> | undefined): Usage {
  const total: Usage = {};
  for (const usage of measured) {
    for (const [key, value] of Object.entries(usage)) {
      const prior = total[key];
      total[key] =
        typeof value === "string" && (prior === undefined || typeof prior === "string")
          ? new Decimal(prior ?? 0).plus(value).toFixed()
          : value;
    }
  }
  return { ...total, ...(typed ?? {}) };
}

/** A slice's share of the period's usage by its days (expected volumes are spread evenly over the period). */
function apportion(total: Usage, days: number, allDays: number): Usage {
  if (days === allDays) return total;
  return Object.fromEntries(
    Object.entries(total).map(([key, value]) => [
      key,
      typeof value === "string" ? new Decimal(value).times(days).div(allDays).toFixed() : value,
    ]),
  );
}

/** A validation error of the amendment asked about, its paths under `$.amendment`. */
function prefixed(error: unknown, prefix: string): unknown {
  const details = (error as { details?: { path: string }[] }).details;
  if (Array.isArray(details)) {
    for (const detail of details) detail.path = detail.path.replace(/^\$/, prefix);
  }
  return error;
}
