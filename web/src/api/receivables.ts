import { readApiKey } from "../app/auth.ts";
import { ApiError, apiRequest } from "./client.ts";

export interface CompanyProfile {
  legalName: string;
  address: string;
  taxId: string | null;
  logo: string | null;
  invoiceFooter: string;
  paymentInstructions: string;
  paymentTermsDays: number;
  defaultTaxRateId: string | null;
  updatedAt: string | null;
}
export type CompanyProfileInput = Omit<CompanyProfile, "updatedAt">;

export interface TaxRate {
  id: string;
  name: string;
  percentage: string;
  createdAt: string;
}

export type TaxTreatment = "default" | "rate" | "exempt";
export type UsageReportSchedule = "off" | "weekly" | "monthly";

export interface CustomerBilling {
  customerId: string;
  address: string;
  emails: string[];
  paymentTermsDays: number | null;
  taxTreatment: TaxTreatment;
  taxRateId: string | null;
  usageReports: UsageReportSchedule;
  balances: { currency: string; amount: string }[];
  updatedAt: string | null;
}
export type CustomerBillingInput = Omit<CustomerBilling, "customerId" | "balances" | "updatedAt">;

export type PaymentStatus = "unpaid" | "partially_paid" | "paid" | "overdue";

export interface Receivable {
  invoiceId: string;
  number: string;
  customerId: string;
  customerName: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  subtotal: string;
  tax: string;
  total: string;
  credited: string;
  balanceApplied: string;
  paid: string;
  outstanding: string;
  daysOverdue: number;
  paymentStatus: PaymentStatus;
}

export interface ReceivableDetail extends Receivable {
  paymentTermsDays: number;
  taxLines: {
    taxRateId: string | null;
    name: string;
    percentage: string;
    taxableAmount: string;
    amount: string;
  }[];
  payments: {
    paymentId: string;
    amount: string;
    receivedAt: string;
    method: string;
    reference: string | null;
    reversed: boolean;
  }[];
}

export interface AgingBuckets {
  current: string;
  days1to30: string;
  days31to60: string;
  days61to90: string;
  over90: string;
  total: string;
}

export interface Aging {
  asOf: string;
  currencies: {
    currency: string;
    totals: AgingBuckets;
    customers: (AgingBuckets & { customerId: string; name: string })[];
  }[];
}

export const paymentMethods = ["bank_transfer", "card", "check", "cash", "direct_debit", "other"] as const;

export interface Payment {
  id: string;
  customerId: string;
  amount: string;
  currency: string;
  receivedAt: string;
  method: string;
  reference: string | null;
  allocations: { invoiceId: string; number: string | null; amount: string }[];
  toBalance: string;
  reversed: boolean;
  reversedAt: string | null;
  reversalReason: string | null;
  createdAt: string;
}

export interface CreatePayment {
  customerId: string;
  amount: string;
  currency: string;
  receivedAt: string;
  method: (typeof paymentMethods)[number];
  reference?: string | null;
  allocations?: { invoiceId: string; amount: string }[];
}

const id = encodeURIComponent;

export const companyApi = {
  get: () => apiRequest<CompanyProfile>("/settings/company"),
  put: (body: CompanyProfileInput) =>
    apiRequest<CompanyProfile>("/settings/company", { method: "PUT", body }),
  taxRates: () => apiRequest<{ data: TaxRate[] }>("/tax-rates"),
  createTaxRate: (body: { name: string; percentage: string }) =>
    apiRequest<TaxRate>("/tax-rates", { method: "POST", body }),
};

export const receivablesApi = {
  billing: (customerId: string) => apiRequest<CustomerBilling>(`/customers/${id(customerId)}/billing`),
  putBilling: (customerId: string, body: CustomerBillingInput) =>
    apiRequest<CustomerBilling>(`/customers/${id(customerId)}/billing`, { method: "PUT", body }),
  ofInvoice: (invoiceId: string) => apiRequest<ReceivableDetail>(`/invoices/${id(invoiceId)}/receivable`),
  list: (query: { customerId?: string; paymentStatus?: PaymentStatus; open?: boolean } = {}) => {
    const params = new URLSearchParams();
    if (query.customerId) params.set("customerId", query.customerId);
    if (query.paymentStatus) params.set("paymentStatus", query.paymentStatus);
    if (query.open) params.set("open", "true");
    return apiRequest<{ data: Receivable[] }>(`/receivables/invoices?${params}`);
  },
  aging: (asOf?: string) => apiRequest<Aging>(`/receivables/aging${asOf ? `?asOf=${asOf}` : ""}`),
};

export const paymentsApi = {
  create: (body: CreatePayment) => apiRequest<Payment>("/payments", { method: "POST", body }),
  list: (customerId?: string) =>
    apiRequest<{ data: Payment[] }>(`/payments${customerId ? `?customerId=${id(customerId)}` : ""}`),
  reverse: (paymentId: string, reason: string) =>
    apiRequest<Payment>(`/payments/${id(paymentId)}/reverse`, { method: "POST", body: { reason } }),
};

/**
 * Downloads a document (an invoice or credit note PDF) with the signed-in key — a plain link would not carry the
 * Authorization header — and hands it to the browser as a file.
 */
export async function downloadDocument(path: string, filename: string): Promise<void> {
  const key = readApiKey();
  const response = await fetch(`/v1${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code: string; message: string };
    } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? "HTTP",
      body?.error?.message ?? "Download failed",
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type EmailKind =
  | "invoice_issued"
  | "payment_received"
  | "payment_reminder"
  | "usage_report"
  | "credits_low";
export type EmailStatus = "pending" | "sending" | "sent" | "outbox" | "failed" | "no_recipient";

export interface EmailTemplate {
  kind: EmailKind;
  subject: string;
  body: string;
  variables: string[];
  custom: boolean;
  updatedAt: string | null;
}

export interface EmailMessage {
  id: string;
  kind: EmailKind;
  status: EmailStatus;
  customerId: string | null;
  invoiceId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments: string[];
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

export interface DunningCampaign {
  enabled: boolean;
  overdueDays: number;
  intervalDays: number;
  maxAttempts: number;
}

export const emailApi = {
  templates: () => apiRequest<{ data: EmailTemplate[] }>("/email-templates"),
  saveTemplate: (kind: EmailKind, body: { subject: string; body: string }) =>
    apiRequest<EmailTemplate>(`/email-templates/${kind}`, { method: "PUT", body }),
  resetTemplate: (kind: EmailKind) =>
    apiRequest<EmailTemplate>(`/email-templates/${kind}`, { method: "DELETE" }),
  preview: (kind: EmailKind, body: { subject: string; body: string }) =>
    apiRequest<{ subject: string; text: string }>(`/email-templates/${kind}/preview`, {
      method: "POST",
      body,
    }),
  messages: (query: { status?: EmailStatus; invoiceId?: string } = {}) => {
    const params = new URLSearchParams({ limit: "200" });
    if (query.status) params.set("status", query.status);
    if (query.invoiceId) params.set("invoiceId", query.invoiceId);
    return apiRequest<{ data: EmailMessage[] }>(`/email-messages?${params}`);
  },
};

export const dunningApi = {
  get: () => apiRequest<DunningCampaign>("/settings/dunning"),
  put: (body: DunningCampaign) => apiRequest<DunningCampaign>("/settings/dunning", { method: "PUT", body }),
  requestPayment: (invoiceId: string) =>
    apiRequest<{ number: string }>(`/invoices/${encodeURIComponent(invoiceId)}/request-payment`, {
      method: "POST",
    }),
};
