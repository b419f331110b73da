import type { InvoiceLineOutput } from "@pricegraph/engine";
import type { InvoiceStatus } from "@pricegraph/shared";
import type {
  InvoiceDetail as ApiInvoiceDetail,
  InvoiceLine as ApiInvoiceLine,
  BillingRun,
  CreateCreditNoteRequest,
  Invoice,
  Page,
} from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export { type InvoiceStatus, invoiceStatuses } from "@pricegraph/shared";
export type { BillingRun, CreateCreditNoteRequest as CreateCreditNote, Invoice };

/**
 * An invoice line as billed and stored. The API declares `explanation` as an open list (the engine owns its
 * shape); the web reads it as the engine's explanation to draw "why this amount".
 */
export type InvoiceLine = Omit<ApiInvoiceLine, "explanation"> & Pick<InvoiceLineOutput, "explanation">;

export type InvoiceDetail = Omit<ApiInvoiceDetail, "lines"> & { lines: InvoiceLine[] };

export interface InvoiceQuery {
  status?: InvoiceStatus;
  customerId?: string;
  contractId?: string;
  cursor?: string;
  limit?: number;
}

const id = encodeURIComponent;

export const invoicesApi = {
  list: (query: InvoiceQuery = {}) => {
    const params = new URLSearchParams();
    if (query.status) params.set("status", query.status);
    if (query.customerId) params.set("customerId", query.customerId);
    if (query.contractId) params.set("contractId", query.contractId);
    params.set("limit", String(query.limit ?? 100));
    if (query.cursor) params.set("cursor", query.cursor);
    return apiRequest<Page<Invoice>>(`/invoices?${params}`);
  },
  get: (invoiceId: string) => apiRequest<InvoiceDetail>(`/invoices/${id(invoiceId)}`),
  refresh: (invoiceId: string) =>
    apiRequest<InvoiceDetail>(`/invoices/${id(invoiceId)}/refresh`, { method: "POST" }),
  finalize: (invoiceId: string) =>
    apiRequest<InvoiceDetail>(`/invoices/${id(invoiceId)}/finalize`, { method: "POST" }),
  void: (invoiceId: string) =>
    apiRequest<InvoiceDetail>(`/invoices/${id(invoiceId)}/void`, { method: "POST" }),
  creditNote: (invoiceId: string, body: CreateCreditNoteRequest) =>
    apiRequest<InvoiceDetail>(`/invoices/${id(invoiceId)}/credit-notes`, { method: "POST", body }),
};

export const billingRunsApi = {
  start: (asOf: string) => apiRequest<BillingRun>("/billing-runs", { method: "POST", body: { asOf } }),
  get: (runId: string) => apiRequest<BillingRun>(`/billing-runs/${id(runId)}`),
  list: () => apiRequest<Page<BillingRun>>("/billing-runs?limit=10"),
};
