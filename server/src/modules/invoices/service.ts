import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import { type Deps, systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { ApiError, conflict, notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { BillingEvaluationError } from "../billing/compute.ts";
import { recomputeDraft } from "../billing/invoicing.ts";
import { type InvoiceLineRow, type InvoiceRow, lockContracts } from "../billing/queries.ts";
import { fixReceivableTerms } from "../receivables/finalize.ts";
import {
  creditedByLine,
  creditNotesOf,
  creditsByLine,
  draftsPastGrace,
  insertCreditNote,
  invoiceById,
  linesOf,
  listInvoices,
  nextDocumentNumber,
  reverseDraws,
  updateDraft,
} from "./queries.ts";
import type { CreateCreditNote, ListInvoicesQuery } from "./schemas.ts";

const money = (value: string, currency: string) => fixed(new Decimal(value), minorUnits(currency));
export const formatNumber = (prefix: string, n: number) => `${prefix}-${String(n).padStart(6, "0")}`;

export function toInvoice(row: InvoiceRow) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    kind: row.kind,
    customerId: row.customerId,
    contractId: row.contractId,
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
  credits: Map<string, string>,
  credited: Map<string, string>,
) {
  return {
    id: row.id,
    position: row.position,
    kind: row.kind,
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
  };
}

export async function invoiceDetail(db: Db, row: InvoiceRow) {
  const [lines, notes, credits, credited] = await Promise.all([
    linesOf(db, row.tenantId, [row.id]),
    creditNotesOf(db, row.tenantId, row.id),
    creditsByLine(db, row.tenantId, row.id),
    creditedByLine(db, row.id),
  ]);
  return {
    ...toInvoice(row),
    lines: lines.map((line) => toLine(line, row.currency, credits, credited)),
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

async function requireInvoice(db: Db, tenantId: string, id: string, forUpdate = false): Promise<InvoiceRow> {
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
  return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toInvoice);
}

/** Runs `work` on the invoice inside a transaction holding its contract's lock and the row lock. */
async function withInvoice<T>(
  deps: Deps,
  tenantId: string,
  id: string,
  work: (tx: Db, invoice: InvoiceRow) => Promise<T>,
): Promise<T> {
  const peek = await requireInvoice(deps.db, tenantId, id);
  return deps.db.transaction(async (tx) => {
    await lockContracts(tx, [peek.contractId]);
    return work(tx, await requireInvoice(tx, tenantId, id, true));
  });
}

function requireDraft(invoice: InvoiceRow, action: string): void {
  if (invoice.status !== "draft") {
    throw conflict(`Invoice ${invoice.id} is ${invoice.status}; only a draft can be ${action}`, [
      { path: "params.id", message: `invoice is ${invoice.status}` },
    ]);
  }
}

function asEvaluationError(error: unknown): never {
  if (error instanceof BillingEvaluationError) {
    throw new ApiError(
      422,
      "EVALUATION_FAILED",
      "The plan could not be evaluated",
      error.problems.map((p) => ({ ...p, path: p.path ?? "$" })),
    );
  }
  throw error;
}

async function finalizeLocked(deps: Deps, tx: Db, invoice: InvoiceRow): Promise<InvoiceRow> {
  const number = formatNumber("INV", await nextDocumentNumber(tx, invoice.tenantId, "invoice"));
  const now = deps.clock();
  const finalized = await updateDraft(tx, invoice.tenantId, invoice.id, {
    status: "finalized",
    number,
    finalizedAt: now,
    updatedAt: now,
  });
  await fixReceivableTerms(deps, tx, systemCaller(invoice.tenantId, "invoice-finalize"), finalized);
  return finalized;
}

export async function finalizeInvoice(deps: Deps, tenantId: string, id: string) {
  const row = await withInvoice(deps, tenantId, id, async (tx, invoice) => {
    requireDraft(invoice, "finalized");
    return finalizeLocked(deps, tx, invoice);
  });
  return invoiceDetail(deps.db, row);
}

export async function refreshInvoice(deps: Deps, tenantId: string, id: string) {
  const row = await withInvoice(deps, tenantId, id, async (tx, invoice) => {
    requireDraft(invoice, "refreshed");
    return recomputeDraft(deps, tx, invoice).catch(asEvaluationError);
  });
  return invoiceDetail(deps.db, row);
}

export async function voidInvoice(deps: Deps, tenantId: string, id: string) {
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
    await reverseDraws(tx, tenantId, invoice.id, deps.ids, now);
    return updateDraft(tx, tenantId, invoice.id, {
      status: "void",
      voidedAt: now,
      updatedAt: now,
      amountDue: "0",
    });
  });
  return invoiceDetail(deps.db, row);
}

export async function createCreditNote(deps: Deps, tenantId: string, id: string, body: CreateCreditNote) {
  const row = await withInvoice(deps, tenantId, id, async (tx, invoice) => {
    if (invoice.status !== "finalized") {
      throw conflict(`Invoice ${invoice.id} is ${invoice.status}; credit notes apply to finalized invoices`, [
        { path: "params.id", message: `invoice is ${invoice.status}` },
      ]);
    }
    const minor = minorUnits(invoice.currency);
    const remaining = new Decimal(invoice.amountDue);
    const noteId = deps.ids("cn");
    const noteLines: {
      id: string;
      tenantId: string;
      creditNoteId: string;
      invoiceLineId: string | null;
      amount: string;
    }[] = [];
    let amount: Decimal;
    const problems: { path: string; message: string }[] = [];
    const checkScale = (value: string, path: string) => {
      if (new Decimal(value).decimalPlaces() > minor)
        problems.push({ path, message: `has more than ${minor} decimals for ${invoice.currency}` });
      if (new Decimal(value).lte(0)) problems.push({ path, message: "must be greater than 0" });
    };
    if (body.lines) {
      const lines = new Map((await linesOf(tx, tenantId, [invoice.id])).map((l) => [l.id, l]));
      const credited = await creditedByLine(tx, invoice.id);
      const perLine = new Map<string, Decimal>();
      for (const [index, entry] of body.lines.entries()) {
        const path = `$.lines[${index}]`;
        const line = lines.get(entry.lineId);
        if (!line) {
          problems.push({ path: `${path}.lineId`, message: "is not a line of this invoice" });
          continue;
        }
        checkScale(entry.amount, `${path}.amount`);
        const sofar = (perLine.get(entry.lineId) ?? new Decimal(credited.get(entry.lineId) ?? "0")).plus(
          entry.amount,
        );
        perLine.set(entry.lineId, sofar);
        if (sofar.gt(line.amount)) {
          problems.push({
            path: `${path}.amount`,
            message: `exceeds what remains of the line (${new Decimal(line.amount).minus(credited.get(entry.lineId) ?? "0")})`,
          });
        }
        noteLines.push({
          id: deps.ids("cnl"),
          tenantId,
          creditNoteId: noteId,
          invoiceLineId: entry.lineId,
          amount: entry.amount,
        });
      }
      amount = body.lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
    } else {
      checkScale(body.amount as string, "$.amount");
      amount = new Decimal(body.amount as string);
      noteLines.push({
        id: deps.ids("cnl"),
        tenantId,
        creditNoteId: noteId,
        invoiceLineId: null,
        amount: amount.toString(),
      });
    }
    if (problems.length) throw validationFailed(problems);
    if (amount.gt(remaining)) {
      throw validationFailed([
        {
          path: body.lines ? "$.lines" : "$.amount",
          message: `exceeds what remains due on the invoice (${fixed(remaining, minor)})`,
        },
      ]);
    }
    const number = formatNumber("CN", await nextDocumentNumber(tx, tenantId, "credit_note"));
    const now = deps.clock();
    await insertCreditNote(
      tx,
      {
        id: noteId,
        tenantId,
        invoiceId: invoice.id,
        number,
        amount: fixed(amount, minor),
        reason: body.reason,
        createdAt: now,
      },
      noteLines,
    );
    return updateDraft(tx, tenantId, invoice.id, {
      creditedAmount: fixed(new Decimal(invoice.creditedAmount).plus(amount), minor),
      amountDue: fixed(remaining.minus(amount), minor),
      updatedAt: now,
    });
  });
  return invoiceDetail(deps.db, row);
}

/**
 * Drafts whose tenant grace period has passed are refreshed with the usage known now, then finalized. Runs on
 * each billing-worker tick and at the end of each billing run. Returns how many were finalized.
 */
export async function finalizeDueDrafts(deps: Deps, tenantId?: string): Promise<number> {
  let count = 0;
  // A draft that cannot be recomputed (its plan fails to evaluate) stays a draft; the others still finalize.
  const failed = new Set<string>();
  for (;;) {
    const due = (await draftsPastGrace(deps.db, deps.clock(), tenantId)).filter((d) => !failed.has(d.id));
    if (due.length === 0) return count;
    for (const draft of due) {
      try {
        const done = await withInvoice(deps, draft.tenantId, draft.id, async (tx, invoice) => {
          if (invoice.status !== "draft") return false;
          await finalizeLocked(deps, tx, await recomputeDraft(deps, tx, invoice));
          return true;
        });
        if (done) count += 1;
      } catch (error) {
        if (!(error instanceof BillingEvaluationError)) throw error;
        failed.add(draft.id);
      }
    }
  }
}
