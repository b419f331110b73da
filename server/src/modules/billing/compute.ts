import {
  type CompiledPlan,
  Decimal,
  type EvaluationOutput,
  evaluate,
  fixed,
  type InvoiceLineOutput,
} from "@pricegraph/engine";
import { addDays, formatLocalDate, type Period, type Problem } from "@pricegraph/shared";
import type { InvoiceLineAccount } from "../../db/schema/index.ts";
import {
  allocateDraws,
  type ComputedDraw,
  type CreditUse,
  type GrantBalance,
  type PriorDraw,
  poolBalances,
  returnSurplus,
  usableGrants,
} from "../credits/draws.ts";
import type { UsageValue } from "../usage/aggregate.ts";
import { type AccountUsageByMetric, splitLineByAccount } from "./accounts.ts";

/**
 * Turning one contract-period into invoice lines with the engine, pure: no I/O, no clock. Pricing stays in the
 * engine; this file only decides which lines an invoice carries and which credit grants pay for them.
 *
 * An invoice for period P carries P's `arrears` lines and P+1's `advance` lines (billed at P+1's start, which is
 * P's end). The contract's first invoice also carries P's own `advance` lines, since nothing billed them before.
 */

export type Usage = Record<string, UsageValue>;

/** An engine invoice line as billed: a charge of its period, or an adjustment of an earlier one. */
export interface ComputedLine extends InvoiceLineOutput {
  kind: "charge" | "adjustment";
  servicePeriod: Period;
  /** The line split by the child accounts whose usage it bills (account hierarchies); absent: none. */
  accounts?: InvoiceLineAccount[];
  /** The contract add-on whose plan priced the line; absent: the base plan. */
  componentId?: string;
}

export interface ComputedInvoice {
  lines: ComputedLine[];
  draws: ComputedDraw[];
  total: string;
  /** What the engine saw, stored with the invoice. */
  inputs: Record<string, unknown>;
}

export type { ComputedDraw, GrantBalance, PriorDraw };

export class BillingEvaluationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join("; "));
  }
}

export function hasAdvanceLines(plan: CompiledPlan): boolean {
  return plan.lines.some((line) => (line.data as { timing?: string }).timing === "advance");
}

/** Usage of nothing: what advance lines of a period that has not started are evaluated with. */
export function zeroUsage(plan: CompiledPlan): Usage {
  return Object.fromEntries(plan.metrics.map((m) => [m.key, m.groupBy?.length ? [] : "0"]));
}

export function runEngine(
  plan: CompiledPlan,
  input: { usage: Usage; params: Record<string, string>; credits: Record<string, string>; proration: string },
): EvaluationOutput {
  const result = evaluate(plan, input, { explain: true, values: false });
  if (!result.ok) throw new BillingEvaluationError(result.problems);
  return result.output;
}

/**
 * Credit drawn by the credits nodes each line's explanation walks through (each node counted once), rounded to
 * the currency's minor unit half up as lines are: the ledger never holds a fraction of the minor unit.
 */
export function creditsUsedByLines(
  plan: CompiledPlan,
  lines: readonly InvoiceLineOutput[],
  seen: Set<string> = new Set(),
): CreditUse[] {
  const out: CreditUse[] = [];
  lines.forEach((line, lineIndex) => {
    for (const entry of line.explanation) {
      if (entry.type !== "credits" || seen.has(entry.nodeId)) continue;
      seen.add(entry.nodeId);
      const applied = new Decimal(String(entry.outputs.applied ?? "0"))
        .negated()
        .toDecimalPlaces(plan.minorUnits, Decimal.ROUND_HALF_UP);
      if (applied.isZero()) continue;
      const pool = String(
        (plan.nodesById.get(entry.nodeId)?.data as { grant?: unknown } | undefined)?.grant ?? "",
      );
      out.push({ lineIndex, pool, amount: applied });
    }
  });
  return out;
}

function toLine(line: InvoiceLineOutput, period: Period, label: string | null): ComputedLine {
  const description = label ? `${line.description} (${label})` : line.description;
  return { ...line, description, kind: "charge", servicePeriod: period };
}

/**
 * One phase's part of a period, ready to price: its plan version and parameters, its share of the period
 * (proration) and the usage of its own time range. A period no phase change splits is one slice.
 */
export interface PricedSlice {
  plan: CompiledPlan;
  params: Record<string, string>;
  proration: string;
  usage: Usage;
  /** The slice's days when a phase change splits the period: its lines are labelled with them. */
  label: string | null;
  /** The slice's usage per child account, for customers with child accounts (its lines are split by it). */
  accountUsage?: AccountUsageByMetric;
  /**
   * A contract add-on's slice: its lines are tagged with the add-on and draw only its own grants (the base
   * plan's slices draw the contract's).
   */
  addOn?: { id: string };
  /** Whether this is the first period of what the slice prices (then its own advance lines are billed too). */
  firstPeriod?: boolean;
}

export interface InvoiceComputation {
  period: Period;
  /** The period after, or null when the contract ends with `period`. */
  next: Period | null;
  /** The period's slices with their usage. */
  slices: PricedSlice[];
  /** The next period's slices, for its advance lines (usage is not read: advance lines see none). */
  nextSlices: PricedSlice[];
  /** Every grant of the contract with its current balance; balances are lowered by what this invoice draws. */
  grants: GrantBalance[];
  /** The grants of each add-on (by its id), lowered in place like `grants`. */
  addOnGrants?: ReadonlyMap<string, GrantBalance[]>;
  /** Adjustment lines for earlier periods (late events, advance fees a phase change re-priced), computed. */
  adjustments?: { lines: ComputedLine[]; draws: Omit<ComputedDraw, "lineIndex">[][] };
}

const tagged = (line: ComputedLine, slice: PricedSlice): ComputedLine =>
  slice.addOn ? { ...line, componentId: slice.addOn.id } : line;

/** The lines, credit draws and total of the invoice closing `period`. */
export function computeInvoice(input: InvoiceComputation): ComputedInvoice {
  const { period, next } = input;
  const { minorUnits } = input.slices[0].plan;
  const lines: ComputedLine[] = [];
  const draws: ComputedDraw[] = [];
  const grantsNow = usableGrants(input.grants, period.end);
  const sliceInputs: Record<string, unknown>[] = [];
  const addOnInputs: Record<string, unknown>[] = [];

  for (const slice of input.slices) {
    const grants = slice.addOn
      ? usableGrants(input.addOnGrants?.get(slice.addOn.id) ?? [], period.end)
      : grantsNow;
    const credits = poolBalances(slice.plan.creditPools, grants, minorUnits);
    const current = runEngine(slice.plan, {
      usage: slice.usage,
      params: slice.params,
      credits,
      proration: slice.proration,
    });
    const billedNow = current.lines.filter(
      (l) => l.timing === "arrears" || (slice.firstPeriod ?? period.index === 0),
    );
    draws.push(...allocateDraws(creditsUsedByLines(slice.plan, billedNow), grants, lines.length, minorUnits));
    lines.push(
      ...billedNow.map((l) => {
        const line = tagged(toLine(l, period, slice.label), slice);
        const accounts = splitLineByAccount(slice.plan, l, slice.accountUsage);
        return accounts.length ? { ...line, accounts } : line;
      }),
    );
    const seen = { usage: slice.usage, params: slice.params, credits, proration: slice.proration };
    if (slice.addOn) addOnInputs.push({ addOn: slice.addOn.id, ...seen });
    else sliceInputs.push(seen);
  }

  const advanceInputs: Record<string, unknown>[] = [];
  for (const slice of next ? input.nextSlices : []) {
    if (!next || !hasAdvanceLines(slice.plan)) continue;
    const grants = slice.addOn
      ? usableGrants(input.addOnGrants?.get(slice.addOn.id) ?? [], period.end)
      : grantsNow;
    const credits = poolBalances(slice.plan.creditPools, grants, minorUnits);
    const upcoming = runEngine(slice.plan, {
      usage: zeroUsage(slice.plan),
      params: slice.params,
      credits,
      proration: slice.proration,
    });
    const advance = upcoming.lines.filter((l) => l.timing === "advance");
    draws.push(...allocateDraws(creditsUsedByLines(slice.plan, advance), grants, lines.length, minorUnits));
    lines.push(...advance.map((l) => tagged(toLine(l, next, slice.label), slice)));
    advanceInputs.push({ credits, proration: slice.proration });
  }

  if (input.adjustments) appendAdjustments(lines, draws, input.adjustments);

  // One slice keeps the shape invoices always had; a split period lists what each phase's evaluation saw.
  const inputs: Record<string, unknown> =
    sliceInputs.length === 1 ? { ...sliceInputs[0] } : { phases: sliceInputs };
  if (advanceInputs.length) inputs.advance = advanceInputs.length === 1 ? advanceInputs[0] : advanceInputs;
  if (addOnInputs.length) inputs.addOns = addOnInputs;
  return { lines, draws, total: totalOf(lines, minorUnits), inputs };
}

function appendAdjustments(
  lines: ComputedLine[],
  draws: ComputedDraw[],
  adjustments: NonNullable<InvoiceComputation["adjustments"]>,
) {
  adjustments.lines.forEach((line, i) => {
    const lineIndex = lines.length;
    lines.push(line);
    for (const draw of adjustments.draws[i] ?? []) draws.push({ ...draw, lineIndex });
  });
}

const totalOf = (lines: readonly ComputedLine[], minorUnits: number) =>
  fixed(
    lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0)),
    minorUnits,
  );

/**
 * An invoice of adjustment lines only: what a contract that has ended is billed for late events of its
 * finalized periods, there being no next period invoice to carry them.
 */
export function computeAdjustmentInvoice(
  plan: CompiledPlan,
  adjustments: NonNullable<InvoiceComputation["adjustments"]>,
): ComputedInvoice {
  const lines: ComputedLine[] = [];
  const draws: ComputedDraw[] = [];
  appendAdjustments(lines, draws, adjustments);
  const adjusted = [...new Set(lines.map((l) => l.servicePeriod.startDate))];
  return { lines, draws, total: totalOf(lines, plan.minorUnits), inputs: { adjustedPeriods: adjusted } };
}

/** What was billed for one period, per plan line (original lines plus earlier adjustments). */
export interface BilledLine {
  nodeId: string;
  amount: Decimal;
  unrounded: Decimal;
  quantity: Decimal | null;
}

/**
 * Adjustment lines for a period billed on a finalized invoice, from its recomputation with the usage known now:
 * per plan line, the difference between what it comes to now and what was billed. Lines that did not change
 * give nothing. `drawnBefore` is what that period's lines drew from each pool; the recomputation may draw more
 * (returned as extra draws per line) — it is given that credit back plus whatever the grants hold now.
 */
export function computeAdjustments(input: {
  period: Period;
  /** The period's slices (one per phase serving it) with the usage known now. */
  slices: PricedSlice[];
  billed: readonly BilledLine[];
  /** Credit the period's billed lines drew (net of returns), per grant and the node of the line. */
  drawnBefore: readonly PriorDraw[];
  /** Every grant of the contract: balances rise by returned credit and fall by extra draws, in place. */
  grants: GrantBalance[];
  billedAt: Date;
}): { lines: ComputedLine[]; draws: Omit<ComputedDraw, "lineIndex">[][] } {
  const { period } = input;
  const plan = input.slices[0].plan;
  const drawnBefore = new Map<string, Decimal>();
  for (const draw of input.drawnBefore)
    drawnBefore.set(draw.pool, (drawnBefore.get(draw.pool) ?? new Decimal(0)).plus(draw.amount));
  const grantsNow = usableGrants(input.grants, input.billedAt);
  const pools = [...new Set(input.slices.flatMap((slice) => slice.plan.creditPools))];
  const available = poolBalances(pools, grantsNow, plan.minorUnits);
  const credits = new Map<string, Decimal>();
  for (const pool of pools) {
    credits.set(pool, new Decimal(available[pool] ?? "0").plus(drawnBefore.get(pool) ?? 0));
  }
  // Each slice is recomputed with the credit the slices before it left; lines of the same plan line add up.
  const recomputed: InvoiceLineOutput[] = [];
  const uses: CreditUse[] = [];
  for (const slice of input.slices) {
    const output = runEngine(slice.plan, {
      usage: slice.usage,
      params: slice.params,
      credits: Object.fromEntries(
        slice.plan.creditPools.map((p) => [p, (credits.get(p) ?? new Decimal(0)).toString()]),
      ),
      proration: slice.proration,
    });
    const lines = output.lines.filter(
      (l) => l.timing === "arrears" || (slice.firstPeriod ?? period.index === 0),
    );
    const at = lines.map((line) => {
      const index = recomputed.findIndex((r) => r.nodeId === line.nodeId);
      if (index < 0) return recomputed.push(line) - 1;
      recomputed[index] = mergeLines(recomputed[index], line);
      return index;
    });
    for (const use of creditsUsedByLines(slice.plan, lines)) {
      uses.push({ ...use, lineIndex: at[use.lineIndex] });
      credits.set(use.pool, (credits.get(use.pool) ?? new Decimal(0)).minus(use.amount));
    }
  }
  const billed = new Map<string, BilledLine>();
  for (const line of input.billed) {
    const prior = billed.get(line.nodeId);
    billed.set(
      line.nodeId,
      prior
        ? {
            nodeId: line.nodeId,
            amount: prior.amount.plus(line.amount),
            unrounded: prior.unrounded.plus(line.unrounded),
            quantity:
              line.quantity === null
                ? prior.quantity
                : (prior.quantity ?? new Decimal(0)).plus(line.quantity),
          }
        : line,
    );
  }

  // Extra credit the recomputation uses beyond what the period drew before, attributed to the lines it reaches.
  const usedByPool = new Map<string, Decimal>();
  for (const use of uses)
    usedByPool.set(use.pool, (usedByPool.get(use.pool) ?? new Decimal(0)).plus(use.amount));
  const extraUses: CreditUse[] = [];
  for (const use of uses) {
    const before = drawnBefore.get(use.pool) ?? new Decimal(0);
    const used = usedByPool.get(use.pool) ?? new Decimal(0);
    const extra = used.minus(before);
    if (extra.gt(0) && !extraUses.some((u) => u.pool === use.pool)) extraUses.push({ ...use, amount: extra });
  }
  const extraDraws = allocateDraws(extraUses, grantsNow, 0, plan.minorUnits);
  const returns =
    recomputed.length === 0
      ? []
      : returnSurplus(input.drawnBefore, drawnBefore, usedByPool, input.grants, (nodeId) =>
          Math.max(
            0,
            recomputed.findIndex((l) => l.nodeId === nodeId),
          ),
        );

  const lines: ComputedLine[] = [];
  const lineDraws: Omit<ComputedDraw, "lineIndex">[][] = [];
  recomputed.forEach((line, index) => {
    const prior = billed.get(line.nodeId);
    const amount = new Decimal(line.amount).minus(prior?.amount ?? 0);
    const drawsHere = [...extraDraws, ...returns].filter((d) => d.lineIndex === index);
    if (amount.isZero() && drawsHere.length === 0) return;
    const quantity =
      line.quantity === null ? null : new Decimal(line.quantity).minus(prior?.quantity ?? 0).toString();
    lines.push({
      kind: "adjustment",
      nodeId: line.nodeId,
      description: `Adjustment for ${period.startDate} – ${lastDay(period)}: ${line.description}`,
      product: line.product,
      timing: "arrears",
      quantity,
      amount: fixed(amount, plan.minorUnits),
      unrounded: new Decimal(line.unrounded).minus(prior?.unrounded ?? 0).toString(),
      servicePeriod: period,
      explanation: line.explanation,
    });
    lineDraws.push(drawsHere.map(({ lineIndex: _, ...d }) => d));
  });
  return { lines, draws: lineDraws };
}

/** Two slices' lines of one plan line, as one. */
function mergeLines(a: InvoiceLineOutput, b: InvoiceLineOutput): InvoiceLineOutput {
  return {
    ...a,
    amount: new Decimal(a.amount).plus(b.amount).toString(),
    unrounded: new Decimal(a.unrounded).plus(b.unrounded).toString(),
    quantity:
      a.quantity === null && b.quantity === null
        ? null
        : new Decimal(a.quantity ?? 0).plus(b.quantity ?? 0).toString(),
  };
}

/**
 * Advance lines of `period` re-priced after a phase change: its advance lines as its slices price them now,
 * less what was billed for them (net of credit notes), per plan line. A difference becomes an adjustment line
 * billed in advance; the rest of a phase change's effect is in the period's own lines.
 */
export function computeAdvanceTrueUp(input: {
  period: Period;
  slices: PricedSlice[];
  billed: readonly BilledLine[];
}): ComputedLine[] {
  const { period } = input;
  const { minorUnits } = input.slices[0].plan;
  const priced: InvoiceLineOutput[] = [];
  for (const slice of input.slices) {
    const output = runEngine(slice.plan, {
      usage: zeroUsage(slice.plan),
      params: slice.params,
      credits: Object.fromEntries(slice.plan.creditPools.map((pool) => [pool, "0"])),
      proration: slice.proration,
    });
    for (const line of output.lines.filter((l) => l.timing === "advance")) {
      const index = priced.findIndex((p) => p.nodeId === line.nodeId);
      if (index < 0) priced.push(line);
      else priced[index] = mergeLines(priced[index], line);
    }
  }
  const billed = new Map<string, Decimal>();
  for (const line of input.billed)
    billed.set(line.nodeId, (billed.get(line.nodeId) ?? new Decimal(0)).plus(line.amount));
  const out: ComputedLine[] = [];
  const nodes = [...new Set([...priced.map((p) => p.nodeId), ...billed.keys()])];
  for (const nodeId of nodes) {
    const line = priced.find((p) => p.nodeId === nodeId);
    const diff = new Decimal(line?.amount ?? 0).minus(billed.get(nodeId) ?? 0);
    if (diff.isZero()) continue;
    out.push({
      kind: "adjustment",
      nodeId,
      description: `Adjustment for ${period.startDate} – ${lastDay(period)}: ${line?.description ?? nodeId} (contract change)`,
      product: line?.product ?? null,
      timing: "advance",
      quantity: null,
      amount: fixed(diff, minorUnits),
      unrounded: diff.toString(),
      servicePeriod: period,
      explanation: line?.explanation ?? [],
    });
  }
  return out;
}

/** The last day a period serves (its end date is exclusive). */
export function lastDay(period: Period): string {
  // Calendar arithmetic, not Date: the last supported period ends on 10000-01-01, which Date cannot parse.
  const [year, month, day] = period.endDate.split("-").map(Number) as [number, number, number];
  return formatLocalDate(addDays({ year, month, day }, -1));
}
