import {
  type CompiledPlan,
  Decimal,
  type EvaluationOutput,
  evaluate,
  fixed,
  type InvoiceLineOutput,
} from "@pricegraph/engine";
import type { Period, Problem } from "@pricegraph/shared";
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

function toLine(line: InvoiceLineOutput, period: Period): ComputedLine {
  return { ...line, kind: "charge", servicePeriod: period };
}

export interface InvoiceComputation {
  plan: CompiledPlan;
  params: Record<string, string>;
  period: Period;
  /** The period after, or null when the contract ends with `period`. */
  next: Period | null;
  usage: Usage;
  /** Every grant of the contract with its current balance; balances are lowered by what this invoice draws. */
  grants: GrantBalance[];
  /** Adjustment lines for earlier periods (late events), already computed. */
  adjustments?: { lines: ComputedLine[]; draws: Omit<ComputedDraw, "lineIndex">[][] };
}

/** The lines, credit draws and total of the invoice closing `period`. */
export function computeInvoice(input: InvoiceComputation): ComputedInvoice {
  const { plan, period, next } = input;
  const lines: ComputedLine[] = [];
  const draws: ComputedDraw[] = [];

  const grantsNow = usableGrants(input.grants, period.end);
  const credits = poolBalances(plan.creditPools, grantsNow, plan.minorUnits);
  const current = runEngine(plan, {
    usage: input.usage,
    params: input.params,
    credits,
    proration: period.proration,
  });
  const billedNow = current.lines.filter((l) => l.timing === "arrears" || period.index === 0);
  draws.push(...allocateDraws(creditsUsedByLines(plan, billedNow), grantsNow, lines.length, plan.minorUnits));
  lines.push(...billedNow.map((l) => toLine(l, period)));

  let advanceInputs: Record<string, unknown> | null = null;
  if (next && hasAdvanceLines(plan)) {
    const advanceCredits = poolBalances(plan.creditPools, grantsNow, plan.minorUnits);
    const upcoming = runEngine(plan, {
      usage: zeroUsage(plan),
      params: input.params,
      credits: advanceCredits,
      proration: next.proration,
    });
    const advance = upcoming.lines.filter((l) => l.timing === "advance");
    draws.push(...allocateDraws(creditsUsedByLines(plan, advance), grantsNow, lines.length, plan.minorUnits));
    lines.push(...advance.map((l) => toLine(l, next)));
    advanceInputs = { credits: advanceCredits, proration: next.proration };
  }

  if (input.adjustments) appendAdjustments(lines, draws, input.adjustments);

  return {
    lines,
    draws,
    total: totalOf(lines, plan.minorUnits),
    inputs: {
      usage: input.usage,
      params: input.params,
      credits,
      proration: period.proration,
      ...(advanceInputs ? { advance: advanceInputs } : {}),
    },
  };
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
  plan: CompiledPlan;
  params: Record<string, string>;
  period: Period;
  usage: Usage;
  billed: readonly BilledLine[];
  /** Credit the period's billed lines drew (net of returns), per grant and the node of the line. */
  drawnBefore: readonly PriorDraw[];
  /** Every grant of the contract: balances rise by returned credit and fall by extra draws, in place. */
  grants: GrantBalance[];
  billedAt: Date;
}): { lines: ComputedLine[]; draws: Omit<ComputedDraw, "lineIndex">[][] } {
  const { plan, period } = input;
  const drawnBefore = new Map<string, Decimal>();
  for (const draw of input.drawnBefore)
    drawnBefore.set(draw.pool, (drawnBefore.get(draw.pool) ?? new Decimal(0)).plus(draw.amount));
  const grantsNow = usableGrants(input.grants, input.billedAt);
  const available = poolBalances(plan.creditPools, grantsNow, plan.minorUnits);
  const credits: Record<string, string> = {};
  for (const pool of plan.creditPools) {
    credits[pool] = new Decimal(available[pool] ?? "0").plus(drawnBefore.get(pool) ?? 0).toString();
  }
  const output = runEngine(plan, {
    usage: input.usage,
    params: input.params,
    credits,
    proration: period.proration,
  });
  const recomputed = output.lines.filter((l) => l.timing === "arrears" || period.index === 0);
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
  const uses = creditsUsedByLines(plan, recomputed);
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

/** The last day a period serves (its end date is exclusive). */
export function lastDay(period: Period): string {
  const d = new Date(`${period.endDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
