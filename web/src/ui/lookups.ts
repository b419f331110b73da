import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { type Customer, customersApi } from "../api/customers.ts";
import { type Plan, plansApi } from "../api/plans.ts";

/** Customers by id, archived ones too, for naming them in lists of contracts and invoices (first 500, newest first). */
export function useCustomerIndex(): Map<string, Customer> {
  const query = useQuery({
    queryKey: ["customers", "index"],
    queryFn: () => customersApi.list({ limit: 500, archived: "all" }),
  });
  return useMemo(() => new Map((query.data?.data ?? []).map((c) => [c.id, c])), [query.data]);
}

/** Plans by id, archived ones too: contracts on an archived plan still name it. */
export function usePlanIndex(): Map<string, Plan> {
  const query = useQuery({ queryKey: ["plans", "all"], queryFn: () => plansApi.list(undefined, "all") });
  return useMemo(() => new Map((query.data?.data ?? []).map((p) => [p.id, p])), [query.data]);
}

/** One customer, fetched once its id is known (a contract's or an invoice's). */
export function useCustomer(customerId: string | undefined) {
  return useQuery({
    queryKey: ["customer", customerId],
    queryFn: () => customersApi.get(customerId!),
    enabled: !!customerId,
  });
}

/** One plan, fetched once its id is known. */
export function usePlan(planId: string | undefined) {
  return useQuery({
    queryKey: ["plan", planId],
    queryFn: () => plansApi.get(planId!),
    enabled: !!planId,
  });
}

/** One published version of a plan, fetched once both are known and `enabled` allows. */
export function usePlanVersion(planId: string | undefined, version: number | undefined, enabled = true) {
  return useQuery({
    queryKey: ["version", planId, version],
    queryFn: () => plansApi.version(planId!, version!),
    enabled: enabled && !!planId && version !== undefined,
  });
}
