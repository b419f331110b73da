import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { type Contract, type ContractAddOn, contractsApi } from "../api/contracts.ts";
import { plansApi } from "../api/plans.ts";
import { useCan } from "../app/session.tsx";
import { calendarDate } from "../ui/format.ts";
import { usePlanIndex, usePlanVersion } from "../ui/lookups.ts";
import { ErrorBox } from "../ui/states.tsx";
import { AmendForm } from "./AmendForm.tsx";
import { EndForm } from "./ContractLifecycle.tsx";

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

/** What is open under the add-on list: one add-on's change or end form. */
type AddOnAction = { addOnId: string; kind: "amend" | "end" } | null;

/** One add-on's change or end form: the contract's own forms, applied to the add-on. */
function AddOnChange({
  contract,
  addOn,
  kind,
  usage,
  onDone,
}: {
  contract: Contract;
  addOn: ContractAddOn;
  kind: "amend" | "end";
  usage: Record<string, string> | undefined;
  onDone: () => void;
}) {
  const inEffect = addOn.phases.at(-1) ?? addOn.phases[0];
  const version = usePlanVersion(addOn.planId, inEffect?.planVersion ?? addOn.planVersion);
  return (
    <div className="ops-card" data-testid={`add-on-change-${addOn.id}`}>
      {kind === "amend" ? (
        <AmendForm
          contract={contract}
          addOn={addOn}
          document={version.data?.document}
          usage={usage}
          onDone={onDone}
        />
      ) : (
        <EndForm contract={contract} addOn={addOn} usage={usage} onDone={() => {}} />
      )}
    </div>
  );
}

/** A contract's add-ons, each with "Change from a date" and "End", and a form to add one from a date on. */
export function ContractAddOns({ contract, usage }: { contract: Contract; usage?: Record<string, string> }) {
  const can = useCan();
  const [action, setAction] = useState<AddOnAction>(null);
  const canChange = can("POST /v1/contracts/:id/add-ons/:addOnId/amendments");
  const toggle = (addOnId: string, kind: "amend" | "end") =>
    setAction(action?.addOnId === addOnId && action.kind === kind ? null : { addOnId, kind });
  const opened = action ? contract.addOns.find((a) => a.id === action.addOnId) : undefined;
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
              <th>Terms now</th>
              <th>Credit grants</th>
              {canChange && <th />}
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
                <td className="small" data-testid={`add-on-terms-${a.id}`}>
                  {addOnTerms(a)}
                </td>
                <td>{a.creditGrants.map((g) => `${g.amount} ${g.pool}`).join(", ") || "—"}</td>
                {canChange && (
                  <td className="contract-action-row">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => toggle(a.id, "amend")}
                      data-testid={`add-on-amend-${a.id}`}
                    >
                      Change from a date…
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => toggle(a.id, "end")}
                      data-testid={`add-on-end-${a.id}`}
                    >
                      End…
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {action && opened && (
        <AddOnChange
          key={`${action.addOnId}-${action.kind}`}
          contract={contract}
          addOn={opened}
          kind={action.kind}
          usage={usage}
          onDone={() => setAction(null)}
        />
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

/** The add-on's phase in effect last: its version and prices, and since when when it has changed. */
function addOnTerms(addOn: ContractAddOn): string {
  const phase = addOn.phases.at(-1);
  if (!phase) return "—";
  const prices = Object.entries(phase.paramOverrides);
  const terms = prices.length ? prices.map(([key, value]) => `${key} ${value}`).join(", ") : "plan defaults";
  return addOn.phases.length > 1
    ? `v${phase.planVersion} ${terms} from ${calendarDate(phase.effectiveDate)}`
    : terms;
}
