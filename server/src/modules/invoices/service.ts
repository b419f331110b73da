import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";

import type { ListInvoicesQuery } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";

import type { Db } from "../../db/index.ts";
import { conflict, notFound } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";

import { type ActivityChange, recordActivity } from "../activity/service.ts";
import { lockContracts } from "../contracts/queries.ts";
import type { LedgerRow } from "../credits/queries.ts";
import { creditsDrawnByLine, dropDrawsOf, giveBackDrawsOf, recordDraws } from "../credits/service.ts";

import { fixReceivableTerms, restoreBalanceOnVoid } from "../receivables/finalize.ts";
import { contractGroupsOf } from "./contract-groups.ts";
import { productGroupsOf } from "./product-groups.ts";

import {
  contractsOfInvoices,
  creditedByLine,
  creditNotesOf,
  deleteDraftLines,
  type InvoiceLineRow,
  type InvoiceRow,
  insertInvoiceContracts,
  insertInvoiceRows,
  insertLineRows,
  invoiceById,
  linesOf,
  listInvoices,
  nextDocumentNumber,
  updateInvoice,
} from "./queries.ts";

export const money = (value: string, currency: string) => fixed(new Decimal(value), minorUnits(currency));
export const formatNumber = (prefix: string, n: number) => `${prefix}-${String(n).padStart(6, "0")}`;

/** `contractIds`: the contracts the invoice bills (lead first); one, its own, unless it is consolidated. */
export function toInvoice(row: InvoiceRow, contractIds: readonly string[] = [row.contractId]) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    kind: row.kind,
    customerId: row.customerId,
    contractId: row.contractId,
    contractIds: [...contractIds],
    consolidated: contractIds.length > 1,
    planId: row.planId,
    planVersion: row.planVersion,
    currency: row.currency,
    periodStart: row.periodStart.toISOString(),
    periodEnd: row.periodEnd.toISOString(),
    periodStartDate: row.periodStartDate,
    periodEndDate: row.periodEndDate,
    proration: row.proration,
    total: money(row.total, row.currency),
    creditedAmount: money(row.creditedAmount, row.currency),
    amountDue: money(row.amountDue, row.currency),
    billingRunId: row.billingRunId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
    voidedAt: row.voidedAt?.toISOString() ?? null,
  };
}

function toLine(
  row: InvoiceLineRow,
  currency: string,
  credits: ReadonlyMap<string, string>,
  credited: ReadonlyMap<string, string>,
) {
  return {
    id: row.id,
    position: row.position,
    kind: row.kind,
    contractId: row.contractId,
    componentId: row.componentId,
    nodeId: row.nodeId,
    description: row.description,
    product: row.product,
    timing: row.timing,
    quantity: row.quantity,
    amount: row.amount,
    unrounded: row.unrounded,
    servicePeriod: {
      start: row.servicePeriodStart.toISOString(),
      end: row.servicePeriodEnd.toISOString(),
      startDate: row.servicePeriodStartDate,
      endDate: row.servicePeriodEndDate,
    },
    creditsApplied: credits.get(row.id) ?? "0",
    credited: money(credited.get(row.id) ?? "0", currency),
    explanation: row.explanation,
    accounts: row.accounts,
  };
}

export async function invoiceDetail(db: Db, row: InvoiceRow) {
  const [lines, notes, credits, credited, members] = await Promise.all([
    linesOf(db, row.tenantId, [row.id]),
    creditNotesOf(db, row.tenantId, row.id),
    creditsDrawnByLine(db, row.tenantId, row.id),
    creditedByLine(db, row.tenantId, row.id),
    contractsOfInvoices(db, row.tenantId, [row.id]),
  ]);
  const contractIds = members.get(row.id) ?? [row.contractId];
  return {
    ...toInvoice(row, contractIds),
    lines: lines.map((line) => toLine(line, row.currency, credits, credited)),
    productGroups: await productGroupsOf(db, row.tenantId, row.currency, lines),
    contractGroups: await contractGroupsOf(db, row, contractIds, lines),
    creditNotes: notes.notes.map((note) => ({
      id: note.id,
      number: note.number,
      amount: money(note.amount, row.currency),
      reason: note.reason,
      createdAt: note.createdAt.toISOString(),
      lines: notes.lines
        .filter((l) => l.creditNoteId === note.id)
        .map((l) => ({ lineId: l.invoiceLineId, amount: money(l.amount, row.currency) })),
    })),
  };
}

export type InvoiceDetail = Awaited<ReturnType<typeof invoiceDetail>>;

/**
 * The invoice as activity records hold it: its detail as GET /v1/invoices/:id answers, without each line's
 * explanation (the heaviest part by far, and always readable from the invoice itself) nor its product groups.
 */
export function invoiceSnapshot(
  detail: Omit<InvoiceDetail, "productGroups" | "contractGroups"> & {
    productGroups?: unknown;
    contractGroups?: unknown;
  },
) {
  // Product and contract groups are derived from the lines (and catalog and plan names) at read time: not part
  // of the record; each line names its contract.
  const { productGroups: _, contractGroups: __, ...rest } = detail;
  return { ...rest, lines: detail.lines.map(({ explanation: _, ...line }) => line) };
}

/** The snapshot of an invoice just created, from its rows (no read back: runs create thousands at once). */
function newInvoiceSnapshot(
  invoice: InvoiceRow,
  contractIds: readonly string[],
  lines: readonly InvoiceLineRow[],
  ledger: readonly LedgerRow[],
) {
  const drawn = new Map<string, Decimal>();
  for (const entry of ledger) {
    if (!entry.invoiceLineId) continue;
    drawn.set(entry.invoiceLineId, (drawn.get(entry.invoiceLineId) ?? new Decimal(0)).minus(entry.amount));
  }
  const credits = new Map([...drawn].map(([id, amount]) => [id, amount.toString()]));
  const none = new Map<string, string>();
  return invoiceSnapshot({
    ...toInvoice(invoice, contractIds),
    lines: lines.map((line) => toLine(line, invoice.currency, credits, none)),
    creditNotes: [],
  });
}

async function invoiceChange(db: Db, type: ActivityChange["type"], row: InvoiceRow): Promise<ActivityChange> {
  return { type, objectId: row.id, object: invoiceSnapshot(await invoiceDetail(db, row)) };
}

export async function requireInvoice(
  db: Db,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<InvoiceRow> {
  const row = await invoiceById(db, tenantId, id, forUpdate);
  if (!row) throw notFound("Invoice", [{ path: "params.id", message: "no invoice with this id" }]);
  return row;
}

export async function getInvoice(deps: Deps, tenantId: string, id: string) {
  return invoiceDetail(deps.db, await requireInvoice(deps.db, tenantId, id));
}

export async function pageOfInvoices(deps: Deps, tenantId: string, query: ListInvoicesQuery) {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listInvoices(
    deps.db,
    tenantId,
    {
      status: query.status,
      customerId: query.customerId,
      contractId: query.contractId,
      periodStart: query.periodStart ? new Date(query.periodStart) : undefined,
      paymentStatus: query.paymentStatus ? { status: query.paymentStatus, asOf: deps.clock() } : undefined,
    },
    query.limit,
    after,
  );
  const members = await contractsOfInvoices(
    deps.db,
    tenantId,
    rows.map((r) => r.id),
  );
  return toPage(
    rows,
    query.limit,
    (r) => [r.createdAt.toISOString(), r.id],
    (r) => toInvoice(r, members.get(r.id) ?? [r.contractId]),
  );
}

/**
 * Runs `work` on the invoice inside a transaction holding the locks of the contracts it bills (every contract of
 * a consolidated invoice) and the row lock.
 */
export async function withInvoice<T>(
  deps: Deps,
  tenantId: string,
  id: string,
  work: (tx: Db, invoice: InvoiceRow) => Promise<T>,
): Promise<T> {
  const peek = await requireInvoice(deps.db, tenantId, id);
  return deps.db.transaction(async (tx) => {
    const members = await contractsOfInvoices(tx as Db, tenantId, [peek.id]);
    await lockContracts(tx as Db, members.get(peek.id) ?? [peek.contractId]);
    return work(tx as Db, await requireInvoice(tx as Db, tenantId, id, true));
  });
}

export function requireDraft(invoice: InvoiceRow, action: string): void {
  if (invoice.status !== "draft") {
    throw conflict(`Invoice ${invoice.id} is ${invoice.status}; only a draft can be ${action}`, [
      { path: "params.id", message: `invoice is ${invoice.status}` },
    ]);
  }
}

/** Finalizes a draft the caller holds locked in `tx`: it takes the next invoice number and never changes again. */
export async function finalizeDraft(
  deps: Deps,
  tx: Db,
  caller: Caller,
  invoice: InvoiceRow,
): Promise<InvoiceRow> {
  const number = formatNumber("INV", await nextDocumentNumber(tx, invoice.tenantId, "invoice"));
  const now = deps.clock();
  const row = await updateInvoice(tx, invoice.tenantId, invoice.id, {
    status: "finalized",
    number,
    finalizedAt: now,
    updatedAt: now,
  });
  // Tax, issue and due dates are fixed in the finalize's own transaction (receivables owns them).
  await fixReceivableTerms(deps, tx, caller, row);
  await recordActivity(deps, tx, caller, await invoiceChange(tx, "invoice.finalized", row));
  return row;
}

export async function finalizeInvoice(deps: Deps, caller: Caller, id: string) {
  const row = await withInvoice(deps, caller.tenantId, id, async (tx, invoice) => {
    requireDraft(invoice, "finalized");
    return finalizeDraft(deps, tx, caller, invoice);
  });
  return invoiceDetail(deps.db, row);
}

/** What an invoice is made of: the invoice row, its lines and the credit they draw. */
export interface InvoiceRows {
  invoice: InvoiceRow;
  /** The contracts it bills, its lead (`invoice.contractId`) first: several for a consolidated invoice. */
  contractIds: string[];
  lines: InvoiceLineRow[];
  ledger: LedgerRow[];
}

/**
 * Stores new invoices (the caller holds their contracts' locks in `tx`), one `invoice.created` record each. An
 * invoice whose contract-period already has one is skipped (the unique key); answers the ids stored.
 */
export async function createInvoices(
  deps: Deps,
  tx: Db,
  caller: Caller,
  items: readonly InvoiceRows[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const inserted = await insertInvoiceRows(
    tx,
    items.map((r) => r.invoice),
  );
  const kept = items.filter((r) => inserted.has(r.invoice.id));
  // The contract-period key: a contract billed on another invoice for this period fails the whole transaction.
  await insertInvoiceContracts(
    tx,
    kept.flatMap(({ invoice, contractIds }) =>
      contractIds.map((contractId, position) => ({
        tenantId: invoice.tenantId,
        invoiceId: invoice.id,
        contractId,
        periodStart: invoice.periodStart,
        kind: invoice.kind,
        position,
      })),
    ),
  );
  await insertLineRows(
    tx,
    kept.flatMap((r) => r.lines),
  );
  await recordDraws(
    tx,
    kept.flatMap((r) => r.ledger),
  );
  await recordActivity(
    deps,
    tx,
    caller,
    kept.map((r) => ({
      type: "invoice.created" as const,
      objectId: r.invoice.id,
      object: newInvoiceSnapshot(r.invoice, r.contractIds, r.lines, r.ledger),
    })),
  );
  return inserted;
}

/**
 * Replaces a draft's content with a recomputation (the caller holds the contract lock in `tx` and has checked it
 * is a draft): its lines and credit draws are deleted and the new ones stored; records `invoice.refreshed`.
 */
export async function replaceDraft(
  deps: Deps,
  tx: Db,
  caller: Caller,
  invoice: InvoiceRow,
  rows: InvoiceRows,
): Promise<InvoiceRow> {
  // A contract's end or phases may have moved since: the draft takes the period and version it now bills.
  const updated = await updateInvoice(tx, invoice.tenantId, invoice.id, {
    periodStart: rows.invoice.periodStart,
    periodEnd: rows.invoice.periodEnd,
    periodStartDate: rows.invoice.periodStartDate,
    periodEndDate: rows.invoice.periodEndDate,
    proration: rows.invoice.proration,
    planVersion: rows.invoice.planVersion,
    total: rows.invoice.total,
    amountDue: rows.invoice.total,
    usage: rows.invoice.usage,
    usageComputedAt: rows.invoice.usageComputedAt,
    updatedAt: rows.invoice.updatedAt,
  });
  await insertLineRows(tx, rows.lines);
  await recordDraws(tx, rows.ledger);
  await recordActivity(deps, tx, caller, await invoiceChange(tx, "invoice.refreshed", updated));
  return updated;
}

/**
 * Empties a draft before it is recomputed: its lines and credit draws go (read what the recomputation needs after
 * this, so the draft's own adjustments and draws do not count as billed).
 */
export async function clearDraft(tx: Db, invoice: InvoiceRow): Promise<void> {
  await dropDrawsOf(tx, invoice.tenantId, invoice.id);
  await deleteDraftLines(tx, invoice.tenantId, invoice.id);
}

export async function voidInvoice(deps: Deps, caller: Caller, id: string) {
  const { tenantId } = caller;
  const row = await withInvoice(deps, tenantId, id, async (tx, invoice) => {
    if (invoice.status !== "finalized") {
      throw conflict(`Invoice ${invoice.id} is ${invoice.status}; only a finalized invoice can be voided`, [
        { path: "params.id", message: `invoice is ${invoice.status}` },
      ]);
    }
    if (!new Decimal(invoice.creditedAmount).isZero()) {
      throw conflict("The invoice has credit notes; credit the rest instead of voiding it", [
        { path: "params.id", message: "invoice has credit notes" },
      ]);
    }
    const now = deps.clock();
    await giveBackDrawsOf(deps, tx, tenantId, invoice.id, now);
    await restoreBalanceOnVoid(deps, tx, caller, invoice);
    const voided = await updateInvoice(tx, tenantId, invoice.id, {
      status: "void",
      voidedAt: now,
      updatedAt: now,
      amountDue: "0",
    });
    await recordActivity(deps, tx, caller, await invoiceChange(tx, "invoice.voided", voided));
    return voided;
  });
  return invoiceDetail(deps.db, row);
}

/** What the billing orchestrator reads of invoices to decide what to bill (see invoices/queries.ts). */
export {
  advanceLinesServingAfter,
  billedAdvanceLines,
  billedLinesFor,
  billingSettingsOf,
  contractsOfInvoices,
  contractsWithDrafts,
  draftsOfContract,
  draftsPastGrace,
  invoicedPeriodStarts,
  lastClosedPeriodInvoice,
  periodsWithLateEvents,
} from "./queries.ts";
