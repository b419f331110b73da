import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { CreateCreditNote } from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { conflict, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import {
  creditedByLine,
  type InvoiceRow,
  insertCreditNote,
  linesOf,
  nextDocumentNumber,
  updateInvoice,
} from "./queries.ts";

import { formatNumber, invoiceDetail, money, withInvoice } from "./service.ts";

/**
 * A credit note against a finalized invoice, by line or by amount: never more than remains due (or than remains
 * of a line), in the currency's minor unit, with its own gap-free number; recorded as `credit_note.created`.
 */
export async function createCreditNote(deps: Deps, caller: Caller, id: string, body: CreateCreditNote) {
  const row = await withInvoice(deps, caller.tenantId, id, (tx, invoice) =>
    issueCreditNote(deps, tx, caller, invoice, body),
  );
  return invoiceDetail(deps.db, row);
}

/**
 * Issues a credit note on an invoice the caller holds locked in `tx` (its contract's lock and the row lock):
 * the rules of `createCreditNote`, for a caller that credits as part of a larger change (ending a contract).
 */
export async function issueCreditNote(
  deps: Deps,
  tx: Db,
  caller: Caller,
  invoice: InvoiceRow,
  body: CreateCreditNote,
): Promise<InvoiceRow> {
  const { tenantId } = caller;
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
    const credited = await creditedByLine(tx, tenantId, invoice.id);
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
  const note = {
    id: noteId,
    tenantId,
    invoiceId: invoice.id,
    number,
    amount: fixed(amount, minor),
    reason: body.reason,
    createdAt: now,
  };
  await insertCreditNote(tx, note, noteLines);
  const credited = await updateInvoice(tx, tenantId, invoice.id, {
    creditedAmount: fixed(new Decimal(invoice.creditedAmount).plus(amount), minor),
    amountDue: fixed(remaining.minus(amount), minor),
    updatedAt: now,
  });
  await recordActivity(deps, tx, caller, {
    type: "credit_note.created",
    objectId: noteId,
    object: {
      id: noteId,
      number,
      invoiceId: invoice.id,
      amount: money(note.amount, invoice.currency),
      reason: note.reason,
      createdAt: now.toISOString(),
      lines: noteLines.map((l) => ({ lineId: l.invoiceLineId, amount: money(l.amount, invoice.currency) })),
    },
  });
  return credited;
}
