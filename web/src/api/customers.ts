import { apiRequest } from "./client.ts";
import type { Page } from "./plans.ts";
import { type UploadProgress, uploadCsv } from "./upload.ts";

export interface Customer {
  id: string;
  externalId: string;
  name: string;
  email: string | null;
  timezone: string;
  currency: string | null;
  createdAt: string;
}

export interface CreateCustomer {
  externalId: string;
  name: string;
  email?: string | null;
  timezone?: string;
  currency?: string | null;
}

export interface MetricUsage {
  key: string;
  /** Decimal string. */
  value: string;
  groups?: { group: Record<string, string>; value: string }[];
}

export interface CustomerUsage {
  from: string;
  to: string;
  metrics: MetricUsage[];
}

/** Per calendar day of the customer's time zone (GET /customers/:id/usage/daily). */
export interface CustomerDailyUsage {
  from: string;
  to: string;
  timezone: string;
  days: { date: string; metrics: { key: string; value: string }[] }[];
}

const id = encodeURIComponent;

export const customersApi = {
  list: (query: { search?: string; limit?: number; cursor?: string } = {}) => {
    const params = new URLSearchParams();
    if (query.search) params.set("search", query.search);
    params.set("limit", String(query.limit ?? 50));
    if (query.cursor) params.set("cursor", query.cursor);
    return apiRequest<Page<Customer>>(`/customers?${params}`);
  },
  get: (customerId: string) => apiRequest<Customer>(`/customers/${id(customerId)}`),
  create: (body: CreateCustomer) => apiRequest<Customer>("/customers", { method: "POST", body }),
  /** Usage of every metric over [from, to) (instants). */
  usage: (customerId: string, range: { from: string; to: string }, signal?: AbortSignal) =>
    apiRequest<CustomerUsage>(
      `/customers/${id(customerId)}/usage?from=${id(range.from)}&to=${id(range.to)}`,
      { signal },
    ),
  /** Usage of every metric per customer-local day over [from, to), in one request. */
  dailyUsage: (customerId: string, range: { from: string; to: string }, signal?: AbortSignal) =>
    apiRequest<CustomerDailyUsage>(
      `/customers/${id(customerId)}/usage/daily?from=${id(range.from)}&to=${id(range.to)}`,
      { signal },
    ),
  importCsv: (file: Blob, onProgress?: (progress: UploadProgress) => void) =>
    uploadCsv<{ imported: number; data: Customer[] }>("/customers/csv", file, onProgress),
};
