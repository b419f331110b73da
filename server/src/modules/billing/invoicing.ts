import type { CompiledPlan } from "@pricegraph/engine";
import { Decimal } from "@pricegraph/engine";
import {
  type Period,
  periodAfter,
  periodStartingAt,
  periodsEndedBy,
  phaseOn,
  sliceByPhases,
  sliceLabel,
} from "@pricegraph/shared";
import { sql } from "drizzle-orm";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import type { InvoiceKind } from "../../db/schema/index.ts";
import { lockContracts } from "../contracts/queries.ts";
import type { LedgerRow } from "../credits/queries.ts";
import { grantsOfAddOns, grantsOfContracts, priorDraws } from "../credits/service.ts";
import type { InvoiceLineRow, InvoiceRow } from "../invoices/queries.ts";
import {
  billedAdvanceLines,
  billedLinesFor,
  billingSettingsOf,
  contractsWithDrafts,
  createInvoices,
  type InvoiceRows,
  invoicedPeriodStarts,
  periodsWithLateEvents,
} from "../invoices/service.ts";
import { usageForPeriod } from "../usage/service.ts";
import { accountUsageFor } from "./accounts.ts";
import {
  addOnAdvanceBilledEarlier,
  addOnParts,
  addOnSlice,
  copyAddOnGrants,
  slicesByComponent,
} from "./add-ons.ts";
import {
  type ComputedInvoice,
  type ComputedLine,
  computeAdjustmentInvoice,
  computeAdjustments,
  computeAdvanceTrueUp,
  computeInvoice,
  type GrantBalance,
  lastDay,
  type PricedSlice,
  type Usage,
} from "./compute.ts";
import { consolidatedRows, consolidationGroups, inStepPeriods } from "./consolidation.ts";
import { type BillingDeps, type ContractContext, toContext } from "./context.ts";
import { contractContexts, siblingContractIds } from "./queries.ts";

/**
 * The billing orchestrator: for each contract, the periods due, their usage, the engine's lines, and the rows
 * handed to invoices/ (which stores them) and credits/ (which keeps the ledger). It calls those modules; they
 * never call back.
 */

/** Usage of many contracts over time ranges, one grouped query per distinct range and metric set. */
export async function usageFor(
  db: Db,
  tenantId: string,
  items: readonly { ctx: ContractContext; start: Date; end: Date; plan: CompiledPlan }[],
): Promise<Usage[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = `${item.start.getTime()}|${item.end.getTime()}|${JSON.stringify(item.plan.metrics)}`;
    const list = groups.get(key);
    if (list) list.push(index);
    else groups.set(key, [index]);
  });
  const out: Usage[] = items.map(() => ({}));
  for (const list of groups.values()) {
    const { start, end, plan } = items[list[0]];
    const usage = await usageForPeriod(db, tenantId, {
      customerIds: [...new Set(list.map((i) => items[i].ctx.row.contract.customerId))],
      from: start,
      to: end,
      metrics: plan.metrics,
    });
    for (const i of list) out[i] = usage.get(items[i].ctx.row.contract.customerId) ?? {};
  }
  return out;
}

/** A period cut at the contract's phase changes, each slice priced by its own phase. */
function phaseSlices(ctx: ContractContext, period: Period) {
  return sliceByPhases(period, ctx.phases, ctx.terms.timezone);
}

/**
 * The slices of each contract-period with the usage of their own time range (one slice per period that no
 * phase change splits, so an unamended contract costs what it always did: one usage query per period).
 */
export async function pricedSlices(
  db: Db,
  tenantId: string,
  items: readonly { ctx: ContractContext; period: Period }[],
): Promise<PricedSlice[][]> {
  const parts = items.map(({ ctx, period }) => phaseSlices(ctx, period));
  const addOns = items.map(({ ctx, period }) => addOnParts(ctx, period));
  const requests = items.flatMap(({ ctx }, i) => [
    ...parts[i].map((slice) => ({ ctx, start: slice.start, end: slice.end, plan: slice.phase.plan })),
    ...addOns[i].map((part) => ({ ctx, start: part.start, end: part.end, plan: part.phase.plan })),
  ]);
  const usage = await usageFor(db, tenantId, requests);
  const accounts = await accountUsageFor(db, tenantId, requests);
  let k = 0;
  return parts.map((slices, i) => [
    ...slices.map((slice) => ({
      plan: slice.phase.plan,
      params: slice.phase.params,
      proration: slice.proration,
      usage: usage[k],
      accountUsage: accounts[k++],
      label: slice.split ? sliceLabel(slice) : null,
    })),
    ...addOns[i].map((part) => ({ ...addOnSlice(part, usage[k]), accountUsage: accounts[k++] })),
  ]);
}

/** The next period's slices, for its advance lines (no usage), or none when the contract ends first. */
export function advanceSlices(ctx: ContractContext, period: Period): PricedSlice[] {
  const next = periodAfter(ctx.terms, period);
  if (!next) return [];
  return [
    ...phaseSlices(ctx, next).map((slice) => ({
      plan: slice.phase.plan,
      params: slice.phase.params,
      proration: slice.proration,
      usage: {},
      label: slice.split ? sliceLabel(slice) : null,
    })),
    // An add-on starting in the next period bills that period's advance lines on its own first invoice.
    ...addOnParts(ctx, next)
      .filter((part) => !part.firstPeriod)
      .map((part) => addOnSlice(part, {})),
  ];
}

/**
 * Adjustment lines for `period`'s advance fees, billed on an earlier invoice, when an amendment re-priced them
 * (only an amended contract or add-on can have any; see docs/contracts.md). Each component (the base plan, each
 * add-on) is compared with its own billed lines.
 */
export async function advanceAdjustments(
  db: Db,
  tenantId: string,
  ctx: ContractContext,
  period: Period,
  exceptInvoice?: string,
): Promise<ComputedLine[]> {
  const out: ComputedLine[] = [];
  if (ctx.phases.length > 1 && period.index > 0) {
    const slices = phaseSlices(ctx, period).map((slice) => ({
      plan: slice.phase.plan,
      params: slice.phase.params,
      proration: slice.proration,
      usage: {},
      label: null,
    }));
    out.push(...(await advanceTrueUp(db, tenantId, ctx, period, slices, null, exceptInvoice)));
  }
  for (const addOn of ctx.addOns) {
    if (!addOnAdvanceBilledEarlier(ctx, addOn, period)) continue;
    const slices = addOnParts({ ...ctx, addOns: [addOn] }, period).map((part) => ({
      ...addOnSlice(part, {}),
      label: null,
    }));
    const lines = await advanceTrueUp(db, tenantId, ctx, period, slices, addOn.id, exceptInvoice);
    out.push(...lines.map((line) => ({ ...line, componentId: addOn.id })));
  }
  return out;
}

async function advanceTrueUp(
  db: Db,
  tenantId: string,
  ctx: ContractContext,
  period: Period,
  slices: PricedSlice[],
  componentId: string | null,
  exceptInvoice: string | undefined,
): Promise<ComputedLine[]> {
  const contractId = ctx.row.contract.id;
  const billed = await billedAdvanceLines(db, tenantId, contractId, period.start, exceptInvoice, componentId);
  return computeAdvanceTrueUp({
    period,
    slices,
    billed: billed.map((b) => ({
      nodeId: b.nodeId,
      amount: new Decimal(b.amount),
      unrounded: new Decimal(b.amount),
      quantity: null,
    })),
  });
}

/** Late-event adjustments followed by advance-fee adjustments (which draw no credit). */
export function withAdvanceAdjustments(
  adjustments: { lines: ComputedLine[]; draws: ComputedInvoice["draws"][number][][] } | undefined,
  advance: ComputedLine[],
): { lines: ComputedLine[]; draws: Omit<ComputedInvoice["draws"][number], "lineIndex">[][] } | undefined {
  if (advance.length === 0) return adjustments;
  return {
    lines: [...(adjustments?.lines ?? []), ...advance],
    draws: [...(adjustments?.draws ?? []), ...advance.map(() => [])],
  };
}

/**
 * Adjustments for every finalized period of a contract that received late events: per component (the base plan,
 * then each add-on serving the period), its recomputation against its own billed lines, drawing on its own grants
 * (`grants` the base plan's, `addOnGrants` each add-on's, lowered in place).
 */
export async function lateAdjustments(
  db: Db,
  tenantId: string,
  ctx: ContractContext,
  periodStarts: readonly Date[],
  grants: GrantBalance[],
  billedAt: Date,
  exceptInvoice?: string,
  addOnGrants?: ReadonlyMap<string, GrantBalance[]>,
): Promise<{ lines: ComputedLine[]; draws: ComputedInvoice["draws"][number][][] } | undefined> {
  const lines: ComputedLine[] = [];
  const draws: Omit<ComputedInvoice["draws"][number], "lineIndex">[][] = [];
  for (const start of periodStarts) {
    const period = periodStartingAt(ctx.terms, start);
    if (!period) continue;
    const priced = (await pricedSlices(db, tenantId, [{ ctx, period }]))[0];
    for (const [componentId, slices] of slicesByComponent(priced)) {
      const billed = await billedLinesFor(
        db,
        tenantId,
        ctx.row.contract.id,
        period.start,
        exceptInvoice,
        componentId,
      );
      const drawnBefore = await priorDraws(
        db,
        tenantId,
        billed.map((b) => b.id),
      );
      const result = computeAdjustments({
        period,
        slices,
        billed: billed.map((b) => ({
          nodeId: b.nodeId,
          amount: new Decimal(b.amount),
          unrounded: new Decimal(b.unrounded),
          quantity: b.quantity === null ? null : new Decimal(b.quantity),
        })),
        drawnBefore,
        grants: componentId === null ? grants : (addOnGrants?.get(componentId) ?? []),
        billedAt,
      });
      lines.push(...result.lines.map((line) => (componentId ? { ...line, componentId } : line)));
      draws.push(...result.draws);
    }
  }
  return lines.length ? { lines, draws: draws as ComputedInvoice["draws"][number][][] } : undefined;
}

export interface PersistableInvoice {
  ctx: ContractContext;
  period: Period;
  computed: ComputedInvoice;
  /** "period" unless said otherwise. */
  kind?: InvoiceKind;
}

/**
 * The "period" an adjustment invoice carries: empty, at the contract's end (after its last period), so that
 * listing invoices by period puts it last and it never takes a period's place.
 */
export function closingPeriod(last: Period): Period {
  return {
    ...last,
    index: last.index + 1,
    start: last.end,
    startDate: last.endDate,
    periodStartDate: last.endDate,
    daysServed: 0,
    proration: "0",
  };
}

/** Rows for an invoice and its lines and credit draws. */
export function invoiceRows(
  deps: Pick<Deps, "ids">,
  tenantId: string,
  item: PersistableInvoice,
  meta: { id?: string; runId: string | null; usageComputedAt: Date; now: Date },
): InvoiceRows {
  const { ctx, period, computed } = item;
  const { contract } = ctx.row;
  const id = meta.id ?? deps.ids("inv");
  const kind = item.kind ?? "period";
  const lines = computed.lines.map(
    (line, position): InvoiceLineRow => ({
      id: deps.ids("invl"),
      tenantId,
      invoiceId: id,
      contractId: contract.id,
      componentId: line.componentId ?? null,
      position,
      kind: line.kind,
      nodeId: line.nodeId,
      description: line.description,
      product: line.product,
      timing: line.timing,
      quantity: line.quantity,
      amount: line.amount,
      unrounded: line.unrounded,
      servicePeriodStart: line.servicePeriod.start,
      servicePeriodEnd: line.servicePeriod.end,
      servicePeriodStartDate: line.servicePeriod.startDate,
      servicePeriodEndDate: line.servicePeriod.endDate,
      explanation: line.explanation,
      accounts: line.accounts ?? [],
    }),
  );
  const ledger = computed.draws.map(
    (draw): LedgerRow => ({
      id: deps.ids("cl"),
      tenantId,
      contractId: contract.id,
      grantId: draw.grantId,
      pool: draw.pool,
      kind: draw.amount.isNegative() ? "reversal" : "drawdown",
      amount: draw.amount.negated().toString(),
      invoiceId: id,
      invoiceLineId: lines[draw.lineIndex].id,
      createdAt: meta.now,
    }),
  );
  const invoice: InvoiceRow = {
    id,
    tenantId,
    contractId: contract.id,
    customerId: contract.customerId,
    planId: contract.planId,
    planVersion: phaseOn(ctx.phases, lastDay(period)).planVersion,
    currency: ctx.plan.currency,
    periodStart: period.start,
    periodEnd: period.end,
    periodStartDate: period.startDate,
    periodEndDate: period.endDate,
    periodIndex: period.index,
    proration: period.proration,
    status: "draft",
    number: null,
    total: computed.total,
    creditedAmount: "0",
    amountDue: computed.total,
    usage: computed.inputs,
    usageComputedAt: meta.usageComputedAt,
    billingRunId: meta.runId,
    createdAt: meta.now,
    updatedAt: meta.now,
    finalizedAt: null,
    voidedAt: null,
    kind,
  };
  return { invoice, contractIds: [contract.id], lines, ledger };
}

/**
 * Of the contracts that have ended, those with late events on a finalized period and no draft invoice: a draft
 * would take the adjustments when it is refreshed, and it is never billed twice.
 */
async function endedWithLateEvents(
  tx: Db,
  tenantId: string,
  ended: { ctx: ContractContext; last: Period }[],
): Promise<{ ctx: ContractContext; last: Period }[]> {
  if (ended.length === 0) return [];
  const ids = ended.map((e) => e.ctx.row.contract.id);
  const late = new Set((await periodsWithLateEvents(tx, tenantId, ids)).map((l) => l.contractId));
  if (late.size === 0) return [];
  const drafts = await contractsWithDrafts(tx, tenantId, [...late]);
  return ended.filter((e) => late.has(e.ctx.row.contract.id) && !drafts.has(e.ctx.row.contract.id));
}

/** A contract billing skipped, and why (named on the run; the next run tries it again). */
export interface BillingFailure {
  contractId: string;
  message: string;
}

/** Plain decimal text with at most this many integer digits: what an invoice may store. */
const MAX_INTEGER_DIGITS = 30;
const STORABLE = new RegExp(`^-?\\d{1,${MAX_INTEGER_DIGITS}}(\\.\\d+)?$`);

/**
 * Refuses a computation whose numbers no invoice should hold (exponent notation, more than 10^30): thrown inside
 * the contract's own try, so that contract is skipped and reported instead of failing the batch's insert.
 */
function requireStorable(computed: ComputedInvoice): ComputedInvoice {
  const numbers = [
    computed.total,
    ...computed.lines.flatMap((l) => [l.amount, l.unrounded, l.quantity ?? "0"]),
  ];
  const bad = numbers.find((n) => !STORABLE.test(n));
  if (bad !== undefined) throw new Error(`an amount is out of range (${bad.slice(0, 40)}…)`);
  return computed;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * Invoices every period of the given contracts that ended by `asOf` and has no invoice yet, oldest first.
 * Each round is one transaction holding the contracts' advisory locks, so overlapping runs and other server
 * processes never bill a contract-period twice nor spend a credit twice; the unique keys back this up.
 *
 * When the tenant consolidates invoices per customer, each round also takes (and locks) the other contracts of
 * the same customers, bills a customer's contracts in step and puts those whose periods coincide on one invoice.
 *
 * A contract whose evaluation fails (a plan that cannot be evaluated for a period, or any error its numbers
 * raise, such as a decimal out of range) is left unbilled and reported; the rest of the batch is billed.
 * Between contracts the loop lets the event loop run (`billing.breathe`) so the API stays responsive.
 */
export async function invoiceContracts(
  deps: BillingDeps,
  caller: Caller,
  contractIds: readonly string[],
  asOf: Date,
  runId: string | null = null,
): Promise<{ created: number; failures: BillingFailure[] }> {
  const { tenantId } = caller;
  const { timings } = deps.billing;
  let created = 0;
  const failures = new Map<string, string>();
  const report = () => [...failures].map(([contractId, message]) => ({ contractId, message }));
  let sliceStart = performance.now();
  const breathe = async () => {
    if (performance.now() - sliceStart < deps.billing.breatheEveryMs) return;
    await deps.billing.breathe();
    sliceStart = performance.now();
  };
  for (;;) {
    const round = await deps.db.transaction(async (txn) => {
      const tx = txn as Db;
      // Usage queries take arrays of customer ids and period bounds as parameters; a generic plan chosen after
      // a few executions of the prepared statement may scan every event, so plan each one for its values.
      await tx.execute(sql`SET LOCAL plan_cache_mode = force_custom_plan`);
      // Read in the round's transaction: a change of the setting applies from the next round's invoices on.
      const consolidate = (await billingSettingsOf(tx, tenantId)).invoiceConsolidation === "per_customer";
      const billed = consolidate ? await siblingContractIds(tx, tenantId, contractIds) : contractIds;
      await lockContracts(tx, billed);
      const contexts: ContractContext[] = [];
      for (const row of await contractContexts(tx, tenantId, billed)) {
        if (failures.has(row.contract.id)) continue;
        try {
          contexts.push(toContext(deps.billing, tenantId, row));
        } catch (error) {
          failures.set(row.contract.id, messageOf(error));
        }
      }
      const existing = await invoicedPeriodStarts(tx, tenantId, billed);
      let pending: { ctx: ContractContext; period: Period }[] = [];
      // Contracts that have ended with every period invoiced: late events can only go on an adjustment invoice.
      const ended: { ctx: ContractContext; last: Period }[] = [];
      let more = false;
      for (const ctx of contexts) {
        const done = existing.get(ctx.row.contract.id);
        const over = periodsEndedBy(ctx.terms, asOf);
        const due = over.filter((p) => !done?.has(p.start.getTime()));
        if (due.length) pending.push({ ctx, period: due[0] });
        if (due.length > 1) more = true;
        const last = over.at(-1);
        if (due.length === 0 && last?.last) ended.push({ ctx, last });
        await breathe();
      }
      if (consolidate) {
        const inStep = inStepPeriods(pending);
        pending = inStep.now;
        if (inStep.waiting) more = true;
      }
      const closing = await endedWithLateEvents(tx, tenantId, ended);
      if (pending.length === 0 && closing.length === 0) return { created: 0, more: false };
      const ids = [...pending, ...closing].map((p) => p.ctx.row.contract.id);
      const usageComputedAt = deps.clock();

      let t = performance.now();
      const grants = await grantsOfContracts(tx, tenantId, ids);
      const addOnGrants = [...pending, ...closing].some((p) => p.ctx.addOns.length)
        ? await grantsOfAddOns(tx, tenantId, ids)
        : new Map<string, GrantBalance[]>();
      const late = await periodsWithLateEvents(tx, tenantId, ids);
      const slices = await pricedSlices(tx, tenantId, pending);
      timings.aggregateMs += performance.now() - t;

      t = performance.now();
      const invoices: PersistableInvoice[] = [];
      for (const [index, { ctx, period }] of pending.entries()) {
        const contractId = ctx.row.contract.id;
        // Draws lower balances in place: a failed contract must leave its grants as they were.
        const contractGrants = (grants.get(contractId) ?? []).map((g) => ({ ...g }));
        const ownAddOnGrants = copyAddOnGrants(ctx, addOnGrants);
        try {
          const lateStarts = late.filter((l) => l.contractId === contractId).map((l) => l.periodStart);
          const lateLines = lateStarts.length
            ? await lateAdjustments(
                tx,
                tenantId,
                ctx,
                lateStarts,
                contractGrants,
                period.end,
                undefined,
                ownAddOnGrants,
              )
            : undefined;
          const computed = computeInvoice({
            period,
            next: periodAfter(ctx.terms, period),
            slices: slices[index],
            nextSlices: advanceSlices(ctx, period),
            grants: contractGrants,
            addOnGrants: ownAddOnGrants,
            adjustments: withAdvanceAdjustments(
              lateLines,
              await advanceAdjustments(tx, tenantId, ctx, period),
            ),
          });
          invoices.push({ ctx, period, computed: requireStorable(computed) });
        } catch (error) {
          failures.set(contractId, `period ${period.startDate}: ${messageOf(error)}`);
          more = true;
        }
        await breathe();
      }
      for (const { ctx, last } of closing) {
        const contractId = ctx.row.contract.id;
        const lateStarts = late.filter((l) => l.contractId === contractId).map((l) => l.periodStart);
        try {
          const adjustments = await lateAdjustments(
            tx,
            tenantId,
            ctx,
            lateStarts,
            (grants.get(contractId) ?? []).map((g) => ({ ...g })),
            asOf,
            undefined,
            copyAddOnGrants(ctx, addOnGrants),
          );
          // Late events that change nothing billed (e.g. within the free units) make no invoice.
          if (!adjustments) continue;
          const computed = requireStorable(computeAdjustmentInvoice(ctx.plan, adjustments));
          invoices.push({ ctx, period: closingPeriod(last), computed, kind: "adjustment" });
        } catch (error) {
          failures.set(contractId, `adjustments after ${last.endDate}: ${messageOf(error)}`);
        }
        await breathe();
      }
      timings.evaluateMs += performance.now() - t;

      t = performance.now();
      const now = deps.clock();
      const meta = { runId, usageComputedAt, now };
      const rows = consolidate
        ? consolidationGroups(invoices).map((members) => consolidatedRows(deps, tenantId, members, meta))
        : invoices.map((item) => invoiceRows(deps, tenantId, item, meta));
      timings.rowsMs += performance.now() - t;
      const step = performance.now();
      const inserted = await createInvoices(deps, tx, caller, rows);
      timings.invoicesMs += performance.now() - step;
      timings.persistMs += performance.now() - t;
      return { created: inserted.size, more };
    });
    created += round.created;
    if (!round.more) return { created, failures: report() };
  }
}
