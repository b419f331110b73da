import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import { stringify } from "csv-stringify/sync";
import type { ExportLine } from "./journal-listing-queries.ts";

export const journalCsvColumns = [
  "entry_id",
  "date",
  "kind",
  "source_type",
  "source_id",
  "currency",
  "memo",
  "account_code",
  "account_name",
  "debit",
  "credit",
  "customer_id",
  "invoice_id",
  "product",
] as const;

/** QuickBooks Online, Import data → Journal entries (accounts by name, dates MM/DD/YYYY, one side blank). */
export const quickbooksColumns = [
  "JournalNo",
  "JournalDate",
  "AccountName",
  "Debits",
  "Credits",
  "Description",
  "Name",
] as const;

/** Xero, Manual journals → Import (accounts by code, dates dd/mm/yyyy, debits positive and credits negative). */
export const xeroColumns = [
  "*Narration",
  "*Date",
  "Description",
  "*AccountCode",
  "*TaxRate",
  "*Amount",
  "TrackingName1",
  "TrackingOption1",
] as const;

/** Journals carry their tax on their own lines already, so Xero must not add any. */
export const XERO_TAX_RATE = "Tax Exempt";

const [yyyy, mm, dd] = [0, 1, 2];
const usDate = (iso: string) => {
  const p = iso.split("-");
  return `${p[mm]}/${p[dd]}/${p[yyyy]}`;
};
const dayFirstDate = (iso: string) => {
  const p = iso.split("-");
  return `${p[dd]}/${p[mm]}/${p[yyyy]}`;
};
const isZero = (value: string) => /^0*(\.0*)?$/.test(value);
const blankIfZero = (value: string) => (isZero(value) ? "" : value);

/** Amounts at the currency's minor unit ("12.50", JPY "1200"). */
export function atMinorUnit(lines: readonly ExportLine[]): ExportLine[] {
  return lines.map((l) => {
    const places = minorUnits(l.currency);
    return { ...l, debit: fixed(new Decimal(l.debit), places), credit: fixed(new Decimal(l.credit), places) };
  });
}

export function journalCsv(lines: readonly ExportLine[]): string {
  return stringify(
    atMinorUnit(lines).map((l) => [
      l.entryId,
      l.date,
      l.kind,
      l.sourceType,
      l.sourceId,
      l.currency,
      l.memo,
      l.accountCode,
      l.accountName,
      l.debit,
      l.credit,
      l.customerId ?? "",
      l.invoiceId ?? "",
      l.product ?? "",
    ]),
    { header: true, columns: [...journalCsvColumns] },
  );
}

export function quickbooksCsv(lines: readonly ExportLine[]): string {
  return stringify(
    atMinorUnit(lines).map((l) => [
      String(l.entrySeq),
      usDate(l.date),
      l.accountName,
      blankIfZero(l.debit),
      blankIfZero(l.credit),
      `${l.memo}${l.product ? ` — ${l.product}` : ""}`,
      l.customerName ?? "",
    ]),
    { header: true, columns: [...quickbooksColumns] },
  );
}

export function xeroCsv(lines: readonly ExportLine[]): string {
  return stringify(
    atMinorUnit(lines).map((l) => [
      // Xero groups rows into one journal by narration and date: the entry id keeps entries apart.
      `${l.memo} [${l.entryId}]`,
      dayFirstDate(l.date),
      l.product ?? l.memo,
      l.accountCode,
      XERO_TAX_RATE,
      isZero(l.credit) ? l.debit : `-${l.credit}`,
      l.product ? "Product" : "",
      l.product ?? "",
    ]),
    { header: true, columns: [...xeroColumns] },
  );
}
