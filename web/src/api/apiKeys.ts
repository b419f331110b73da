import type { InvoiceConsolidation, Role } from "@pricegraph/shared";
import type { ApiKey, BillingSettings, CreatedApiKey } from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export type { ApiKey, CreatedApiKey };

export const apiKeysApi = {
  list: () => apiRequest<{ data: ApiKey[] }>("/api-keys?includeRevoked=true"),
  create: (name: string, role: Role = "admin") =>
    apiRequest<CreatedApiKey>("/api-keys", { method: "POST", body: { name, role } }),
  revoke: (keyId: string) =>
    apiRequest<ApiKey>(`/api-keys/${encodeURIComponent(keyId)}`, { method: "DELETE" }),
};

export const billingSettingsApi = {
  get: () => apiRequest<BillingSettings>("/billing/settings"),
  set: (gracePeriodHours: number) =>
    apiRequest<BillingSettings>("/billing/settings", {
      method: "PUT",
      body: { gracePeriodHours },
    }),
  /** Scheduled runs: on or off, and the UTC hour they start at (the grace period is left as it is). */
  setSchedule: (scheduledRuns: boolean, scheduledRunHour: number) =>
    apiRequest<BillingSettings>("/billing/settings", {
      method: "PUT",
      body: { scheduledRuns, scheduledRunHour },
    }),
  /** One invoice per contract, or one per customer and period for contracts whose periods coincide. */
  setConsolidation: (invoiceConsolidation: InvoiceConsolidation) =>
    apiRequest<BillingSettings>("/billing/settings", {
      method: "PUT",
      body: { invoiceConsolidation },
    }),
};
