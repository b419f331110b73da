import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { contractsApi } from "../api/contracts.ts";
import { customersApi } from "../api/customers.ts";
import { plansApi } from "../api/plans.ts";
import { Crumbs, PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";
import { AddOnPicker } from "./AddOns.tsx";
import { ContractTermsForm } from "./ContractTermsForm.tsx";
import { type ContractTerms, contractBody } from "./contractForm.ts";
import "./contracts.css";

/** Puts a customer on a published plan version: pick both, then the terms form with its live quote. */
export function NewContractPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const customerId = params.get("customer") ?? "";
  const planId = params.get("plan") ?? "";
  const [versionChoice, setVersionChoice] = useState<number | null>(null);
  const [addOns, setAddOns] = useState<string[]>([]);

  const customers = useQuery({
    queryKey: ["customers", "index"],
    queryFn: () => customersApi.list({ limit: 500 }),
  });
  const customer = useQuery({
    queryKey: ["customer", customerId],
    queryFn: () => customersApi.get(customerId),
    enabled: !!customerId,
  });
  const plans = useQuery({ queryKey: ["plans"], queryFn: () => plansApi.list() });
  const published = (plans.data?.data ?? []).filter((p) => p.latestVersion !== null);
  const plan = published.find((p) => p.id === planId);
  const versionNumber = versionChoice ?? plan?.latestVersion ?? null;
  const version = useQuery({
    queryKey: ["version", planId, versionNumber],
    queryFn: () => plansApi.version(planId, versionNumber!),
    enabled: !!plan && versionNumber !== null,
  });

  const create = useMutation({
    mutationFn: (terms: ContractTerms) =>
      contractsApi.create({
        ...contractBody(terms, version.data!.document, { customerId, planId, planVersion: versionNumber! }),
        addOns: addOns.filter((id) => id !== planId).map((addOnPlanId) => ({ planId: addOnPlanId })),
      }),
    onSuccess: (contract) => {
      queryClient.invalidateQueries({ queryKey: ["contracts"] });
      navigate(`/contracts/${contract.id}`);
    },
  });

  const choose = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === "plan") setVersionChoice(null);
    setParams(next, { replace: true });
  };

  // The selected customer stays selectable even when it is not among the first 500.
  const customerOptions = [...(customers.data?.data ?? [])];
  if (customer.data && !customerOptions.some((c) => c.id === customer.data.id))
    customerOptions.unshift(customer.data);

  return (
    <div className="page ops-page contract-page">
      <Crumbs to="/contracts" label="Contracts">
        <span>New</span>
      </Crumbs>
      <PageHeader
        title="Put a customer on a plan"
        subtitle="The quote follows every change: same engine, same numbers as the invoice."
      />
      {(customers.isError || plans.isError) && <ErrorBox error={customers.error ?? plans.error} />}
      <section className="ops-card contract-pick">
        <label className="field">
          <span>Customer</span>
          <select
            value={customerId}
            onChange={(e) => choose("customer", e.target.value)}
            data-testid="contract-customer"
          >
            <option value="">Choose a customer…</option>
            {customerOptions.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.externalId})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Plan</span>
          <select value={planId} onChange={(e) => choose("plan", e.target.value)} data-testid="contract-plan">
            <option value="">Choose a published plan…</option>
            {published.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Version</span>
          <select
            value={versionNumber ?? ""}
            disabled={!plan}
            onChange={(e) => setVersionChoice(Number(e.target.value))}
            data-testid="contract-version"
          >
            {plan &&
              Array.from({ length: plan.latestVersion ?? 0 }, (_, i) => (plan.latestVersion ?? 0) - i).map(
                (v) => (
                  <option key={v} value={v}>
                    v{v}
                    {v === plan.latestVersion ? " (latest)" : ""}
                  </option>
                ),
              )}
          </select>
        </label>
      </section>
      {plans.isSuccess && published.length === 0 && (
        <EmptyState
          title="No published plan yet"
          action={
            <Link className="btn btn-primary" to="/plans">
              Open plans
            </Link>
          }
        >
          Contracts bill a published plan version. Publish one in the editor first.
        </EmptyState>
      )}
      {customerId && plan && (
        <AddOnPicker basePlanId={planId} chosen={addOns.filter((id) => id !== planId)} onChange={setAddOns} />
      )}
      {customerId && plan && version.isLoading && <Loading what="plan version" />}
      {version.isError && <ErrorBox error={version.error} title="Could not load the plan version." />}
      {customerId && customer.data && version.data && (
        <ContractTermsForm
          key={`${planId}@${versionNumber}`}
          document={version.data.document}
          timeZone={customer.data.timezone}
          usageKey={customerId}
          loadUsage={(range) => customersApi.usage(customerId, range)}
          submitting={create.isPending}
          serverError={
            create.isError ? (
              <ErrorBox
                error={create.error}
                title="The contract was not created."
                testId="contract-server-error"
              />
            ) : null
          }
          onSubmit={(terms) => create.mutate(terms)}
        />
      )}
      {(!customerId || !planId) && published.length > 0 && (
        <p className="muted">Choose a customer and a plan to set the terms.</p>
      )}
    </div>
  );
}
