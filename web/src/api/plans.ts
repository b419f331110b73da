import type { PlanDocumentInput } from "@pricegraph/shared";
import type {
  CreatePlanRequest,
  Page,
  Plan,
  PlanVersion,
  SaveDraftResult,
  UpdatePlanRequest,
} from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export type { Page, Plan, PlanVersion };

export const plansApi = {
  list: (apiKey?: string) => apiRequest<Page<Plan>>("/plans", { apiKey }),
  get: (id: string) => apiRequest<Plan>(`/plans/${encodeURIComponent(id)}`),
  create: (body: CreatePlanRequest) => apiRequest<Plan>("/plans", { method: "POST", body }),
  rename: (id: string, body: UpdatePlanRequest) =>
    apiRequest<Plan>(`/plans/${encodeURIComponent(id)}`, { method: "PATCH", body }),
  saveDraft: (id: string, document: PlanDocumentInput) =>
    apiRequest<SaveDraftResult>(`/plans/${encodeURIComponent(id)}/draft`, {
      method: "PUT",
      body: { document },
    }),
  publish: (id: string) =>
    apiRequest<PlanVersion>(`/plans/${encodeURIComponent(id)}/versions`, { method: "POST", body: {} }),
  versions: (id: string) => apiRequest<{ data: PlanVersion[] }>(`/plans/${encodeURIComponent(id)}/versions`),
  version: (id: string, version: number) =>
    apiRequest<PlanVersion>(`/plans/${encodeURIComponent(id)}/versions/${version}`),
};
