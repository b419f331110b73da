import type {
  AddOnRequest,
  Contract,
  ContractAddOn,
  ContractCredits,
  CreateContractRequest,
  CreateGrantRequest,
  CreditGrant,
  Page,
  UsageReport,
} from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export { type BillingPeriod, billingPeriods } from "@pricegraph/shared";
export type {
  AddOnRequest,
  Contract,
  ContractAddOn,
  ContractCredits,
  CreateContractRequest as CreateContract,
  UsageReport,
};

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
  create: (body: CreateContractRequest) => apiRequest<Contract>("/contracts", { method: "POST", body }),
  addAddOn: (contractId: string, body: AddOnRequest) =>
    apiRequest<ContractAddOn>(`/contracts/${id(contractId)}/add-ons`, { method: "POST", body }),
  credits: (contractId: string) => apiRequest<ContractCredits>(`/contracts/${id(contractId)}/credits`),
  grant: (contractId: string, body: CreateGrantRequest) =>
    apiRequest<CreditGrant>(`/contracts/${id(contractId)}/credit-grants`, {
      method: "POST",
      body,
    }),
  usageReport: (contractId: string, periodStart?: string) =>
    apiRequest<UsageReport>(
      `/contracts/${id(contractId)}/usage-report${periodStart ? `?periodStart=${id(periodStart)}` : ""}`,
    ),
};
