import type { PlanDocumentInput, Problem } from "@pricegraph/shared";
import { apiRequest } from "./client.ts";

export interface Plan {
  id: string;
  name: string;
  description: string | null;
  draft: PlanDocumentInput;
  createdAt: string;
  updatedAt: string;
  latestVersion: number | null;
}

export interface PlanVersion {
  planId: string;
  version: number;
  document: PlanDocumentInput;
  publishedAt: string;
}

export interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

export const plansApi = {
  list: (apiKey?: string) => apiRequest<Page<Plan>>("/plans", { apiKey }),
  get: (id: string) => apiRequest<Plan>(`/plans/${encodeURIComponent(id)}`),
  create: (body: { name: string; description?: string; document?: PlanDocumentInput; currency?: string }) =>
    apiRequest<Plan>("/plans", { method: "POST", body }),
  rename: (id: string, body: { name?: string; description?: string }) =>
    apiRequest<Plan>(`/plans/${encodeURIComponent(id)}`, { method: "PATCH", body }),
  saveDraft: (id: string, document: PlanDocumentInput) =>
    apiRequest<{ plan: Plan; problems: Problem[] }>(`/plans/${encodeURIComponent(id)}/draft`, {
      method: "PUT",
      body: { document },
    }),
  publish: (id: string) =>
    apiRequest<PlanVersion>(`/plans/${encodeURIComponent(id)}/versions`, { method: "POST", body: {} }),
  versions: (id: string) => apiRequest<{ data: PlanVersion[] }>(`/plans/${encodeURIComponent(id)}/versions`),
  version: (id: string, version: number) =>
    apiRequest<PlanVersion>(`/plans/${encodeURIComponent(id)}/versions/${version}`),
};
