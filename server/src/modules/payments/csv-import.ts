import type { Readable } from "node:stream";
import { Decimal } from "@pricegraph/engine";
import { DECIMAL_PATTERN, minorUnits } from "@pricegraph/shared";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { canonicalHeader, csvDetail, csvRows } from "../../http/csv.ts";
import { type ErrorDetail, validationFailed } from "../../http/errors.ts";
import { listReceivables, lockCustomerReceivables } from "../receivables/queries.ts";
import { type InvoiceRow, invoicesByNumber } from "./queries.ts";
import { paymentMethods } from "./schemas.ts";
import { recordPaymentLocked } from "./service.ts";

export const MAX_CSV_PAYMENTS = 10_000;

const COLUMNS = new Map([
  ["invoice", "invoice"],
  ["invoicenumber", "invoice"],
  ["number", "invoice"],
  ["amount", "amount"],
  ["currency", "currency"],
  ["date", "date"],
  ["receivedat", "date"],
  ["bookingdate", "date"],
  ["reference", "reference"],
  ["method", "method"],
]);

interface CsvPayment {
  row: number;
  invoice: string;
  amount: string;
  currency: string | null;
  date: string;
  reference: string | null;
  method: (typeof paymentMethods)[number];
}

/**
 * Bank payments as CSV — columns invoice (its number), amount, date, and optionally currency, reference, method —
 * each recorded as a payment of the invoice's customer allocated to that invoice (any excess to the customer's
 * balance). All or nothing, like the events CSV: one bad row and nothing is recorded; problems name row and column.
 */
export async function importPaymentsCsv(deps: Deps, caller: Caller, body: Readable) {
  const problems: ErrorDetail[] = [];
  const parsed: CsvPayment[] = [];
  let header: string[] = [];
  let fields: (string | null)[] = [];
  for await (const { row, fields: cells } of csvRows(body)) {
    if (row === 1) {
      header = cells;
      fields = cells.map((name) => COLUMNS.get(canonicalHeader(name)) ?? null);
      for (const required of ["invoice", "amount", "date"]) {
        if (!fields.includes(required)) problems.push(csvDetail(1, required, "required column is missing"));
      }
      if (problems.length) break;
      continue;
    }
    if (parsed.length + problems.length >= MAX_CSV_PAYMENTS) {
      problems.push(csvDetail(row, null, `at most ${MAX_CSV_PAYMENTS} payments per CSV`));
      break;
    }
    const cell = (field: string) => {
      const i = fields.indexOf(field);
      return i === -1 ? "" : (cells[i] ?? "");
    };
    const column = (field: string) => header[fields.indexOf(field)] ?? field;
    const before = problems.length;
    const amount = cell("amount").replace(/,/g, "");
    if (!DECIMAL_PATTERN.test(amount) || new Decimal(amount).lte(0))
      problems.push(csvDetail(row, column("amount"), "must be a positive decimal"));
    const date = cell("date");
    if (
      !/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(date) ||
      Number.isNaN(Date.parse(date))
    )
      problems.push(csvDetail(row, column("date"), "must be a date (YYYY-MM-DD) or ISO date-time"));
    const method = cell("method") || "bank_transfer";
    if (!(paymentMethods as readonly string[]).includes(method))
      problems.push(csvDetail(row, column("method"), `must be one of ${paymentMethods.join(", ")}`));
    if (!cell("invoice")) problems.push(csvDetail(row, column("invoice"), "is required"));
    if (problems.length > before) continue;
    parsed.push({
      row,
      invoice: cell("invoice"),
      amount,
      currency: cell("currency") || null,
      date,
      reference: cell("reference") || null,
      method: method as CsvPayment["method"],
    });
  }
  if (header.length === 0) problems.push(csvDetail(1, null, "the CSV is empty (expected a header row)"));
  if (parsed.length === 0 && problems.length === 0)
    problems.push(csvDetail(2, null, "the CSV has no payments"));
  if (problems.length) throw validationFailed(problems, "The CSV has invalid rows; nothing was recorded");

  const column = (field: string) => header[fields.indexOf(field)] ?? field;
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    const byNumber = await invoicesByNumber(db, caller.tenantId, [...new Set(parsed.map((p) => p.invoice))]);
    const customers = [...new Set([...byNumber.values()].map((i) => i.customerId))].sort();
    for (const customerId of customers) await lockCustomerReceivables(db, customerId);
    const open = new Map(
      (await listReceivables(db, caller.tenantId, deps.clock(), { openOnly: true })).map((r) => [
        r.invoice_id,
        new Decimal(r.outstanding),
      ]),
    );
    for (const p of parsed) {
      const invoice = byNumber.get(p.invoice);
      if (!invoice || invoice.status === "draft") {
        problems.push(csvDetail(p.row, column("invoice"), `no finalized invoice numbered ${p.invoice}`));
      } else if (p.currency && p.currency !== invoice.currency) {
        problems.push(csvDetail(p.row, column("currency"), `the invoice is in ${invoice.currency}`));
      } else if (new Decimal(p.amount).decimalPlaces() > minorUnits(invoice.currency)) {
        const places = minorUnits(invoice.currency);
        problems.push(
          csvDetail(p.row, column("amount"), `has more than ${places} decimals for ${invoice.currency}`),
        );
      } else if (!open.get(invoice.id)?.gt(0)) {
        problems.push(csvDetail(p.row, column("invoice"), `invoice ${p.invoice} has nothing outstanding`));
      }
    }
    if (problems.length) throw validationFailed(problems, "The CSV has invalid rows; nothing was recorded");
    const data = [];
    for (const p of parsed) {
      const invoice = byNumber.get(p.invoice) as InvoiceRow;
      // Rows of one invoice settle it in turn; what a row pays beyond what is left goes to the balance.
      const left = open.get(invoice.id) ?? new Decimal(0);
      const allocated = Decimal.min(left, p.amount);
      open.set(invoice.id, left.minus(allocated));
      data.push(
        await recordPaymentLocked(deps, db, caller, {
          customerId: invoice.customerId,
          amount: p.amount,
          currency: invoice.currency,
          receivedAt: p.date.length === 10 ? `${p.date}T00:00:00Z` : new Date(p.date).toISOString(),
          method: p.method,
          reference: p.reference,
          allocations: allocated.gt(0) ? [{ invoiceId: invoice.id, amount: allocated.toString() }] : [],
        }),
      );
    }
    return { imported: data.length, data };
  });
}
