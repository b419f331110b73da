import type {
  CreatedPortalLink,
  InvoiceDetail,
  PortalCreditNote,
  PortalDailyUsage,
  PortalInvoice,
  PortalOverview,
  PortalPeriod,
} from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export type {
  CreatedPortalLink,
  PortalCreditNote,
  PortalDailyUsage,
  PortalInvoice,
  PortalOverview,
  PortalPeriod,
};

/** The portal's error message, or a generic one: a plain Error, not an ApiError (see `portalRequest`). */
async function portalError(response: Response): Promise<Error> {
  const payload = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string };
  } | null;
  return new Error(payload?.error?.message ?? `Request failed (${response.status})`);
}

/** The portal's read-only API: the token from the link instead of an API key. */
async function portalRequest<T>(token: string, path: string): Promise<T> {
  const response = await fetch(`/portal-api${path}`, {
    headers: { accept: "application/json", authorization: `Bearer ${token}` },
  });
  // A plain Error, not an ApiError: the app signs out on an ApiError 401, and a portal visitor is not signed in.
  if (!response.ok) throw await portalError(response);
  return (await response.json()) as T;
}

/**
 * Downloads one of the customer's PDFs with the portal token — a plain link would not carry the Authorization
 * header — and hands it to the browser as a file.
 */
async function downloadPortalPdf(token: string, path: string, filename: string): Promise<void> {
  const response = await fetch(`/portal-api${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw await portalError(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const id = encodeURIComponent;

export const portalApi = {
  overview: (token: string) => portalRequest<PortalOverview>(token, "/overview"),
  invoice: (token: string, invoiceId: string) =>
    portalRequest<InvoiceDetail>(token, `/invoices/${id(invoiceId)}`),
  dailyUsage: (token: string, from: string, to: string) =>
    portalRequest<PortalDailyUsage>(token, `/usage/daily?from=${id(from)}&to=${id(to)}`),
  invoicePdf: (token: string, invoice: { id: string; number: string | null }) =>
    downloadPortalPdf(token, `/invoices/${id(invoice.id)}/pdf`, `${invoice.number ?? invoice.id}.pdf`),
  creditNotePdf: (token: string, note: { id: string; number: string }) =>
    downloadPortalPdf(token, `/credit-notes/${id(note.id)}/pdf`, `${note.number}.pdf`),
};

/** Creating a link is an API-key call (under /v1), unlike the portal's own reads above. */
export const portalLinksApi = {
  create: (customerId: string, expiresInHours: number) =>
    apiRequest<CreatedPortalLink>(`/customers/${id(customerId)}/portal-links`, {
      method: "POST",
      body: { expiresInHours },
    }),
};
