import type {
  ArchivedFilter,
  CreateCustomerRequest,
  Customer,
  CustomerDailyUsage,
  CustomerUsage,
  ImportCustomersResult,
  Page,
  UpdateCustomer,
} from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";
import { type UploadProgress, uploadCsv } from "./upload.ts";

export type {
  CreateCustomerRequest as CreateCustomer,
  Customer,
  CustomerDailyUsage,
  CustomerUsage,
  UpdateCustomer,
};

const id = encodeURIComponent;

export const customersApi = {
  /** Pickers list active customers (the default). */
  list: (
    query: {
      search?: string;
      parentId?: string;
      limit?: number;
      cursor?: string;
      archived?: ArchivedFilter;
    } = {},
  ) => {
    const params = new URLSearchParams();
    if (query.search) params.set("search", query.search);
    if (query.parentId) params.set("parentId", query.parentId);
    if (query.archived && query.archived !== "active") params.set("archived", query.archived);
    params.set("limit", String(query.limit ?? 50));
    if (query.cursor) params.set("cursor", query.cursor);
    return apiRequest<Page<Customer>>(`/customers?${params}`);
  },
  get: (customerId: string) => apiRequest<Customer>(`/customers/${id(customerId)}`),
  create: (body: CreateCustomerRequest) => apiRequest<Customer>("/customers", { method: "POST", body }),
  update: (customerId: string, body: UpdateCustomer) =>
    apiRequest<Customer>(`/customers/${id(customerId)}`, { method: "PATCH", body }),
  archive: (customerId: string) =>
    apiRequest<Customer>(`/customers/${id(customerId)}/archive`, { method: "POST", body: {} }),
  unarchive: (customerId: string) =>
    apiRequest<Customer>(`/customers/${id(customerId)}/unarchive`, { method: "POST", body: {} }),
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
    uploadCsv<ImportCustomersResult>("/customers/csv", file, onProgress),
};
