import { apiRequest } from "./client.ts";
import type { Page } from "./plans.ts";
import { type UploadProgress, uploadCsv } from "./upload.ts";

export interface UsageEvent {
  id: string;
  /** The customer's external id. */
  customer: string;
  type: string;
  timestamp: string;
  properties: Record<string, unknown>;
  receivedAt: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  events: { id: string; status: "accepted" | "duplicate" }[];
}

export interface Metric {
  key: string;
  name: string;
  description: string | null;
  eventType: string;
  aggregation: string;
  property: string | null;
  groupBy: string[];
}

export const eventsApi = {
  list: (query: { customer?: string; type?: string; cursor?: string; limit?: number } = {}) => {
    const params = new URLSearchParams();
    if (query.customer) params.set("customer", query.customer);
    if (query.type) params.set("type", query.type);
    params.set("limit", String(query.limit ?? 50));
    if (query.cursor) params.set("cursor", query.cursor);
    return apiRequest<Page<UsageEvent>>(`/events?${params}`);
  },
  importCsv: (file: Blob, onProgress?: (progress: UploadProgress) => void) =>
    uploadCsv<IngestResult>("/events/csv", file, onProgress),
};

export const metricsApi = {
  list: () => apiRequest<Page<Metric>>("/metrics?limit=500"),
};
