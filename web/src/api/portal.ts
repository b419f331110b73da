import { apiRequest } from "./client.ts";
import type { Invoice, InvoiceDetail } from "./invoices.ts";

export interface PortalPeriod {
  contractId: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  periodStartDate: string;
  /** Exclusive. */
  periodEndDate: string;
  metrics: { key: string; value: string }[];
  freeUnits: {
    nodeId: string;
    label: string | null;
    metric: string | null;
    used: string;
    free: string;
    billable: string;
    allowance: string | null;
    remaining: string | null;
  }[];
  lines: { description: string; quantity: string | null; amount: string }[];
  total: string;
  credits: { pool: string; opening: string; used: string; closing: string }[];
}

export interface PortalOverview {
  customer: { name: string; externalId: string; timezone: string };
  expiresAt: string;
  periods: PortalPeriod[];
  invoices: Invoice[];
  creditNotes: {
    id: string;
    number: string;
    invoiceId: string;
    invoiceNumber: string | null;
    amount: string;
    reason: string | null;
    createdAt: string;
  }[];
}

export interface PortalDailyUsage {
  timezone: string;
  days: { date: string; metrics: { key: string; value: string }[] }[];
}

/** The portal's read-only API: the token from the link instead of an API key. */
async function portalRequest<T>(token: string, path: string): Promise<T> {
  const response = await fetch(`/portal-api${path}`, {
    headers: { accept: "application/json", authorization: `Bearer ${token}` },
  });
  const payload = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string };
  } | null;
  // A plain Error, not an ApiError: the app signs out on an ApiError 401, and a portal visitor is not signed in.
  if (!response.ok) throw new Error(payload?.error?.message ?? `Request failed (${response.status})`);
  return payload as T;
}

export const portalApi = {
  overview: (token: string) => portalRequest<PortalOverview>(token, "/overview"),
  invoice: (token: string, id: string) =>
    portalRequest<InvoiceDetail>(token, `/invoices/${encodeURIComponent(id)}`),
  dailyUsage: (token: string, from: string, to: string) =>
    portalRequest<PortalDailyUsage>(
      token,
      `/usage/daily?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    ),
};

export interface CreatedPortalLink {
  id: string;
  url: string;
  expiresAt: string;
}

/** Creating a link is an API-key call (under /v1), unlike the portal's own reads above. */
export const portalLinksApi = {
  create: (customerId: string, expiresInHours: number) =>
    apiRequest<CreatedPortalLink>(`/customers/${encodeURIComponent(customerId)}/portal-links`, {
      method: "POST",
      body: { expiresInHours },
    }),
};
