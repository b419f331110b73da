import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import { companyProfileOf, taxRateById } from "../company/queries.ts";
import { DEFAULT_PAYMENT_TERMS_DAYS } from "../company/schemas.ts";
import { customerById } from "../customers/queries.ts";
import type { InvoiceRow } from "../invoices/queries.ts";
import {
  balanceAppliedTo,
  balancesOf,
  customerBillingOf,
  insertBalanceEntries,
  insertInvoiceReceivable,
  lockCustomerReceivables,
} from "./queries.ts";
import { addDays, computeInvoiceTax, localDate, type TaxRate } from "./tax.ts";

/**
 * The date an invoice is issued on: a period invoice is dated the day its period ends (in the customer's zone) —
 * what it bills is known then, and a grace period that keeps the draft open for late events does not push the
 * due date out, as with Stripe's invoices dated at period end. An adjustment invoice is dated when finalized.
 */
export function issueDateOf(invoice: InvoiceRow, timeZone: string, now: Date): string {
  if (invoice.kind === "period") return invoice.periodEndDate;
  return localDate(invoice.finalizedAt ?? now, timeZone);
}

/** The tax rate a customer's invoices are taxed at: their override, exemption, or the tenant default. */
async function applicableRate(db: Db, tenantId: string, customerId: string): Promise<TaxRate | null> {
  const billing = await customerBillingOf(db, tenantId, customerId);
  if (billing?.taxTreatment === "exempt") return null;
  let rateId = billing?.taxTreatment === "rate" ? billing.taxRateId : null;
  if (!rateId) rateId = (await companyProfileOf(db, tenantId))?.defaultTaxRateId ?? null;
  const rate = rateId ? await taxRateById(db, tenantId, rateId) : null;
  return rate ? { id: rate.id, name: rate.name, percentage: rate.percentage } : null;
}

/**
 * What finalizing an invoice fixes for getting paid, in the finalize transaction: the tax (one line per rate, see
 * `computeInvoiceTax`), the issue date (`issueDateOf`) and due date (net N days of the customer's terms or the
 * tenant's), and the customer's balance from earlier overpayments applied to it. Stored
 * once and never changed; records `invoice.issued` (what the invoice e-mail sends), and `customer_balance.applied`
 * and `invoice.paid` when the balance covers some or all of it.
 */
export async function fixReceivableTerms(
  deps: Pick<Deps, "clock" | "ids">,
  tx: Db,
  caller: Caller,
  invoice: InvoiceRow,
): Promise<void> {
  const { tenantId, customerId, currency } = invoice;
  await lockCustomerReceivables(tx, customerId);
  const places = minorUnits(currency);
  const [customer, billing, profile, rate] = await Promise.all([
    customerById(tx, tenantId, customerId),
    customerBillingOf(tx, tenantId, customerId),
    companyProfileOf(tx, tenantId),
    applicableRate(tx, tenantId, customerId),
  ]);
  const tax = computeInvoiceTax(currency, [{ amount: invoice.total, rate }]);
  const terms = billing?.paymentTermsDays ?? profile?.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS;
  const issueDate = issueDateOf(invoice, customer?.timezone ?? "UTC", deps.clock());
  const due = new Decimal(tax.total).minus(invoice.creditedAmount);
  const balance = new Decimal(
    (await balancesOf(tx, tenantId, customerId)).find((b) => b.currency === currency)?.amount ?? "0",
  );
  const applied = Decimal.max(0, Decimal.min(balance, due));
  const now = deps.clock();
  const receivable = {
    invoiceId: invoice.id,
    tenantId,
    customerId,
    currency,
    subtotal: tax.subtotal,
    tax: tax.tax,
    total: tax.total,
    balanceApplied: fixed(applied, places),
    issueDate,
    dueDate: addDays(issueDate, terms),
    paymentTermsDays: terms,
    createdAt: now,
  };
  await insertInvoiceReceivable(
    tx,
    receivable,
    tax.lines.map((line, position) => ({
      id: deps.ids("itl"),
      tenantId,
      invoiceId: invoice.id,
      position,
      ...line,
    })),
  );
  const amountDue = fixed(due.minus(applied), places);
  const issued = {
    invoiceId: invoice.id,
    number: invoice.number,
    customerId,
    currency,
    issueDate,
    dueDate: receivable.dueDate,
    paymentTermsDays: terms,
    subtotal: tax.subtotal,
    taxLines: tax.lines,
    tax: tax.tax,
    total: tax.total,
    balanceApplied: receivable.balanceApplied,
    amountDue,
  };
  await recordActivity(deps, tx, caller, { type: "invoice.issued", objectId: invoice.id, object: issued });
  if (applied.gt(0)) {
    await insertBalanceEntries(tx, [
      {
        id: deps.ids("cbe"),
        tenantId,
        customerId,
        currency,
        kind: "applied",
        amount: fixed(applied.negated(), places),
        paymentId: null,
        invoiceId: invoice.id,
        createdAt: now,
      },
    ]);
    await recordActivity(deps, tx, caller, {
      type: "customer_balance.applied",
      objectId: customerId,
      object: { customerId, currency, amount: receivable.balanceApplied, invoiceId: invoice.id },
    });
    if (new Decimal(amountDue).lte(0)) {
      await recordActivity(deps, tx, caller, { type: "invoice.paid", objectId: invoice.id, object: issued });
    }
  }
}

/**
 * A voided invoice gives the customer balance applied to it at finalize back to the customer (a `restored`
 * balance entry, recorded as `customer_balance.credited`), in the void's transaction: the next invoice finalized
 * applies it again, and the payment that credited it can be reversed. The journal's void entry credits the
 * customer balances account (2400) by the same amount.
 */
export async function restoreBalanceOnVoid(
  deps: Pick<Deps, "clock" | "ids">,
  tx: Db,
  caller: Caller,
  invoice: Pick<InvoiceRow, "id" | "tenantId" | "customerId" | "currency">,
): Promise<void> {
  const { tenantId, customerId, currency } = invoice;
  const applied = new Decimal((await balanceAppliedTo(tx, tenantId, invoice.id)) ?? "0");
  // No customer lock: a balance that only grows cannot be over-applied or over-reversed by anyone concurrent
  // (and the void already holds the invoice's row lock, which payments take after the customer's lock).
  if (applied.lte(0)) return;
  const amount = fixed(applied, minorUnits(currency));
  await insertBalanceEntries(tx, [
    {
      id: deps.ids("cbe"),
      tenantId,
      customerId,
      currency,
      kind: "restored",
      amount,
      paymentId: null,
      invoiceId: invoice.id,
      createdAt: deps.clock(),
    },
  ]);
  await recordActivity(deps, tx, caller, {
    type: "customer_balance.credited",
    objectId: customerId,
    object: { customerId, currency, amount, invoiceId: invoice.id },
  });
}
