import type { Receivables, RevenueReport } from "@pricegraph/shared/api";
import { readApiKey } from "../app/auth.ts";
import { ApiError, apiRequest } from "./client.ts";

export type { Receivables, RevenueReport };
export type RevenueSplit = "product" | "customer" | "timing" | "month";
export type Measure = "invoiced" | "recognised" | "outstanding" | "overdue";
export type ExportFormat = "csv" | "quickbooks" | "xero";

/** A figure's filters: what the dashboard passes to the invoices behind it. */
export interface FigureFilter {
  measure: Measure;
  from: string;
  to: string;
  product?: string;
  customerId?: string;
  timing?: "recurring" | "usage";
}

const query = (values: Record<string, string | undefined>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return params.toString();
};

export const accountingApi = {
  revenue: (from: string, to: string, by: RevenueSplit, customerId?: string) =>
    apiRequest<RevenueReport>(`/reports/revenue?${query({ from, to, by, customerId })}`),
  receivables: () => apiRequest<Receivables>("/reports/receivables"),
  invoicesBehind: (f: FigureFilter) =>
    apiRequest<{ invoiceIds: string[] }>(
      `/reports/invoices?${query({ measure: f.measure, from: f.from, to: f.to, product: f.product, customerId: f.customerId, timing: f.timing })}`,
    ),
  /** Downloads the journal export as a file (the API wants the bearer key, so no plain link). */
  async downloadJournal(format: ExportFormat, from?: string, to?: string): Promise<void> {
    const key = readApiKey();
    const response = await fetch(`/v1/journal-entries/export?${query({ format, from, to })}`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });
    if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, "The export failed");
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `journal-${format}.csv`;
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
};

/** The URL of the invoices behind a figure. */
export function figureLink(f: FigureFilter): string {
  return `/dashboard/invoices?${query({ measure: f.measure, from: f.from, to: f.to, product: f.product, customer: f.customerId, timing: f.timing })}`;
}
