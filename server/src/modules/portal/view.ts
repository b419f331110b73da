import { Decimal, fixed } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import { notFound } from "../../http/errors.ts";
import type { BillingDeps } from "../billing/context.ts";
import { usageReport } from "../billing/report.ts";
import { listContracts } from "../contracts/queries.ts";
import { quoteContract } from "../contracts/service.ts";
import { requireCustomer } from "../customers/service.ts";
import { creditNotePdf, invoicePdf } from "../documents/service.ts";
import { invoiceById, listInvoices } from "../invoices/queries.ts";
import { contractsOfInvoices, invoiceDetail, toInvoice } from "../invoices/service.ts";
import { listReceivables } from "../receivables/queries.ts";
import { customerDailyUsage } from "../usage/service.ts";
import { creditNoteCustomer } from "./queries.ts";

/** What a portal token opens: one customer of one tenant. Every read below is scoped to both. */
export interface PortalSession {
  tenantId: string;
  customerId: string;
  expiresAt: Date;
}

/**
 * The portal's first screen: the customer, each running contract's period so far (usage against free units,
 * the lines priced so far, credits left), and its invoices (finalized or void; drafts are not shown) with where
 * each stands with payment, and their credit notes.
 */
export async function portalOverview(deps: BillingDeps, session: PortalSession) {
  const { tenantId, customerId } = session;
  const customer = await requireCustomer(deps.db, tenantId, customerId);
  const contracts = await listContracts(deps.db, tenantId, { customerId, limit: 50, after: null });
  const periods = [];
  for (const contract of contracts) {
    try {
      const report = await usageReport(deps, tenantId, contract.id, {});
      const quote = await quoteContract(deps, tenantId, contract.id);
      periods.push({
        contractId: contract.id,
        currency: report.currency,
        periodStart: report.period.start,
        periodEnd: report.period.end,
        periodStartDate: report.period.startDate,
        periodEndDate: report.period.endDate,
        metrics: report.metrics.map((m) => ({ key: m.key, value: totalOf(m.value) })),
        freeUnits: report.freeUnits,
        lines: report.lines.map((l) => ({
          description: l.description,
          quantity: l.quantity,
          amount: l.amount,
        })),
        total: report.total,
        credits: Object.entries(quote.credits).map(([pool, c]) => ({ pool, ...c })),
      });
    } catch {
      // A contract that has ended, or not started, has no current period to show.
    }
  }
  const invoices = (await listInvoices(deps.db, tenantId, { customerId }, 100, null))
    .slice(0, 100)
    .filter((row) => row.status !== "draft");
  const receivables = new Map(
    (
      await listReceivables(deps.db, tenantId, deps.clock(), {
        customerId,
        invoiceIds: invoices.map((row) => row.id),
      })
    ).map((r) => [r.invoice_id, r]),
  );
  const members = await contractsOfInvoices(
    deps.db,
    tenantId,
    invoices.map((row) => row.id),
  );
  const withNotes = await Promise.all(
    invoices
      .filter((row) => !new Decimal(row.creditedAmount).isZero())
      .map((row) => invoiceDetail(deps.db, row)),
  );
  return {
    customer: { name: customer.name, externalId: customer.externalId, timezone: customer.timezone },
    expiresAt: session.expiresAt.toISOString(),
    periods,
    invoices: invoices.map((row) => {
      const receivable = receivables.get(row.id);
      return {
        ...toInvoice(row, members.get(row.id)),
        payment: receivable
          ? {
              status: receivable.payment_status,
              dueDate: receivable.due_date,
              paid: fixed(new Decimal(receivable.paid), minorUnits(row.currency)),
              outstanding: fixed(new Decimal(receivable.outstanding), minorUnits(row.currency)),
            }
          : null,
      };
    }),
    creditNotes: withNotes.flatMap((invoice) =>
      invoice.creditNotes.map((note) => ({
        id: note.id,
        number: note.number,
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        currency: invoice.currency,
        amount: note.amount,
        reason: note.reason,
        createdAt: note.createdAt,
      })),
    ),
  };
}

function totalOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    return value.reduce((sum: Decimal, g: { value: string }) => sum.plus(g.value), new Decimal(0)).toFixed();
  }
  return "0";
}

/** One of the customer's invoices with its lines and credit notes; another customer's, or a draft, is not found. */
export async function portalInvoice(deps: BillingDeps, session: PortalSession, id: string) {
  const row = await invoiceById(deps.db, session.tenantId, id);
  if (!row || row.customerId !== session.customerId || row.status === "draft") {
    throw notFound("Invoice", [{ path: "params.id", message: "no invoice with this id" }]);
  }
  return invoiceDetail(deps.db, row);
}

/** The PDF of one of the customer's finalized or void invoices; any other invoice is not found. */
export async function portalInvoicePdf(deps: BillingDeps, session: PortalSession, id: string) {
  await portalInvoice(deps, session, id);
  return invoicePdf(deps.db, session.tenantId, id);
}

/** The PDF of a credit note on one of the customer's invoices; any other credit note is not found. */
export async function portalCreditNotePdf(deps: BillingDeps, session: PortalSession, id: string) {
  if ((await creditNoteCustomer(deps.db, session.tenantId, id)) !== session.customerId) {
    throw notFound("Credit note", [{ path: "params.id", message: "no credit note with this id" }]);
  }
  return creditNotePdf(deps.db, session.tenantId, id);
}

export async function portalDailyUsage(
  deps: BillingDeps,
  session: PortalSession,
  query: { from: string; to: string },
) {
  return customerDailyUsage(deps, session.tenantId, session.customerId, query);
}
