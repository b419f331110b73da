import { type Period, phaseOn } from "@pricegraph/shared";
import type { Deps } from "../../context.ts";
import type { InvoiceKind } from "../../db/schema/index.ts";
import type { LedgerRow } from "../credits/queries.ts";
import type { InvoiceLineRow, InvoiceRow } from "../invoices/queries.ts";
import type { InvoiceRows } from "../invoices/service.ts";
import { type ComputedInvoice, lastDay } from "./compute.ts";
import type { ContractContext } from "./context.ts";

/** A contract's computed invoice, as billing hands it to invoices/ to store: the invoice row, lines and draws. */

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

/** Plain decimal text with at most this many integer digits: what an invoice may store. */
const MAX_INTEGER_DIGITS = 30;
const STORABLE = new RegExp(`^-?\\d{1,${MAX_INTEGER_DIGITS}}(\\.\\d+)?$`);

/**
 * Refuses a computation whose numbers no invoice should hold (exponent notation, more than 10^30): thrown inside
 * the contract's own try, so that contract is skipped and reported instead of failing the batch's insert.
 */
export function requireStorable(computed: ComputedInvoice): ComputedInvoice {
  const numbers = [
    computed.total,
    ...computed.lines.flatMap((l) => [l.amount, l.unrounded, l.quantity ?? "0"]),
  ];
  const bad = numbers.find((n) => !STORABLE.test(n));
  if (bad !== undefined) throw new Error(`an amount is out of range (${bad.slice(0, 40)}…)`);
  return computed;
}
