import type { InvoiceLineOutput } from "@pricegraph/engine";
import { apiRequest } from "./client.ts";
import type { Page } from "./plans.ts";

export type InvoiceStatus = "draft" | "finalized" | "void";
export const invoiceStatuses: InvoiceStatus[] = ["draft", "finalized", "void"];

export interface Invoice {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  /** "adjustment": late events of a contract that has ended; its period is empty, at the contract's end. */
  kind: "period" | "adjustment";
  customerId: string;
  contractId: string;
  planId: string;
  planVersion: number;
  currency: string;
  periodStart: string;
  periodEnd: string;
  periodStartDate: string;
  /** Local date, exclusive. */
  periodEndDate: string;
  proration: string;
  total: string;
  creditedAmount: string;
  amountDue: string;
  billingRunId: string | null;
  createdAt: string;
  updatedAt: string;
  finalizedAt: string | null;
  voidedAt: string | null;
}

export interface ServicePeriod {
  start: string;
  end: string;
  startDate: string;
  endDate: string;
}

/** The engine's invoice line as billed and stored, with its credits and credit notes. */
export interface InvoiceLine extends InvoiceLineOutput {
  id: string;
  position: number;
  kind: "charge" | "adjustment";
  servicePeriod: ServicePeriod;
  creditsApplied: string;
  credited: string;
}

export interface CreditNote {
  id: string;
  number: string;
  amount: string;
  reason: string;
  createdAt: string;
  lines: { lineId: string | null; amount: string }[];
}

export interface InvoiceDetail extends Invoice {
  lines: InvoiceLine[];
  creditNotes: CreditNote[];
}

export type CreateCreditNote =
  | { reason: string; amount: string }
  | { reason: string; lines: { lineId: string; amount: string }[] };

export interface BillingRun {
  id: string;
  asOf: string;
  status: "queued" | "running" | "done" | "failed";
  done: number;
  total: number;
  invoicesCreated: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

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
  creditNote: (invoiceId: string, body: CreateCreditNote) =>
    apiRequest<InvoiceDetail>(`/invoices/${id(invoiceId)}/credit-notes`, { method: "POST", body }),
};

export const billingRunsApi = {
  start: (asOf: string) => apiRequest<BillingRun>("/billing-runs", { method: "POST", body: { asOf } }),
  get: (runId: string) => apiRequest<BillingRun>(`/billing-runs/${id(runId)}`),
  list: () => apiRequest<Page<BillingRun>>("/billing-runs?limit=10"),
};
