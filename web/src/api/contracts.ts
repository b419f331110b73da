import type {
  AddOnRequest,
  AmendContractRequest,
  Contract,
  ContractAddOn,
  ContractCredits,
  ContractPeriodQuote,
  ContractQuoteRequest,
  ContractSettings,
  CreateContractRequest,
  CreateGrantRequest,
  CreditGrant,
  EndedAddOn,
  EndedContract,
  Page,
  SetRenewal,
  UsageReport,
} from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export { type BillingPeriod, billingPeriods } from "@pricegraph/shared";
export type {
  AddOnRequest,
  Contract,
  ContractAddOn,
  ContractCredits,
  ContractPeriodQuote,
  ContractQuoteRequest,
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
  amendAddOn: (contractId: string, addOnId: string, body: AmendContractRequest) =>
    apiRequest<ContractAddOn>(`/contracts/${id(contractId)}/add-ons/${id(addOnId)}/amendments`, {
      method: "POST",
      body,
    }),
  endAddOn: (contractId: string, addOnId: string, body: { endDate: string; reason: string }) =>
    apiRequest<EndedAddOn>(`/contracts/${id(contractId)}/add-ons/${id(addOnId)}/end`, {
      method: "POST",
      body,
    }),
  credits: (contractId: string) => apiRequest<ContractCredits>(`/contracts/${id(contractId)}/credits`),
  grant: (contractId: string, body: CreateGrantRequest) =>
    apiRequest<CreditGrant>(`/contracts/${id(contractId)}/credit-grants`, {
      method: "POST",
      body,
    }),
  amend: (contractId: string, body: AmendContractRequest) =>
    apiRequest<Contract>(`/contracts/${id(contractId)}/amendments`, { method: "POST", body }),
  end: (contractId: string, body: { endDate: string; reason: string }) =>
    apiRequest<EndedContract>(`/contracts/${id(contractId)}/end`, { method: "POST", body }),
  setRenewal: (contractId: string, body: SetRenewal) =>
    apiRequest<Contract>(`/contracts/${id(contractId)}/renewal`, { method: "PUT", body }),
  quote: (contractId: string, body: ContractQuoteRequest, signal?: AbortSignal) =>
    apiRequest<ContractPeriodQuote>(`/contracts/${id(contractId)}/quote`, { method: "POST", body, signal }),
  settings: () => apiRequest<ContractSettings>("/contract-settings"),
  setSettings: (body: ContractSettings) =>
    apiRequest<ContractSettings>("/contract-settings", { method: "PUT", body }),
  usageReport: (contractId: string, periodStart?: string) =>
    apiRequest<UsageReport>(
      `/contracts/${id(contractId)}/usage-report${periodStart ? `?periodStart=${id(periodStart)}` : ""}`,
    ),
};
