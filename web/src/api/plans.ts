import type { PlanDocumentInput } from "@pricegraph/shared";
import type {
  ArchivedFilter,
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
  /** Pickers list active plans (the default); the plans page asks for `all`. */
  list: (apiKey?: string, archived: ArchivedFilter = "active") =>
    apiRequest<Page<Plan>>(archived === "active" ? "/plans" : `/plans?archived=${archived}&limit=500`, {
      apiKey,
    }),
  get: (id: string) => apiRequest<Plan>(`/plans/${encodeURIComponent(id)}`),
  create: (body: CreatePlanRequest) => apiRequest<Plan>("/plans", { method: "POST", body }),
  rename: (id: string, body: UpdatePlanRequest) =>
    apiRequest<Plan>(`/plans/${encodeURIComponent(id)}`, { method: "PATCH", body }),
  archive: (id: string) =>
    apiRequest<Plan>(`/plans/${encodeURIComponent(id)}/archive`, { method: "POST", body: {} }),
  unarchive: (id: string) =>
    apiRequest<Plan>(`/plans/${encodeURIComponent(id)}/unarchive`, { method: "POST", body: {} }),
  remove: (id: string) => apiRequest<Plan>(`/plans/${encodeURIComponent(id)}`, { method: "DELETE" }),
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
