import { apiRequest } from "./client.ts";

export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it. */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKey {
  /** Shown in the create response only. */
  secret: string;
}

export const apiKeysApi = {
  list: () => apiRequest<{ data: ApiKey[] }>("/api-keys?includeRevoked=true"),
  create: (name: string) => apiRequest<CreatedApiKey>("/api-keys", { method: "POST", body: { name } }),
  revoke: (keyId: string) =>
    apiRequest<ApiKey>(`/api-keys/${encodeURIComponent(keyId)}`, { method: "DELETE" }),
};

export const billingSettingsApi = {
  get: () => apiRequest<{ gracePeriodHours: number }>("/billing/settings"),
  set: (gracePeriodHours: number) =>
    apiRequest<{ gracePeriodHours: number }>("/billing/settings", {
      method: "PUT",
      body: { gracePeriodHours },
    }),
};
