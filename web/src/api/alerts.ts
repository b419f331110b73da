import { apiRequest } from "./client.ts";

export type AlertKind = "usage" | "spend" | "credit_balance";

export interface Alert {
  id: string;
  name: string;
  kind: AlertKind;
  metricKey: string | null;
  /** Null: every customer of the tenant, each on its own. */
  customerId: string | null;
  thresholds: string[];
  createdAt: string;
}

export interface AlertFiring {
  id: string;
  alertId: string;
  alertName: string;
  kind: AlertKind;
  metricKey: string | null;
  customerId: string;
  contractId: string;
  periodStart: string;
  threshold: string;
  value: string;
  firedAt: string;
}

export interface NewAlert {
  name: string;
  kind: AlertKind;
  metricKey?: string;
  customerId?: string;
  thresholds: string[];
}

export const alertsApi = {
  list: () => apiRequest<{ data: Alert[] }>("/alerts"),
  create: (body: NewAlert) => apiRequest<Alert>("/alerts", { method: "POST", body }),
  remove: (id: string) => apiRequest<Alert>(`/alerts/${encodeURIComponent(id)}`, { method: "DELETE" }),
  firings: (cursor?: string) =>
    apiRequest<{ data: AlertFiring[]; nextCursor: string | null }>(
      `/alert-firings?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    ),
};
