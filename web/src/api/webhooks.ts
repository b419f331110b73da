import { apiRequest } from "./client.ts";

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  /** Activity types delivered; `["*"]` for all. */
  eventTypes: string[];
  enabled: boolean;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  /** Shown in the create (and rotate) response only. */
  secret: string;
}

export type DeliveryStatus = "pending" | "succeeded" | "failed" | "canceled";

export interface WebhookAttempt {
  attemptedAt: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  manual: boolean;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  type: string;
  status: DeliveryStatus;
  attempts: WebhookAttempt[];
  nextAttemptAt: string | null;
  createdAt: string;
}

export interface NewWebhookEndpoint {
  url: string;
  description?: string;
  eventTypes: string[];
}

const endpointPath = (id: string) => `/webhook-endpoints/${encodeURIComponent(id)}`;

export const webhooksApi = {
  list: () => apiRequest<{ data: WebhookEndpoint[] }>("/webhook-endpoints"),
  create: (body: NewWebhookEndpoint) =>
    apiRequest<WebhookEndpointWithSecret>("/webhook-endpoints", { method: "POST", body }),
  setEnabled: (id: string, enabled: boolean) =>
    apiRequest<WebhookEndpoint>(endpointPath(id), { method: "PATCH", body: { enabled } }),
  remove: (id: string) => apiRequest<WebhookEndpoint>(endpointPath(id), { method: "DELETE" }),
  sendTest: (id: string) => apiRequest<WebhookDelivery>(`${endpointPath(id)}/test`, { method: "POST" }),
  deliveries: (id: string, cursor?: string) =>
    apiRequest<{ data: WebhookDelivery[]; nextCursor: string | null }>(
      `${endpointPath(id)}/deliveries?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    ),
  resend: (id: string, deliveryId: string) =>
    apiRequest<WebhookDelivery>(`${endpointPath(id)}/deliveries/${encodeURIComponent(deliveryId)}/resend`, {
      method: "POST",
    }),
};
