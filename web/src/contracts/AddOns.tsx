import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { type Contract, contractsApi } from "../api/contracts.ts";
import { plansApi } from "../api/plans.ts";
import { useCan } from "../app/session.tsx";
import { calendarDate } from "../ui/format.ts";
import { usePlanIndex } from "../ui/lookups.ts";
import { ErrorBox } from "../ui/states.tsx";

/** Published plans that can be sold as add-ons on top of `basePlanId` (any other published plan). */
export function useAddOnPlans(basePlanId: string) {
  const plans = useQuery({ queryKey: ["plans"], queryFn: () => plansApi.list() });
  return (plans.data?.data ?? []).filter((p) => p.latestVersion !== null && p.id !== basePlanId);
}

/** Add-on plans picked when creating a contract: each billed on the contract's invoices from its start. */
export function AddOnPicker({
  basePlanId,
  chosen,
  onChange,
}: {
  basePlanId: string;
  chosen: string[];
  onChange(planIds: string[]): void;
}) {
  const plans = useAddOnPlans(basePlanId);
  if (plans.length === 0) return null;
  return (
    <fieldset className="ops-card" data-testid="contract-add-ons">
      <legend>Add-ons</legend>
      <p className="muted small">Billed on the same invoices as the plan, each by its own latest version.</p>
      {plans.map((p) => (
        <label key={p.id} className="choice-option">
          <input
            type="checkbox"
            checked={chosen.includes(p.id)}
            onChange={(e) =>
              onChange(e.target.checked ? [...chosen, p.id] : chosen.filter((id) => id !== p.id))
            }
            data-testid={`add-on-${p.name}`}
          />
          <span>{p.name}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** A contract's add-ons, and a form to add one from a date on. */
export function ContractAddOns({ contract }: { contract: Contract }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const plans = usePlanIndex();
  const candidates = useAddOnPlans(contract.planId);
  const [planId, setPlanId] = useState("");
  const [startDate, setStartDate] = useState("");
  const add = useMutation({
    mutationFn: () => contractsApi.addAddOn(contract.id, { planId, startDate: startDate || null }),
    onSuccess: () => {
      setPlanId("");
      queryClient.invalidateQueries({ queryKey: ["contract", contract.id] });
    },
  });
  return (
    <section className="ops-card" data-testid="contract-add-ons-card">
      <h2>Add-ons</h2>
      {contract.addOns.length === 0 ? (
        <p className="muted small">None: the invoices bill the plan alone.</p>
      ) : (
        <table className="data-table compact" data-testid="contract-add-on-list">
          <thead>
            <tr>
              <th>Plan</th>
              <th>Served</th>
              <th>Credit grants</th>
            </tr>
          </thead>
          <tbody>
            {contract.addOns.map((a) => (
              <tr key={a.id} data-testid={`contract-add-on-${a.id}`}>
                <td>
                  <Link to={`/plans/${a.planId}/versions/${a.planVersion}`}>
                    {plans.get(a.planId)?.name ?? a.planId}
                  </Link>{" "}
                  <span className="tag tag-muted">v{a.planVersion}</span>
                </td>
                <td>
                  {calendarDate(a.startDate)} – {a.endDate ? calendarDate(a.endDate) : "with the contract"}
                </td>
                <td>{a.creditGrants.map((g) => `${g.amount} ${g.pool}`).join(", ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can("POST /v1/contracts/:id/add-ons") && candidates.length > 0 && (
        <form
          className="ops-toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <label className="field">
            <span>Add-on plan</span>
            <select value={planId} onChange={(e) => setPlanId(e.target.value)} data-testid="add-on-plan">
              <option value="">Choose a plan…</option>
              {candidates.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>From</span>
            <input
              type="date"
              value={startDate}
              onChange={(e) => setStartDate(e.target.value)}
              data-testid="add-on-start"
            />
          </label>
          <button type="submit" className="btn" disabled={!planId || add.isPending} data-testid="add-add-on">
            Add
          </button>
        </form>
      )}
      {add.isError && <ErrorBox error={add.error} title="Not added." testId="add-on-error" />}
    </section>
  );
}
