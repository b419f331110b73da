import type { EvaluationOutput, InvoiceLineOutput } from "@pricegraph/engine";
import { apiRequest } from "./client.ts";
import type { Page } from "./plans.ts";

export type BillingPeriod = "monthly" | "quarterly" | "yearly";
export const billingPeriods: BillingPeriod[] = ["monthly", "quarterly", "yearly"];

export interface CreditGrantInput {
  pool: string;
  amount: string;
  expiresAt?: string | null;
}

export interface Contract {
  id: string;
  customerId: string;
  planId: string;
  planVersion: number;
  startDate: string;
  endDate: string | null;
  billingPeriod: BillingPeriod;
  paramOverrides: Record<string, string>;
  creditGrants: { pool: string; amount: string; expiresAt: string | null }[];
  createdAt: string;
}

export interface CreateContract {
  customerId: string;
  planId: string;
  planVersion?: number;
  startDate: string;
  endDate?: string | null;
  billingPeriod: BillingPeriod;
  paramOverrides: Record<string, string>;
  creditGrants: CreditGrantInput[];
}

export interface ContractCredits {
  contractId: string;
  asOf: string;
  pools: { pool: string; balance: string }[];
  grants: {
    id: string;
    pool: string;
    amount: string;
    balance: string;
    expiresAt: string | null;
    expired: boolean;
  }[];
  ledger: {
    id: string;
    grantId: string;
    pool: string;
    kind: "drawdown" | "reversal";
    amount: string;
    invoiceId: string | null;
    invoiceLineId: string | null;
    createdAt: string;
  }[];
}

export interface UsageReport {
  contractId: string;
  currency: string;
  period: {
    start: string;
    end: string;
    startDate: string;
    endDate: string;
    proration: string;
    complete: boolean;
    today: string;
  };
  metrics: { key: string; groupBy: string[]; value: unknown }[];
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
  lines: Pick<InvoiceLineOutput, "nodeId" | "description" | "product" | "timing" | "quantity" | "amount">[];
  total: string;
}

export type ContractQuote = EvaluationOutput & { periodStart: string; periodEnd: string };

const id = encodeURIComponent;

export const contractsApi = {
  list: (query: { customerId?: string; planId?: string; limit?: number; cursor?: string } = {}) => {
    const params = new URLSearchParams();
    if (query.customerId) params.set("customerId", query.customerId);
    if (query.planId) params.set("planId", query.planId);
    params.set("limit", String(query.limit ?? 100));
    if (query.cursor) params.set("cursor", query.cursor);
    return apiRequest<Page<Contract>>(`/contracts?${params}`);
  },
  get: (contractId: string) => apiRequest<Contract>(`/contracts/${id(contractId)}`),
  create: (body: CreateContract) => apiRequest<Contract>("/contracts", { method: "POST", body }),
  credits: (contractId: string) => apiRequest<ContractCredits>(`/contracts/${id(contractId)}/credits`),
  grant: (contractId: string, body: CreditGrantInput) =>
    apiRequest<ContractCredits["grants"][number]>(`/contracts/${id(contractId)}/credit-grants`, {
      method: "POST",
      body,
    }),
  usageReport: (contractId: string, periodStart?: string) =>
    apiRequest<UsageReport>(
      `/contracts/${id(contractId)}/usage-report${periodStart ? `?periodStart=${id(periodStart)}` : ""}`,
    ),
};
