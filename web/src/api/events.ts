import type { Event, IngestResult, Page } from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";
import { type UploadProgress, uploadCsv } from "./upload.ts";

export const eventsApi = {
  list: (query: { customer?: string; type?: string; cursor?: string; limit?: number } = {}) => {
    const params = new URLSearchParams();
    if (query.customer) params.set("customer", query.customer);
    if (query.type) params.set("type", query.type);
    params.set("limit", String(query.limit ?? 50));
    if (query.cursor) params.set("cursor", query.cursor);
    return apiRequest<Page<Event>>(`/events?${params}`);
  },
  importCsv: (file: Blob, onProgress?: (progress: UploadProgress) => void) =>
    uploadCsv<IngestResult>("/events/csv", file, onProgress),
};

export { metricsApi } from "./metrics.ts";
