import { type CompiledPlan, compile, Decimal } from "@pricegraph/engine";
import {
  type ContractTerms,
  contractPeriods,
  type Period,
  type PlanDocument,
  periodAfter,
  periodStartingAt,
  periodsEndedBy,
} from "@pricegraph/shared";
import { sql } from "drizzle-orm";
import type { Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import type { InvoiceKind } from "../../db/schema/index.ts";
import { deleteDraftContent, updateDraft } from "../invoices/queries.ts";
import { usageForPeriod } from "../usage/service.ts";
import {
  BillingEvaluationError,
  type ComputedInvoice,
  type ComputedLine,
  computeAdjustmentInvoice,
  computeAdjustments,
  computeInvoice,
  type GrantBalance,
  type Usage,
} from "./compute.ts";
import {
  billedLinesFor,
  type ContractContextRow,
  contractContexts,
  contractsWithDrafts,
  drawsOfLines,
  grantBalances,
  type InvoiceLineRow,
  type InvoiceRow,
  insertInvoiceRows,
  insertLedgerRows,
  insertLineRows,
  invoicedPeriodStarts,
  type LedgerRow,
  lockContracts,
  periodsWithLateEvents,
} from "./queries.ts";

/** Published plan versions never change, so their compiled form is cached by tenant, plan and version. */
const compiled = new Map<string, CompiledPlan>();

export function compiledPlan(
  tenantId: string,
  planId: string,
  version: number,
  document: PlanDocument,
): CompiledPlan {
  const key = `${tenantId}\u0000${planId}\u0000${version}`;
  let plan = compiled.get(key);
  if (!plan) {
    const result = compile(document);
    if (!result.ok) throw new BillingEvaluationError(result.problems);
    if (compiled.size > 500) compiled.clear();
    plan = result.plan;
    compiled.set(key, plan);
  }
  return plan;
}

export interface ContractContext {
  row: ContractContextRow;
  plan: CompiledPlan;
  terms: ContractTerms;
}

export function toContext(tenantId: string, row: ContractContextRow): ContractContext {
  const { contract } = row;
  return {
    row,
    plan: compiledPlan(tenantId, contract.planId, contract.planVersion, row.document),
    terms: {
      startDate: contract.startDate,
      endDate: contract.endDate,
      billingPeriod: contract.billingPeriod,
      timezone: row.timezone,
    },
  };
}

export function grantStates(rows: Awaited<ReturnType<typeof grantBalances>>): Map<string, GrantBalance[]> {
  const out = new Map<string, GrantBalance[]>();
  for (const row of rows) {
    let list = out.get(row.contractId);
    if (!list) {
      list = [];
      out.set(row.contractId, list);
    }
    list.push({
      id: row.id,
      pool: row.pool,
      position: row.position,
      expiresAt: row.expiresAt,
      balance: new Decimal(row.balance),
    });
  }
  return out;
}

/** Timings of the phases, accumulated over calls (the benchmark prints them). */
export const billingTimings = {
  aggregateMs: 0,
  evaluateMs: 0,
  persistMs: 0,
  rowsMs: 0,
  invoicesMs: 0,
  linesMs: 0,
};

/** Usage of many contracts, one grouped query per distinct period and metric set. */
async function usageFor(
  db: Db,
  tenantId: string,
  items: readonly { ctx: ContractContext; period: Period }[],
): Promise<Map<ContractContext, Usage>> {
  const groups = new Map<string, { ctx: ContractContext; period: Period }[]>();
  for (const item of items) {
    const key = `${item.period.start.getTime()}|${item.period.end.getTime()}|${JSON.stringify(item.ctx.plan.metrics)}`;
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(item);
  }
  const out = new Map<ContractContext, Usage>();
  for (const list of groups.values()) {
    const { period, ctx } = list[0];
    const usage = await usageForPeriod(db, tenantId, {
      customerIds: list.map((i) => i.ctx.row.contract.customerId),
      from: period.start,
      to: period.end,
      metrics: ctx.plan.metrics,
    });
    for (const item of list) out.set(item.ctx, usage.get(item.ctx.row.contract.customerId) ?? {});
  }
  return out;
}

/** Adjustments for every finalized period of a contract that received late events. */
async function lateAdjustments(
  db: Db,
  tenantId: string,
  ctx: ContractContext,
  periodStarts: readonly Date[],
  grants: GrantBalance[],
  billedAt: Date,
  exceptInvoice?: string,
): Promise<{ lines: ComputedLine[]; draws: ComputedInvoice["draws"][number][][] } | undefined> {
  const lines: ComputedLine[] = [];
  const draws: Omit<ComputedInvoice["draws"][number], "lineIndex">[][] = [];
  for (const start of periodStarts) {
    const period = periodStartingAt(ctx.terms, start);
    if (!period) continue;
    const usage = (await usageFor(db, tenantId, [{ ctx, period }])).get(ctx) ?? {};
    const billed = await billedLinesFor(db, tenantId, ctx.row.contract.id, period.start, exceptInvoice);
    const drawn = await drawsOfLines(
      db,
      tenantId,
      billed.map((b) => b.id),
    );
    const result = computeAdjustments({
      plan: ctx.plan,
      params: ctx.row.contract.paramOverrides,
      period,
      usage,
      billed: billed.map((b) => ({
        nodeId: b.nodeId,
        amount: new Decimal(b.amount),
        unrounded: new Decimal(b.unrounded),
        quantity: b.quantity === null ? null : new Decimal(b.quantity),
      })),
      drawnBefore: drawn.map((d) => ({ ...d, amount: new Decimal(d.drawn) })),
      grants,
      billedAt,
    });
    lines.push(...result.lines);
    draws.push(...result.draws);
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
function closingPeriod(last: Period): Period {
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
  deps: Deps,
  tenantId: string,
  item: PersistableInvoice,
  meta: { id?: string; runId: string | null; usageComputedAt: Date; now: Date },
): { invoice: InvoiceRow; lines: InvoiceLineRow[]; ledger: LedgerRow[] } {
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
    planVersion: contract.planVersion,
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
  return { invoice, lines, ledger };
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

/**
 * Invoices every period of the given contracts that ended by `asOf` and has no invoice yet, oldest first.
 * Each round is one transaction holding the contracts' advisory locks, so overlapping runs and other server
 * processes never bill a contract-period twice nor spend a credit twice; the unique key backs this up.
 */
export async function invoiceContracts(
  deps: Deps,
  tenantId: string,
  contractIds: readonly string[],
  asOf: Date,
  runId: string | null = null,
): Promise<{ created: number; failures: { contractId: string; message: string }[] }> {
  let created = 0;
  // A contract whose plan cannot be evaluated for a period (e.g. a matrix group without a price) is left
  // unbilled and reported; the rest of the batch is billed. A later run tries it again.
  const failures = new Map<string, string>();
  const report = () => [...failures].map(([contractId, message]) => ({ contractId, message }));
  for (;;) {
    const round = await deps.db.transaction(async (tx) => {
      // Usage queries take arrays of customer ids and period bounds as parameters; a generic plan chosen after
      // a few executions of the prepared statement may scan every event, so plan each one for its values.
      await tx.execute(sql`SET LOCAL plan_cache_mode = force_custom_plan`);
      await lockContracts(tx, contractIds);
      const contexts = (await contractContexts(tx, tenantId, contractIds)).map((row) =>
        toContext(tenantId, row),
      );
      const existing = await invoicedPeriodStarts(tx, tenantId, contractIds);
      const pending: { ctx: ContractContext; period: Period }[] = [];
      // Contracts that have ended with every period invoiced: late events can only go on an adjustment invoice.
      const ended: { ctx: ContractContext; last: Period }[] = [];
      let more = false;
      for (const ctx of contexts) {
        if (failures.has(ctx.row.contract.id)) continue;
        const done = existing.get(ctx.row.contract.id);
        const over = periodsEndedBy(ctx.terms, asOf);
        const due = over.filter((p) => !done?.has(p.start.getTime()));
        if (due.length) pending.push({ ctx, period: due[0] });
        if (due.length > 1) more = true;
        const last = over.at(-1);
        if (due.length === 0 && last?.last) ended.push({ ctx, last });
      }
      const closing = await endedWithLateEvents(tx, tenantId, ended);
      if (pending.length === 0 && closing.length === 0) return { created: 0, more: false };
      const ids = [...pending, ...closing].map((p) => p.ctx.row.contract.id);
      const usageComputedAt = deps.clock();

      let t = performance.now();
      const grants = grantStates(await grantBalances(tx, tenantId, ids));
      const late = await periodsWithLateEvents(tx, tenantId, ids);
      const usage = await usageFor(tx, tenantId, pending);
      billingTimings.aggregateMs += performance.now() - t;

      t = performance.now();
      const invoices: PersistableInvoice[] = [];
      for (const { ctx, period } of pending) {
        try {
          const contractGrants = grants.get(ctx.row.contract.id) ?? [];
          const lateStarts = late
            .filter((l) => l.contractId === ctx.row.contract.id)
            .map((l) => l.periodStart);
          const adjustments = lateStarts.length
            ? await lateAdjustments(tx, tenantId, ctx, lateStarts, contractGrants, period.end)
            : undefined;
          const computed = computeInvoice({
            plan: ctx.plan,
            params: ctx.row.contract.paramOverrides,
            period,
            next: periodAfter(ctx.terms, period),
            usage: usage.get(ctx) ?? {},
            grants: contractGrants,
            adjustments,
          });
          invoices.push({ ctx, period, computed });
        } catch (error) {
          if (!(error instanceof BillingEvaluationError)) throw error;
          failures.set(ctx.row.contract.id, `${period.startDate}: ${error.message}`);
          more = true;
        }
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
            grants.get(contractId) ?? [],
            asOf,
          );
          // Late events that change nothing billed (e.g. within the free units) make no invoice.
          if (!adjustments) continue;
          const computed = computeAdjustmentInvoice(ctx.plan, adjustments);
          invoices.push({ ctx, period: closingPeriod(last), computed, kind: "adjustment" });
        } catch (error) {
          if (!(error instanceof BillingEvaluationError)) throw error;
          failures.set(contractId, `adjustments after ${last.endDate}: ${error.message}`);
        }
      }
      billingTimings.evaluateMs += performance.now() - t;

      t = performance.now();
      const now = deps.clock();
      const rows = invoices.map((item) => invoiceRows(deps, tenantId, item, { runId, usageComputedAt, now }));
      let step = performance.now();
      billingTimings.rowsMs += step - t;
      const inserted = await insertInvoiceRows(
        tx,
        rows.map((r) => r.invoice),
      );
      const kept = rows.filter((r) => inserted.has(r.invoice.id));
      billingTimings.invoicesMs += performance.now() - step;
      step = performance.now();
      await insertLineRows(
        tx,
        kept.flatMap((r) => r.lines),
      );
      billingTimings.linesMs += performance.now() - step;
      await insertLedgerRows(
        tx,
        kept.flatMap((r) => r.ledger),
      );
      billingTimings.persistMs += performance.now() - t;
      return { created: inserted.size, more };
    });
    created += round.created;
    if (!round.more) return { created, failures: report() };
  }
}

/**
 * Recomputes a draft invoice in place (caller holds the contract lock in `tx` and has checked it is a draft):
 * its lines and credit draws are replaced by those computed from the usage known now. A period invoice also
 * takes the adjustments of earlier late periods; an adjustment invoice is those adjustments only.
 */
export async function recomputeDraft(deps: Deps, tx: Db, invoice: InvoiceRow): Promise<InvoiceRow> {
  const { tenantId, contractId } = invoice;
  const [row] = await contractContexts(tx, tenantId, [contractId]);
  const ctx = toContext(tenantId, row);
  const adjustment = invoice.kind === "adjustment";
  const period = adjustment
    ? [...contractPeriods(ctx.terms)].at(-1)
    : periodStartingAt(ctx.terms, invoice.periodStart);
  if (!period || (adjustment && !period.last)) {
    throw new Error(`Invoice ${invoice.id} no longer matches a period of its contract`);
  }
  await deleteDraftContent(tx, tenantId, invoice.id);
  const usageComputedAt = deps.clock();
  const grants = grantStates(await grantBalances(tx, tenantId, [contractId])).get(contractId) ?? [];
  // Read after the draft's lines are deleted: its own adjustments must not count as already adjusted for.
  const late = (await periodsWithLateEvents(tx, tenantId, [contractId])).filter(
    (l) => adjustment || l.periodStart.getTime() < invoice.periodStart.getTime(),
  );
  const billedAt = adjustment ? usageComputedAt : period.end;
  const adjustments = late.length
    ? await lateAdjustments(
        tx,
        tenantId,
        ctx,
        late.map((l) => l.periodStart),
        grants,
        billedAt,
        invoice.id,
      )
    : undefined;
  const item: PersistableInvoice = adjustment
    ? {
        ctx,
        period: closingPeriod(period),
        computed: computeAdjustmentInvoice(ctx.plan, adjustments ?? { lines: [], draws: [] }),
        kind: "adjustment",
      }
    : {
        ctx,
        period,
        computed: computeInvoice({
          plan: ctx.plan,
          params: ctx.row.contract.paramOverrides,
          period,
          next: periodAfter(ctx.terms, period),
          usage: (await usageFor(tx, tenantId, [{ ctx, period }])).get(ctx) ?? {},
          grants,
          adjustments,
        }),
      };
  const now = deps.clock();
  const rows = invoiceRows(deps, tenantId, item, {
    id: invoice.id,
    runId: invoice.billingRunId,
    usageComputedAt,
    now,
  });
  const updated = await updateDraft(tx, tenantId, invoice.id, {
    total: rows.invoice.total,
    amountDue: rows.invoice.total,
    usage: rows.invoice.usage,
    usageComputedAt,
    updatedAt: now,
  });
  await insertLineRows(tx, rows.lines);
  await insertLedgerRows(tx, rows.ledger);
  return updated;
}

/** Every period of a contract up to and including the one holding `at` (for reports). */
export function periodsThrough(terms: ContractTerms, at: Date): Period[] {
  const out: Period[] = [];
  for (const period of contractPeriods(terms)) {
    if (period.start.getTime() > at.getTime()) break;
    out.push(period);
  }
  return out;
}
