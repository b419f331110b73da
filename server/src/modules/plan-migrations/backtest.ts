import { type CompiledPlan, Decimal } from "@pricegraph/engine";
import { type ContractTerms, type Period, periodStartingAt } from "@pricegraph/shared";
import type { BacktestContract, BacktestResult } from "@pricegraph/shared/api";
import type { Usage } from "../billing/compute.ts";
import type { BillingDeps } from "../billing/context.ts";
import { chargesByServicePeriod, latestInvoicedPeriods } from "../invoices/period-history.ts";
import { usageForPeriod } from "../usage/service.ts";
import type { PlanContractRow } from "./queries.ts";
import { money, overridesFor, periodPrice, storedUsageFor } from "./reprice.ts";

/**
 * The backtest: each contract's latest closed, invoiced periods re-priced on a target plan from the usage their
 * invoices stored, against what those periods were billed. Contracts go in batches of `BATCH` (three queries a
 * batch); usage is read from the events only for periods whose stored usage lacks a metric the target reads.
 */

const BATCH = 1000;

interface PendingPeriod {
  period: Period;
  usage: Usage | null;
  invoiced: Decimal;
}

export interface BacktestTarget {
  plan: CompiledPlan;
  /** The version re-priced on, or null for a draft document. */
  version: number | null;
}

type Skipped = BacktestResult["skipped"][number];

export async function backtestContracts(
  deps: BillingDeps,
  tenantId: string,
  planId: string,
  target: BacktestTarget,
  contracts: readonly PlanContractRow[],
  periodCount: number,
): Promise<BacktestResult> {
  const started = performance.now();
  const { plan } = target;
  const results: BacktestContract[] = [];
  const skipped: Skipped[] = [];
  const now = deps.clock();
  let sliceStart = performance.now();
  const breathe = async () => {
    if (performance.now() - sliceStart < deps.billing.breatheEveryMs) return;
    await deps.billing.breathe();
    sliceStart = performance.now();
  };

  for (let i = 0; i < contracts.length; i += BATCH) {
    const batch = contracts.slice(i, i + BATCH);
    const ids = batch.map((c) => c.id);
    const invoiced = await latestInvoicedPeriods(deps.db, tenantId, ids, now, periodCount);
    const byContract = new Map<string, typeof invoiced>();
    for (const row of invoiced)
      byContract.set(row.contractId, [...(byContract.get(row.contractId) ?? []), row]);
    const pending = new Map<PlanContractRow, PendingPeriod[]>();
    let since: Date | null = null;
    for (const contract of batch) {
      const rows = byContract.get(contract.id) ?? [];
      if (rows.length === 0) {
        skipped.push({ contractId: contract.id, reason: "no closed period has been invoiced yet" });
        continue;
      }
      const other = rows.find((r) => r.currency !== plan.currency);
      if (other) {
        skipped.push({
          contractId: contract.id,
          reason: `invoiced in ${other.currency}, the plan prices in ${plan.currency}`,
        });
        continue;
      }
      const terms: ContractTerms = { ...contract };
      const periods: PendingPeriod[] = [];
      for (const row of rows) {
        const period = periodStartingAt(terms, row.periodStart);
        if (!period) continue; // the contract's dates changed since: this invoice is no period of it now
        periods.push({ period, usage: storedUsageFor(plan, row.usage), invoiced: new Decimal(0) });
        if (!since || period.start < since) since = period.start;
      }
      pending.set(contract, periods);
    }

    if (since) {
      const charges = await chargesByServicePeriod(deps.db, tenantId, ids, since);
      const billed = new Map(
        charges.map((c) => [
          `${c.contractId}|${c.servicePeriodStart.getTime()}`,
          new Decimal(c.amount).plus(c.drawn),
        ]),
      );
      for (const [contract, periods] of pending)
        for (const p of periods)
          p.invoiced = billed.get(`${contract.id}|${p.period.start.getTime()}`) ?? p.invoiced;
    }
    const fromEvents = await usageFromEvents(deps, tenantId, plan, pending);

    for (const [contract, periods] of pending) {
      const { params, dropped } = overridesFor(plan, contract.paramOverrides);
      try {
        let invoicedTotal = new Decimal(0);
        let repricedTotal = new Decimal(0);
        const lines = periods.map((p) => {
          const usage = p.usage ?? fromEvents.get(p) ?? {};
          const price = periodPrice(plan, { usage, params, period: p.period });
          invoicedTotal = invoicedTotal.plus(p.invoiced);
          repricedTotal = repricedTotal.plus(price);
          return {
            startDate: p.period.startDate,
            endDate: p.period.endDate,
            invoiced: money(p.invoiced, plan),
            repriced: money(price, plan),
            usage: p.usage ? ("stored" as const) : ("events" as const),
          };
        });
        results.push({
          contractId: contract.id,
          customerId: contract.customerId,
          customerName: contract.customerName,
          planVersion: contract.planVersion,
          periods: lines,
          invoiced: money(invoicedTotal, plan),
          repriced: money(repricedTotal, plan),
          delta: money(repricedTotal.minus(invoicedTotal), plan),
          droppedOverrides: dropped,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        skipped.push({
          contractId: contract.id,
          reason: `the plan cannot price it: ${message.slice(0, 300)}`,
        });
      }
      await breathe();
    }
  }

  const sum = (pick: (c: BacktestContract) => string) =>
    results.reduce((total, c) => total.plus(pick(c)), new Decimal(0));
  const invoicedSum = sum((c) => c.invoiced);
  const repricedSum = sum((c) => c.repriced);
  return {
    planId,
    version: target.version,
    currency: plan.currency,
    periods: periodCount,
    contracts: results,
    skipped,
    totals: {
      invoiced: money(invoicedSum, plan),
      repriced: money(repricedSum, plan),
      delta: money(repricedSum.minus(invoicedSum), plan),
    },
    tookMs: Math.round(performance.now() - started),
  };
}

/** Usage from the events for the periods whose stored usage does not fit the target: one query per period. */
async function usageFromEvents(
  deps: BillingDeps,
  tenantId: string,
  plan: CompiledPlan,
  pending: Map<PlanContractRow, PendingPeriod[]>,
): Promise<Map<PendingPeriod, Usage>> {
  const groups = new Map<string, { customerId: string; item: PendingPeriod }[]>();
  for (const [contract, periods] of pending) {
    for (const item of periods) {
      if (item.usage) continue;
      const key = `${item.period.start.getTime()}|${item.period.end.getTime()}`;
      const list = groups.get(key) ?? [];
      list.push({ customerId: contract.customerId, item });
      groups.set(key, list);
    }
  }
  const out = new Map<PendingPeriod, Usage>();
  for (const list of groups.values()) {
    const { period } = list[0].item;
    const usage = await usageForPeriod(deps.db, tenantId, {
      customerIds: [...new Set(list.map((l) => l.customerId))],
      from: period.start,
      to: period.end,
      metrics: plan.metrics,
    });
    for (const { customerId, item } of list) out.set(item, usage.get(customerId) ?? {});
  }
  return out;
}
