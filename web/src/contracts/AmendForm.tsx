import type { PlanDocument } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import {
  type Contract,
  type ContractAddOn,
  type ContractQuoteRequest,
  contractsApi,
} from "../api/contracts.ts";
import { plansApi } from "../api/plans.ts";
import { calendarDate, money, todayDate } from "../ui/format.ts";
import { usePlanVersion } from "../ui/lookups.ts";
import { ErrorBox } from "../ui/states.tsx";
import { QuotedLines, usePeriodQuote } from "./PeriodQuote.tsx";

/** The effect of a change on the current period: before, after and the difference, then the new lines. */
export function ChangeEffect({
  contractId,
  question,
  usage,
}: {
  contractId: string;
  question: ContractQuoteRequest | null;
  usage: Record<string, string> | undefined;
}) {
  const quote = usePeriodQuote(contractId, { ...question, ...(usage ? { usage } : {}) }, question !== null);
  if (!question)
    return <p className="muted small">Fill in the change to see its effect on the current period.</p>;
  if (quote.isError) return <ErrorBox error={quote.error} title="The change cannot be priced." />;
  const q = quote.data;
  if (!q?.changed) return null;
  return (
    <div className="change-effect" data-testid="change-effect">
      <p>
        This period: {money(q.current.total, q.currency)} →{" "}
        <strong>{money(q.changed.total, q.currency)}</strong>{" "}
        <span data-testid="change-delta">
          ({q.delta?.startsWith("-") ? "" : "+"}
          {money(q.delta ?? "0", q.currency)})
        </span>
      </p>
      <QuotedLines quote={q} which="changed" testId="change-lines" />
    </div>
  );
}

/**
 * A new phase from a date: another published version of the plan and/or new prices, with its live quote. With
 * `addOn`, the phase changes that add-on (its own plan's versions and parameters) instead of the base plan.
 */
export function AmendForm({
  contract,
  addOn,
  document,
  usage,
  onDone,
}: {
  contract: Contract;
  addOn?: ContractAddOn;
  /** The document of the version in effect (the base plan's, or the add-on's). */
  document: PlanDocument | undefined;
  usage: Record<string, string> | undefined;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const owner = addOn ?? contract;
  const current = owner.phases.at(-1) ?? owner.phases[0];
  const [effectiveDate, setEffectiveDate] = useState(todayDate());
  const [values, setValues] = useState<Record<string, string>>(current.paramOverrides);
  const [reason, setReason] = useState("");
  // "" keeps the version in effect on the date; a number moves the contract to that published version.
  const [planVersion, setPlanVersion] = useState("");
  const versions = useQuery({
    queryKey: ["versions", owner.planId],
    queryFn: () => plansApi.versions(owner.planId),
  });
  const chosen = usePlanVersion(owner.planId, planVersion ? Number(planVersion) : undefined);
  // The parameters to fill are the chosen version's: overrides it does not declare are left out.
  const target = planVersion ? chosen.data?.document : document;
  const params = target?.params ?? [];
  const paramOverrides = Object.fromEntries(
    Object.entries(values).filter(
      ([key, v]) => v.trim() !== "" && (!target || params.some((param) => param.key === key)),
    ),
  );
  const amendment = {
    effectiveDate,
    paramOverrides,
    ...(planVersion ? { planVersion: Number(planVersion) } : {}),
  };
  const amend = useMutation({
    mutationFn: () =>
      addOn
        ? contractsApi.amendAddOn(contract.id, addOn.id, { ...amendment, reason: reason.trim() })
        : contractsApi.amend(contract.id, { ...amendment, reason: reason.trim() }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ["contract", contract.id] });
      queryClient.invalidateQueries({ queryKey: ["contract-period-quote", contract.id] });
      queryClient.invalidateQueries({ queryKey: ["invoices", "contract", contract.id] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) amend.mutate();
  };
  return (
    <form className="lifecycle-form" onSubmit={submit} data-testid="amend-form">
      <label className="field">
        <span>Effective from (customer's date)</span>
        <input
          type="date"
          value={effectiveDate}
          onChange={(e) => setEffectiveDate(e.target.value)}
          data-testid="amend-date"
        />
      </label>
      <label className="field">
        <span>Plan version</span>
        <select
          value={planVersion}
          onChange={(e) => setPlanVersion(e.target.value)}
          data-testid="amend-version"
        >
          <option value="">keep current (v{current.planVersion})</option>
          {(versions.data?.data ?? []).map((v) => (
            <option key={v.version} value={String(v.version)}>
              v{v.version} · published {calendarDate(v.publishedAt)}
            </option>
          ))}
        </select>
      </label>
      {params.map((param) => (
        <label key={param.key} className="field">
          <span>
            {param.label || param.key} <span className="muted">(default {String(param.default)})</span>
          </span>
          <input
            type="text"
            inputMode="decimal"
            value={values[param.key] ?? ""}
            placeholder="plan default"
            onChange={(e) => setValues({ ...values, [param.key]: e.target.value })}
            data-testid={`amend-param-${param.key}`}
          />
        </label>
      ))}
      <label className="field">
        <span>Reason</span>
        <input
          type="text"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="amend-reason"
        />
      </label>
      <ChangeEffect
        contractId={contract.id}
        question={effectiveDate ? { amendment, ...(addOn ? { addOnId: addOn.id } : {}) } : null}
        usage={usage}
      />
      <button
        type="submit"
        className="btn btn-primary"
        disabled={!reason.trim() || amend.isPending}
        data-testid="amend-submit"
      >
        {amend.isPending ? "Amending…" : "Amend"}
      </button>
      {amend.isError && <ErrorBox error={amend.error} title="Not amended." />}
    </form>
  );
}
