import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";

export interface TaxRate {
  id: string | null;
  name: string;
  /** Percent, e.g. "20" or "8.875". */
  percentage: string;
}

/** An amount of an invoice and the rate it is taxed at (null: not taxed). */
export interface TaxableAmount {
  amount: string;
  rate: TaxRate | null;
}

export interface TaxLine {
  taxRateId: string | null;
  name: string;
  percentage: string;
  taxableAmount: string;
  amount: string;
}

export interface InvoiceTax {
  subtotal: string;
  lines: TaxLine[];
  tax: string;
  total: string;
}

/**
 * Tax of an invoice, one line per rate. Rounding (docs/receivables.md): the amounts taxed at one rate are added
 * first, the rate is applied to that sum, and the result is rounded once, half away from zero, to the currency's
 * minor unit (JPY 0 decimals, USD 2, KWD 3). Rounding per rate rather than per line keeps the tax equal to what
 * the customer computes from the printed subtotal. Pure: the same input always gives the same tax.
 */
export function computeInvoiceTax(currency: string, amounts: readonly TaxableAmount[]): InvoiceTax {
  const places = minorUnits(currency);
  const byRate = new Map<string, { rate: TaxRate; taxable: Decimal }>();
  let subtotal = new Decimal(0);
  for (const { amount, rate } of amounts) {
    subtotal = subtotal.plus(amount);
    if (!rate) continue;
    const key = `${rate.id ?? ""}|${rate.name}|${new Decimal(rate.percentage).toString()}`;
    const entry = byRate.get(key) ?? { rate, taxable: new Decimal(0) };
    entry.taxable = entry.taxable.plus(amount);
    byRate.set(key, entry);
  }
  const lines = [...byRate.values()].map(({ rate, taxable }) => ({
    taxRateId: rate.id,
    name: rate.name,
    percentage: new Decimal(rate.percentage).toString(),
    taxableAmount: fixed(taxable, places),
    amount: fixed(taxable.times(rate.percentage).dividedBy(100), places),
  }));
  const tax = lines.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
  return {
    subtotal: fixed(subtotal, places),
    lines,
    tax: fixed(tax, places),
    total: fixed(subtotal.plus(tax), places),
  };
}

/** The local date `days` after `date` (YYYY-MM-DD, calendar arithmetic). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The calendar date of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
