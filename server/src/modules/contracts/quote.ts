import { Decimal, fixed } from "@pricegraph/engine";
import { type Period, sliceByPhases, sliceLabel } from "@pricegraph/shared";
import type { ContractPeriodQuote, ContractQuoteQuestion } from "@pricegraph/shared/api";
import { evaluationFailed, notFound, validationFailed } from "../../http/errors.ts";
import { addOnParts } from "../billing/add-ons.ts";
import { BillingEvaluationError, runEngine, type Usage } from "../billing/compute.ts";
import type { BillingDeps, ContractContext, PricedPhase } from "../billing/context.ts";
import { toContext } from "../billing/context.ts";
import { type ContractContextRow, contractContexts } from "../billing/queries.ts";
import { evaluateCompiled } from "../plans/service.ts";
import { usageForPeriod } from "../usage/service.ts";
import { addOnOwner, baseOwner, phasesOfOwner, resolveAmendment } from "./amendments.ts";
import { grantsOf } from "./queries.ts";
import { creditBalances, quoteContract, quotePeriod } from "./service.ts";

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
  const grants = await grantsOf(deps.db, tenantId, [contractId]);
  const changed = await changedContext(deps, tenantId, row, ctx, body);

  const measured = await measure(deps, tenantId, row.contract.customerId, quotedSlices(ctx, period));
  const total = totalUsage(
    measured.filter((slice) => slice.componentId === null).map((slice) => slice.usage),
    body.usage,
  );
  const changedPeriod = changed ? quotePeriod(changed.terms, now) : null;
  const changedSlices = changed && changedPeriod ? quotedSlices(changed, changedPeriod) : [];
  const changedMeasured = body.usage
    ? changedSlices.map((slice) => ({ ...slice, usage: {} }))
    : await measure(deps, tenantId, row.contract.customerId, changedSlices);

  /** Each slice's usage: measured over its own time range, or its share by days of the volumes typed in. */
  const price = (list: readonly MeasuredSlice[], days: number) => {
    const lines: ContractPeriodQuote["current"]["lines"] = [];
    // Credits carry from one slice to the next of the same component; each component draws its own grants.
    const left = new Map<string | null, Record<string, string>>();
    for (const slice of list) {
      const credits = {
        ...(left.get(slice.componentId) ??
          creditBalances(
            grants.filter((grant) => grant.componentId === slice.componentId),
            now,
          )),
      };
      const output = runEngine(slice.plan, {
        usage: body.usage ? apportion(total, slice.daysServed, days) : slice.usage,
        params: slice.params,
        credits,
        proration: slice.proration,
      });
      for (const [pool, state] of Object.entries(output.credits)) credits[pool] = state.closing;
      left.set(slice.componentId, credits);
      for (const line of output.lines) {
        lines.push({
          nodeId: line.nodeId,
          description: line.description,
          timing: line.timing,
          quantity: line.quantity,
          amount: line.amount,
          phase: slice.label,
          componentId: slice.componentId,
        });
      }
    }
    const sum = lines.reduce((acc, l) => acc.plus(l.amount), new Decimal(0));
    return { lines, total: fixed(sum, ctx.plan.minorUnits) };
  };

  try {
    const current = price(measured, period.daysServed);
    const after = changedPeriod ? price(changedMeasured, changedPeriod.daysServed) : null;
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

/** The contract with the change asked about applied (to its base plan, its end, or one add-on), or null. */
async function changedContext(
  deps: BillingDeps,
  tenantId: string,
  row: ContractContextRow,
  ctx: ContractContext,
  body: ContractQuoteQuestion,
): Promise<ContractContext | null> {
  if (!body.amendment && !body.endDate) return null;
  const component = body.addOnId ? (row.addOns ?? []).find((a) => a.id === body.addOnId) : undefined;
  if (body.addOnId && !component) {
    throw validationFailed([{ path: "$.addOnId", message: `the contract has no add-on ${body.addOnId}` }]);
  }
  if (body.amendment) {
    const owner = component ? addOnOwner(row.contract, component) : baseOwner(row.contract);
    const rows = component ? (component.phases ?? []) : row.phases;
    const resolved = await resolveAmendment(
      deps.db,
      tenantId,
      owner,
      phasesOfOwner(owner, rows),
      body.amendment,
    ).catch((error) => {
      throw prefixed(error, "$.amendment");
    });
    const added: PricedPhase = {
      effectiveDate: resolved.effectiveDate,
      planVersion: resolved.planVersion,
      plan: resolved.plan,
      params: resolved.paramOverrides,
    };
    const withPhase = (phases: PricedPhase[]) =>
      [...phases.filter((p) => p.effectiveDate !== added.effectiveDate), added].sort((a, b) =>
        a.effectiveDate < b.effectiveDate ? -1 : 1,
      );
    if (!component) return { ...ctx, phases: withPhase(ctx.phases) };
    return {
      ...ctx,
      addOns: ctx.addOns.map((a) => (a.id === component.id ? { ...a, phases: withPhase(a.phases) } : a)),
    };
  }
  const endDate = body.endDate as string;
  const start = component ? component.startDate : row.contract.startDate;
  if (endDate < start) {
    throw validationFailed([
      {
        path: "$.endDate",
        message: `must not be before the ${component ? "add-on" : "contract"}'s start date`,
      },
    ]);
  }
  if (!component) return { ...ctx, terms: { ...ctx.terms, endDate } };
  if (row.contract.endDate && endDate > row.contract.endDate) {
    throw validationFailed([{ path: "$.endDate", message: "must not be after the contract's last day" }]);
  }
  return { ...ctx, addOns: ctx.addOns.map((a) => (a.id === component.id ? { ...a, endDate } : a)) };
}

/** A part of the period to price: a phase of the base plan or of an add-on, with its usage once measured. */
interface MeasuredSlice {
  componentId: string | null;
  plan: PricedPhase["plan"];
  params: Record<string, string>;
  proration: string;
  daysServed: number;
  label: string | null;
  start: Date;
  end: Date;
  usage: Usage;
}

/** The period's slices as billing prices them: the base plan's phases, then each add-on's (see billing/). */
export function quotedSlices(ctx: ContractContext, period: Period): MeasuredSlice[] {
  return [
    ...sliceByPhases(period, ctx.phases, ctx.terms.timezone).map((slice) => ({
      componentId: null,
      plan: slice.phase.plan,
      params: slice.phase.params,
      proration: slice.proration,
      daysServed: slice.daysServed,
      label: slice.split ? sliceLabel(slice) : null,
      start: slice.start,
      end: slice.end,
      usage: {},
    })),
    ...addOnParts(ctx, period).map((part) => ({
      componentId: part.addOn.id,
      plan: part.phase.plan,
      params: part.phase.params,
      proration: part.proration,
      daysServed: part.daysServed,
      label: part.label,
      start: part.start,
      end: part.end,
      usage: {},
    })),
  ];
}

/** Each slice with the usage measured over its own time range. */
export function measure(
  deps: Pick<BillingDeps, "db">,
  tenantId: string,
  customerId: string,
  slices: readonly MeasuredSlice[],
): Promise<MeasuredSlice[]> {
  return Promise.all(
    slices.map(async (slice) => {
      const usage = await usageForPeriod(deps.db, tenantId, {
        customerIds: [customerId],
        from: slice.start,
        to: slice.end,
        metrics: slice.plan.metrics,
      });
      return { ...slice, usage: usage.get(customerId) ?? {} };
    }),
  );
}

/**
 * GET /v1/contracts/:id/quote: the engine's output for the base plan's current period so far (the phase in effect
 * today prices it), and beside it each add-on's part of the period priced as billing prices it.
 */
export async function quoteWithAddOns(deps: BillingDeps, tenantId: string, contractId: string) {
  const base = await quoteContract(deps, tenantId, contractId);
  const [row] = await contractContexts(deps.db, tenantId, [contractId]);
  const ctx = toContext(deps.billing, tenantId, row);
  const now = deps.clock();
  const period = quotePeriod(ctx.terms, now);
  const grants = await grantsOf(deps.db, tenantId, [contractId]);
  const parts = (await measure(deps, tenantId, row.contract.customerId, quotedSlices(ctx, period))).filter(
    (slice) => slice.componentId !== null,
  );
  const left = new Map<string, Record<string, string>>();
  const addOns = parts.map((slice) => {
    const componentId = slice.componentId as string;
    const credits = {
      ...(left.get(componentId) ??
        creditBalances(
          grants.filter((grant) => grant.componentId === componentId),
          now,
        )),
    };
    const output = evaluateCompiled(
      slice.plan,
      { usage: slice.usage, params: slice.params, credits, proration: slice.proration },
      { explain: true, values: false },
    );
    for (const [pool, state] of Object.entries(output.credits)) credits[pool] = state.closing;
    left.set(componentId, credits);
    const addOn = row.addOns?.find((a) => a.id === componentId);
    const version = ctx.addOns
      .find((a) => a.id === componentId)
      ?.phases.find((p) => p.plan === slice.plan)?.planVersion;
    return {
      componentId,
      planId: addOn?.planId ?? "",
      planVersion: version ?? addOn?.planVersion ?? 0,
      phase: slice.label,
      lines: output.lines,
      total: output.total,
    };
  });
  const totalWithAddOns = fixed(
    addOns.reduce((sum, a) => sum.plus(a.total), new Decimal(base.total)),
    ctx.plan.minorUnits,
  );
  return { ...base, addOns, totalWithAddOns };
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
