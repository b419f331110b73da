import { type RenewalPolicy, renewalPolicies } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { contractsApi } from "../api/contracts.ts";
import { useCan } from "../app/session.tsx";
import { ErrorBox } from "../ui/states.tsx";

const labels: Record<RenewalPolicy, string> = {
  none: "End the contract",
  same_terms: "Renew on the same terms",
  plan_defaults: "Renew on the plan's default prices",
};

/** The tenant's default renewal policy: what happens at the end of a term when a contract names none. */
export function RenewalSettings() {
  const can = useCan();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ["contract-settings"], queryFn: contractsApi.settings });
  const save = useMutation({
    mutationFn: (renewalPolicy: RenewalPolicy) => contractsApi.setSettings({ renewalPolicy }),
    onSuccess: (data) => queryClient.setQueryData(["contract-settings"], data),
  });
  return (
    <section className="ops-card">
      <h2>Contracts</h2>
      {settings.isError && <ErrorBox error={settings.error} />}
      {settings.data && (
        <label className="field">
          <span>At the end of a term, by default</span>
          <select
            value={settings.data.renewalPolicy}
            disabled={!can("PUT /v1/contract-settings") || save.isPending}
            onChange={(e) => save.mutate(e.target.value as RenewalPolicy)}
            data-testid="default-renewal-policy"
          >
            {renewalPolicies.map((policy) => (
              <option key={policy} value={policy}>
                {labels[policy]}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="muted small">
        Contracts with a term that name no renewal policy of their own follow this one; a contract's page can
        set its own.
      </p>
      {save.isError && <ErrorBox error={save.error} />}
    </section>
  );
}
