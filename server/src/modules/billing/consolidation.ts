import { Decimal, fixed } from "@pricegraph/engine";
import type { Period } from "@pricegraph/shared";
import type { Deps } from "../../context.ts";
import type { InvoiceRows } from "../invoices/service.ts";
import type { ContractContext } from "./context.ts";
import { invoiceRows, type PersistableInvoice } from "./invoice-rows.ts";

/**
 * Consolidated invoicing (the tenant's `invoiceConsolidation: "per_customer"`): the contracts of one customer
 * whose periods coincide — same start, same end, same currency — are billed on one invoice per period. Each
 * contract is still priced on its own (its plan, phases, add-ons, grants and late adjustments); this file only
 * decides which computations share an invoice and merges their rows: lines grouped per contract, one total.
 */

interface PendingPeriod {
  ctx: ContractContext;
  period: Period;
}

/**
 * Of the contracts due, per customer, those whose oldest unbilled period starts first; the others wait for a
 * later round, so that contracts billed in step reach each period together and share its invoice (a contract
 * that started later catches up alone first). Answers the periods to bill now and whether any waits.
 */
export function inStepPeriods<T extends PendingPeriod>(
  pending: readonly T[],
): { now: T[]; waiting: boolean } {
  const first = new Map<string, number>();
  for (const { ctx, period } of pending) {
    const customer = ctx.row.contract.customerId;
    const start = period.start.getTime();
    if (!first.has(customer) || start < (first.get(customer) as number)) first.set(customer, start);
  }
  const now = pending.filter((p) => p.period.start.getTime() === first.get(p.ctx.row.contract.customerId));
  return { now, waiting: now.length < pending.length };
}

/** What makes period invoices one: the customer, the period's bounds and the currency. */
function groupKey(item: PersistableInvoice): string {
  const { contract } = item.ctx.row;
  return [
    contract.customerId,
    item.period.start.getTime(),
    item.period.end.getTime(),
    item.ctx.plan.currency,
  ].join("|");
}

/**
 * Period invoices grouped into consolidated ones (a group of one is an ordinary invoice); adjustment invoices of
 * ended contracts stay on their own. Members are ordered by when their contracts were made (then id), the first being the invoice's lead.
 */
export function consolidationGroups(items: readonly PersistableInvoice[]): PersistableInvoice[][] {
  const groups = new Map<string, PersistableInvoice[]>();
  const alone: PersistableInvoice[][] = [];
  for (const item of items) {
    if ((item.kind ?? "period") !== "period") {
      alone.push([item]);
      continue;
    }
    const key = groupKey(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  // The customer's earliest contract leads; its lines come first.
  const byContract = (a: PersistableInvoice, b: PersistableInvoice) => {
    const [x, y] = [a.ctx.row.contract, b.ctx.row.contract];
    if (x.createdAt.getTime() !== y.createdAt.getTime()) return x.createdAt.getTime() - y.createdAt.getTime();
    return x.id < y.id ? -1 : 1;
  };
  return [...[...groups.values()].map((members) => [...members].sort(byContract)), ...alone];
}

/**
 * The rows of one invoice billing several contracts: each contract's lines (in contract order, each carrying
 * its contract id) and credit draws, one total; the invoice row is the lead's (its contract, plan and version)
 * with the summed total, and its stored usage keeps, per contract under `contracts`, the plan version that priced it and what the engine
 * saw (`{ planId, planVersion, usage }`).
 */
export function consolidatedRows(
  deps: Pick<Deps, "ids">,
  tenantId: string,
  members: readonly PersistableInvoice[],
  meta: { id?: string; runId: string | null; usageComputedAt: Date; now: Date },
): InvoiceRows {
  const id = meta.id ?? deps.ids("inv");
  const parts = members.map((member) => invoiceRows(deps, tenantId, member, { ...meta, id }));
  if (parts.length === 1) return parts[0];
  const [lead] = parts;
  const lines = parts.flatMap((part) => part.lines).map((line, position) => ({ ...line, position }));
  const total = fixed(
    parts.reduce((sum, part) => sum.plus(part.invoice.total), new Decimal(0)),
    members[0].ctx.plan.minorUnits,
  );
  const usage = {
    ...lead.invoice.usage,
    contracts: Object.fromEntries(
      parts.map(({ invoice }) => [
        invoice.contractId,
        { planId: invoice.planId, planVersion: invoice.planVersion, usage: invoice.usage },
      ]),
    ),
  };
  return {
    invoice: { ...lead.invoice, total, amountDue: total, usage },
    contractIds: parts.map((part) => part.invoice.contractId),
    lines,
    ledger: parts.flatMap((part) => part.ledger),
  };
}
