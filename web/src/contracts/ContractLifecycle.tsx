import type { PlanDocument, RenewalPolicy } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type Contract, type ContractAddOn, contractsApi } from "../api/contracts.ts";
import { useCan } from "../app/session.tsx";
import { calendarDate, todayDate } from "../ui/format.ts";
import { ErrorBox } from "../ui/states.tsx";
import { AmendForm, ChangeEffect } from "./AmendForm.tsx";

const policyLabels: Record<RenewalPolicy, string> = {
  none: "ends with its term",
  same_terms: "renews on the same terms",
  plan_defaults: "renews on the plan's default prices",
};

/** The contract's phases in date order: from when, which version, which prices, and why it changed. */
export function PhaseTimeline({ contract }: { contract: Contract }) {
  const settings = useQuery({ queryKey: ["contract-settings"], queryFn: contractsApi.settings });
  const policy = contract.renewalPolicy ?? settings.data?.renewalPolicy ?? null;
  return (
    <section className="ops-card" data-testid="phase-timeline">
      <div className="ops-card-head">
        <h2>Phases</h2>
        <span className="muted small" data-testid="contract-term">
          {contract.termMonths ? `${contract.termMonths}-month term` : "no term"}
          {contract.termMonths && policy ? ` · ${policyLabels[policy]}` : ""}
          {contract.termMonths && !contract.renewalPolicy ? " (tenant default)" : ""}
        </span>
      </div>
      <ol className="phase-timeline">
        {contract.phases.map((phase, index) => {
          const next = contract.phases[index + 1];
          const overrides = Object.entries(phase.paramOverrides);
          return (
            <li key={phase.id} className="phase-step" data-testid={`phase-${phase.effectiveDate}`}>
              <div className="phase-dates">
                {calendarDate(phase.effectiveDate)} –{" "}
                {next
                  ? calendarDate(dayBefore(next.effectiveDate))
                  : contract.endDate
                    ? calendarDate(contract.endDate)
                    : "open-ended"}
              </div>
              <div>
                <span className="tag">v{phase.planVersion}</span>{" "}
                {overrides.length === 0
                  ? "plan defaults"
                  : overrides.map(([key, value]) => `${key} ${value}`).join(", ")}
              </div>
              <div className="muted small">{phase.reason ?? "terms at signature"}</div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Ends the contract on a date — or, with `addOn`, that add-on — with the change's live quote. */
export function EndForm({
  contract,
  addOn,
  usage,
  onDone,
}: {
  contract: Contract;
  addOn?: ContractAddOn;
  usage: Record<string, string> | undefined;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [endDate, setEndDate] = useState((addOn ? addOn.endDate : null) ?? contract.endDate ?? todayDate());
  const [reason, setReason] = useState("");
  const [notes, setNotes] = useState<string | null>(null);
  const end = useMutation({
    mutationFn: async (): Promise<{ creditNotes: { number: string; amount: string }[] }> =>
      addOn
        ? contractsApi.endAddOn(contract.id, addOn.id, { endDate, reason: reason.trim() })
        : contractsApi.end(contract.id, { endDate, reason: reason.trim() }),
    onSuccess: (result) => {
      setNotes(
        result.creditNotes.length
          ? `Credit notes issued: ${result.creditNotes.map((n) => `${n.number} (${n.amount})`).join(", ")}`
          : "No advance fees to credit.",
      );
      queryClient.invalidateQueries({ queryKey: ["contract", contract.id] });
      queryClient.invalidateQueries({ queryKey: ["contract-period-quote", contract.id] });
      queryClient.invalidateQueries({ queryKey: ["invoices", "contract", contract.id] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() && endDate) end.mutate();
  };
  return (
    <form className="lifecycle-form" onSubmit={submit} data-testid="end-form">
      <label className="field">
        <span>Last day served (customer's date)</span>
        <input
          type="date"
          value={endDate}
          onChange={(e) => setEndDate(e.target.value)}
          data-testid="end-date"
        />
      </label>
      <label className="field">
        <span>Reason</span>
        <input
          type="text"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="end-reason"
        />
      </label>
      <p className="muted small">
        The last period is prorated through this day; advance fees already invoiced for later days come back
        as a credit note.
      </p>
      <ChangeEffect
        contractId={contract.id}
        question={endDate ? { endDate, ...(addOn ? { addOnId: addOn.id } : {}) } : null}
        usage={usage}
      />
      <button
        type="submit"
        className="btn btn-danger"
        disabled={!reason.trim() || end.isPending}
        data-testid="end-submit"
      >
        {end.isPending ? "Ending…" : addOn ? "End add-on" : "End contract"}
      </button>
      {end.isError && <ErrorBox error={end.error} title="Not ended." />}
      {notes && <p data-testid="end-result">{notes}</p>}
    </form>
  );
}

function RenewalForm({ contract, onDone }: { contract: Contract; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [term, setTerm] = useState(contract.termMonths ? String(contract.termMonths) : "");
  const [policy, setPolicy] = useState<RenewalPolicy | "">(contract.renewalPolicy ?? "");
  const save = useMutation({
    mutationFn: () =>
      contractsApi.setRenewal(contract.id, {
        termMonths: term.trim() ? Number(term) : null,
        renewalPolicy: policy === "" ? null : policy,
      }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ["contract", contract.id] });
      onDone();
    },
  });
  return (
    <form
      className="lifecycle-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      data-testid="renewal-form"
    >
      <label className="field">
        <span>Term (months; empty for none)</span>
        <input
          type="number"
          min={1}
          max={120}
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          data-testid="renewal-term"
        />
      </label>
      <label className="field">
        <span>At the end of the term</span>
        <select
          value={policy}
          onChange={(e) => setPolicy(e.target.value as RenewalPolicy | "")}
          data-testid="renewal-policy"
        >
          <option value="">the tenant's default</option>
          <option value="none">end the contract</option>
          <option value="same_terms">renew on the same terms</option>
          <option value="plan_defaults">renew on the plan's default prices</option>
        </select>
      </label>
      <button type="submit" className="btn" disabled={save.isPending} data-testid="renewal-submit">
        Save renewal
      </button>
      {save.isError && <ErrorBox error={save.error} title="Not saved." />}
    </form>
  );
}

type Action = "amend" | "end" | "renewal" | null;

/** Amend / End / Renewal: each opens its form, with a live quote of the change's effect on the current period. */
export function ContractActions({
  contract,
  document,
  usage,
}: {
  contract: Contract;
  document: PlanDocument | undefined;
  /** What-if volumes typed in the quote panel: the change's effect is priced at them. */
  usage: Record<string, string> | undefined;
}) {
  const can = useCan();
  const [open, setOpen] = useState<Action>(null);
  if (!can("POST /v1/contracts/:id/amendments")) return null;
  const toggle = (action: Action) => setOpen(open === action ? null : action);
  return (
    <section className="ops-card" data-testid="contract-actions">
      <div className="contract-action-row">
        <button type="button" className="btn" onClick={() => toggle("amend")} data-testid="action-amend">
          Amend…
        </button>
        <button type="button" className="btn" onClick={() => toggle("end")} data-testid="action-end">
          End…
        </button>
        <button type="button" className="btn" onClick={() => toggle("renewal")} data-testid="action-renewal">
          Renewal…
        </button>
      </div>
      {open === "amend" && (
        <AmendForm contract={contract} document={document} usage={usage} onDone={() => setOpen(null)} />
      )}
      {open === "end" && <EndForm contract={contract} usage={usage} onDone={() => {}} />}
      {open === "renewal" && <RenewalForm contract={contract} onDone={() => setOpen(null)} />}
    </section>
  );
}
