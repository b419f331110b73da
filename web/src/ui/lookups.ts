import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { type Customer, customersApi } from "../api/customers.ts";
import { type Plan, plansApi } from "../api/plans.ts";

/** Customers by id, for naming them in lists of contracts and invoices (first 500, newest first). */
export function useCustomerIndex(): Map<string, Customer> {
  const query = useQuery({
    queryKey: ["customers", "index"],
    queryFn: () => customersApi.list({ limit: 500 }),
  });
  return useMemo(() => new Map((query.data?.data ?? []).map((c) => [c.id, c])), [query.data]);
}

/** Plans by id. */
export function usePlanIndex(): Map<string, Plan> {
  const query = useQuery({ queryKey: ["plans"], queryFn: () => plansApi.list() });
  return useMemo(() => new Map((query.data?.data ?? []).map((p) => [p.id, p])), [query.data]);
}
