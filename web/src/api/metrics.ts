import type {
  CreateMetric,
  Metric,
  MetricPreview,
  MetricPreviewBody,
  Page,
  UnmatchedUsage,
  UpdateMetric,
} from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export const metricsApi = {
  list: () => apiRequest<Page<Metric>>("/metrics?limit=500"),
  get: (key: string) => apiRequest<Metric>(`/metrics/${encodeURIComponent(key)}`),
  create: (body: CreateMetric) => apiRequest<Metric>("/metrics", { method: "POST", body }),
  update: (key: string, body: UpdateMetric) =>
    apiRequest<Metric>(`/metrics/${encodeURIComponent(key)}`, { method: "PATCH", body }),
  preview: (body: MetricPreviewBody, signal?: AbortSignal) =>
    apiRequest<MetricPreview>("/metrics/preview", { method: "POST", body, signal }),
};

export const unmatchedUsageApi = {
  get: (query: { from?: string; to?: string } = {}) => {
    const params = new URLSearchParams();
    if (query.from) params.set("from", query.from);
    if (query.to) params.set("to", query.to);
    const search = params.toString();
    return apiRequest<UnmatchedUsage>(`/usage/unmatched${search ? `?${search}` : ""}`);
  },
};
