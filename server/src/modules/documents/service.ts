import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/index.ts";
import { creditNotes, invoiceReceivables } from "../../db/schema/index.ts";
import { conflict, notFound } from "../../http/errors.ts";
import { getCompanyProfile } from "../company/service.ts";
import { customerById } from "../customers/queries.ts";
import type { InvoiceRow } from "../invoices/queries.ts";
import { contractsOfInvoices, creditNotesOf, invoiceById, linesOf } from "../invoices/queries.ts";
import { customerBillingOf, taxLinesOf } from "../receivables/queries.ts";
import { type DocumentModel, renderDocumentPdf } from "./render.ts";

async function parties(db: Db, invoice: InvoiceRow) {
  const [profile, customer, billing] = await Promise.all([
    getCompanyProfile(db, invoice.tenantId),
    customerById(db, invoice.tenantId, invoice.customerId),
    customerBillingOf(db, invoice.tenantId, invoice.customerId),
  ]);
  return {
    company: {
      legalName: profile.legalName,
      address: profile.address,
      taxId: profile.taxId,
      logo: profile.logo,
      footer: profile.invoiceFooter,
      paymentInstructions: profile.paymentInstructions,
    },
    customer: {
      name: customer?.name ?? invoice.customerId,
      address: billing?.address ?? "",
      emails: billing?.emails ?? (customer?.email ? [customer.email] : []),
    },
  };
}

const endInclusive = (date: string) => {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() - 1);
  return at.toISOString().slice(0, 10);
};

/**
 * What an invoice's PDF shows: the finalized invoice as stored (lines, the tax and dates fixed at finalize) and
 * the credit notes issued against it. Payments are not printed — the document is the invoice, not its status —
 * so it changes only when a credit note is issued.
 */
export async function invoiceDocument(db: Db, tenantId: string, id: string): Promise<DocumentModel> {
  const invoice = await invoiceById(db, tenantId, id);
  if (!invoice) throw notFound("Invoice", [{ path: "params.id", message: "no invoice with this id" }]);
  if (invoice.status === "draft" || !invoice.number || !invoice.finalizedAt) {
    throw conflict("A draft has no document yet; finalize it first", [
      { path: "params.id", message: "invoice is draft" },
    ]);
  }
  const places = minorUnits(invoice.currency);
  const m = (value: string | Decimal) => fixed(new Decimal(value), places);
  const [lines, notes, taxLines, receivableRows, who, members] = await Promise.all([
    linesOf(db, tenantId, [invoice.id]),
    creditNotesOf(db, tenantId, invoice.id),
    taxLinesOf(db, tenantId, invoice.id),
    db
      .select()
      .from(invoiceReceivables)
      .where(and(eq(invoiceReceivables.tenantId, tenantId), eq(invoiceReceivables.invoiceId, invoice.id))),
    parties(db, invoice),
    contractsOfInvoices(db, tenantId, [invoice.id]),
  ]);
  // A consolidated invoice names each line's contract and sums per contract (by id: the PDF stays byte-stable).
  const contractIds = members.get(invoice.id) ?? [invoice.contractId];
  const consolidated = contractIds.length > 1;
  const receivable = receivableRows[0];
  const total = receivable?.total ?? invoice.total;
  const balanceApplied = receivable?.balanceApplied ?? "0";
  const amountDue = new Decimal(total).minus(invoice.creditedAmount).minus(balanceApplied);
  const facts: [string, string][] = [
    ["Invoice number", invoice.number],
    ["Issue date", receivable?.issueDate ?? invoice.finalizedAt.toISOString().slice(0, 10)],
  ];
  if (receivable) {
    facts.push(["Due date", receivable.dueDate], ["Terms", `Net ${receivable.paymentTermsDays} days`]);
  }
  facts.push([
    "Service period",
    invoice.kind === "adjustment"
      ? "late usage of ended periods"
      : `${invoice.periodStartDate} to ${endInclusive(invoice.periodEndDate)}`,
  ]);
  if (invoice.status === "void" && invoice.voidedAt)
    facts.push(["Voided", invoice.voidedAt.toISOString().slice(0, 10)]);
  const totals: [string, string][] = [["Subtotal", m(receivable?.subtotal ?? invoice.total)]];
  for (const tax of taxLines) {
    totals.push([
      `${tax.name} ${new Decimal(tax.percentage).toString()}% of ${m(tax.taxableAmount)}`,
      m(tax.amount),
    ]);
  }
  totals.push(["Total", m(total)]);
  for (const note of notes.notes)
    totals.push([`Credit note ${note.number}`, m(new Decimal(note.amount).negated())]);
  if (!new Decimal(balanceApplied).isZero())
    totals.push(["Balance applied", m(new Decimal(balanceApplied).negated())]);
  totals.push([`Amount due (${invoice.currency})`, invoice.status === "void" ? m("0") : m(amountDue)]);
  return {
    kind: "invoice",
    title: invoice.status === "void" ? "Invoice (void)" : "Invoice",
    number: invoice.number,
    issuedAt: invoice.finalizedAt,
    currency: invoice.currency,
    ...who,
    facts,
    lines: lines.map((l) => ({
      description: l.description,
      product: l.product,
      quantity: l.quantity === null ? null : new Decimal(l.quantity).toString(),
      amount: m(l.amount),
      ...(consolidated ? { contract: l.contractId } : {}),
    })),
    ...(consolidated
      ? {
          contractSubtotals: contractIds.map((id): [string, string] => [
            id,
            m(
              lines.filter((l) => l.contractId === id).reduce((sum, l) => sum.plus(l.amount), new Decimal(0)),
            ),
          ]),
        }
      : {}),
    productSubtotals: productSubtotals(lines, m),
    totals,
  };
}

/** Per product code, in the order codes first appear; none unless the lines name two or more products. */
function productSubtotals(
  lines: readonly { product: string | null; amount: string }[],
  m: (value: Decimal) => string,
): [string, string][] {
  const sums = new Map<string, Decimal>();
  for (const line of lines) {
    const key = line.product ?? "Other";
    sums.set(key, (sums.get(key) ?? new Decimal(0)).plus(line.amount));
  }
  if ([...sums.keys()].filter((k) => k !== "Other").length < 2) return [];
  return [...sums].map(([product, sum]) => [product, m(sum)]);
}

export async function creditNoteDocument(db: Db, tenantId: string, id: string): Promise<DocumentModel> {
  const rows = await db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.id, id)));
  const note = rows[0];
  if (!note) throw notFound("Credit note", [{ path: "params.id", message: "no credit note with this id" }]);
  const invoice = (await invoiceById(db, tenantId, note.invoiceId)) as InvoiceRow;
  const places = minorUnits(invoice.currency);
  const m = (value: string | Decimal) => fixed(new Decimal(value), places);
  const [lines, notes, who] = await Promise.all([
    linesOf(db, tenantId, [invoice.id]),
    creditNotesOf(db, tenantId, invoice.id),
    parties(db, invoice),
  ]);
  const byId = new Map(lines.map((l) => [l.id, l]));
  return {
    kind: "credit_note",
    title: "Credit note",
    number: note.number,
    issuedAt: note.createdAt,
    currency: invoice.currency,
    ...who,
    facts: [
      ["Credit note", note.number],
      ["Issue date", note.createdAt.toISOString().slice(0, 10)],
      ["Credits invoice", invoice.number ?? invoice.id],
      ["Reason", note.reason],
    ],
    lines: notes.lines
      .filter((l) => l.creditNoteId === note.id)
      .map((l) => {
        const line = l.invoiceLineId ? byId.get(l.invoiceLineId) : undefined;
        return {
          description: line ? line.description : `Credit against ${invoice.number}`,
          product: line?.product ?? null,
          quantity: null,
          amount: m(l.amount),
        };
      }),
    totals: [[`Total credited (${invoice.currency})`, m(note.amount)]],
  };
}

export async function invoicePdf(db: Db, tenantId: string, id: string) {
  const model = await invoiceDocument(db, tenantId, id);
  return { filename: `${model.number}.pdf`, pdf: await renderDocumentPdf(model) };
}

export async function creditNotePdf(db: Db, tenantId: string, id: string) {
  const model = await creditNoteDocument(db, tenantId, id);
  return { filename: `${model.number}.pdf`, pdf: await renderDocumentPdf(model) };
}
