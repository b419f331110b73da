import type { EvaluateResult } from "@pricegraph/engine";
import type { PlanDocumentInput } from "@pricegraph/shared";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useMemo, useState } from "react";
import { type BillingPeriod, billingPeriods } from "../api/contracts.ts";
import type { CustomerUsage } from "../api/customers.ts";
import { planInputs } from "../editor/preview/runPreview.ts";
import { todayDate } from "../ui/format.ts";
import {
  type ContractTerms,
  currentPeriod,
  evaluateQuote,
  quoteInput,
  type TermErrors,
  validateTerms,
} from "./contractForm.ts";
import { QuotePanel } from "./QuotePanel.tsx";

export interface ContractTermsFormProps {
  document: PlanDocumentInput;
  /** The customer's time zone: periods follow its calendar. */
  timeZone: string;
  /** The customer's usage over [from, to) (the API's, or a fake in tests). */
  loadUsage(range: { from: string; to: string }): Promise<CustomerUsage>;
  usageKey: string;
  onSubmit(terms: ContractTerms): void;
  submitting?: boolean;
  /** The server's refusal, shown above the submit button. */
  serverError?: ReactNode;
  now?: Date;
}

function FieldError({ errors, path }: { errors: TermErrors; path: string }) {
  const message = errors[path];
  return message ? (
    <span className="field-error" data-testid={`error-${path}`}>
      {message}
    </span>
  ) : null;
}

/**
 * A contract's terms, generated from the plan version: one field per parameter (default shown, override
 * checked as a decimal), credit grants, dates and billing period; the quote beside it is recomputed by the
 * engine on every change.
 */
export function ContractTermsForm(props: ContractTermsFormProps) {
  const { document, timeZone, loadUsage, usageKey, onSubmit, submitting, serverError } = props;
  const [now] = useState(() => props.now ?? new Date());
  const [terms, setTerms] = useState<ContractTerms>({
    startDate: todayDate(now),
    endDate: "",
    billingPeriod: "monthly",
    overrides: {},
    grants: [],
  });
  const [touchedSubmit, setTouchedSubmit] = useState(false);
  const [whatIf, setWhatIf] = useState<Record<string, string>>({});
  const pools = useMemo(() => planInputs(document).creditPools, [document]);
  const errors = validateTerms(terms, document);
  const period = currentPeriod(terms, timeZone, now);
  const usage = useQuery({
    queryKey: ["contract-form-usage", usageKey, period?.usageFrom, period?.usageTo],
    queryFn: () => loadUsage({ from: period!.usageFrom, to: period!.usageTo }),
    enabled: !!period,
  });
  const quote: EvaluateResult | null = useMemo(
    () =>
      usage.data || !period
        ? evaluateQuote(document, quoteInput(terms, document, usage.data, period, whatIf))
        : null,
    [document, terms, usage.data, period, whatIf],
  );

  const set = <K extends keyof ContractTerms>(key: K, value: ContractTerms[K]) =>
    setTerms((t) => ({ ...t, [key]: value }));
  const setGrant = (index: number, patch: Partial<ContractTerms["grants"][number]>) =>
    set(
      "grants",
      terms.grants.map((g, i) => (i === index ? { ...g, ...patch } : g)),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouchedSubmit(true);
    if (Object.keys(errors).length === 0) onSubmit(terms);
  };

  const params = document.params ?? [];
  return (
    <form className="contract-form" onSubmit={submit} data-testid="contract-form" noValidate>
      <div className="contract-form-fields">
        <section className="ops-card">
          <h2>Term</h2>
          <div className="contract-term-grid">
            <label className="field">
              <span>Start date</span>
              <input
                type="date"
                value={terms.startDate}
                onChange={(e) => set("startDate", e.target.value)}
                data-testid="contract-start"
              />
              <FieldError errors={errors} path="startDate" />
            </label>
            <label className="field">
              <span>End date (optional, inclusive)</span>
              <input
                type="date"
                value={terms.endDate}
                onChange={(e) => set("endDate", e.target.value)}
                data-testid="contract-end"
              />
              <FieldError errors={errors} path="endDate" />
            </label>
            <label className="field">
              <span>Billing period</span>
              <select
                value={terms.billingPeriod}
                onChange={(e) => set("billingPeriod", e.target.value as BillingPeriod)}
                data-testid="contract-period"
              >
                {billingPeriods.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </section>

        <section className="ops-card">
          <h2>Prices</h2>
          {params.length === 0 ? (
            <p className="muted small">This plan version has no parameters to override.</p>
          ) : (
            <table className="param-table" data-testid="param-table">
              <thead>
                <tr>
                  <th>Parameter</th>
                  <th>Default</th>
                  <th>Override</th>
                </tr>
              </thead>
              <tbody>
                {params.map((p) => {
                  const path = `overrides.${p.key}`;
                  const value = terms.overrides[p.key] ?? "";
                  return (
                    <tr key={p.key}>
                      <td>
                        <strong>{p.label || p.key}</strong>
                        <div className="muted small">
                          <code>{p.key}</code> · {p.type}
                          {p.description ? ` · ${p.description}` : ""}
                        </div>
                      </td>
                      <td className="ops-mono" data-testid={`param-default-${p.key}`}>
                        {String(p.default)}
                      </td>
                      <td>
                        <input
                          type="text"
                          inputMode="decimal"
                          spellCheck={false}
                          placeholder={String(p.default)}
                          value={value}
                          className={errors[path] ? "is-invalid" : undefined}
                          aria-invalid={errors[path] ? true : undefined}
                          aria-label={`Override ${p.key}`}
                          onChange={(e) => set("overrides", { ...terms.overrides, [p.key]: e.target.value })}
                          data-testid={`override-${p.key}`}
                        />
                        <FieldError errors={errors} path={path} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>

        <section className="ops-card">
          <div className="ops-card-head">
            <h2>Credit grants</h2>
            <button
              type="button"
              className="btn btn-small"
              disabled={pools.length === 0}
              title={pools.length === 0 ? "This plan draws no credits" : undefined}
              onClick={() =>
                set("grants", [...terms.grants, { pool: pools[0] ?? "", amount: "", expiresOn: "" }])
              }
              data-testid="add-grant"
            >
              Add grant
            </button>
          </div>
          {pools.length === 0 && (
            <p className="muted small">This plan has no credits node, so no pools to grant.</p>
          )}
          {pools.length > 0 && terms.grants.length === 0 && (
            <p className="muted small">No grants. Pools this plan draws from: {pools.join(", ")}.</p>
          )}
          {terms.grants.map((grant, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: grants are positional
            <div className="grant-row" key={index} data-testid={`grant-${index}`}>
              <label className="field">
                <span>Pool</span>
                <select
                  value={grant.pool}
                  onChange={(e) => setGrant(index, { pool: e.target.value })}
                  data-testid={`grant-${index}-pool`}
                >
                  {pools.map((p) => (
                    <option key={p}>{p}</option>
                  ))}
                </select>
                <FieldError errors={errors} path={`grants.${index}.pool`} />
              </label>
              <label className="field">
                <span>Amount</span>
                <input
                  type="text"
                  inputMode="decimal"
                  value={grant.amount}
                  className={errors[`grants.${index}.amount`] ? "is-invalid" : undefined}
                  onChange={(e) => setGrant(index, { amount: e.target.value })}
                  data-testid={`grant-${index}-amount`}
                />
                <FieldError errors={errors} path={`grants.${index}.amount`} />
              </label>
              <label className="field">
                <span>Expires (optional)</span>
                <input
                  type="date"
                  value={grant.expiresOn}
                  onChange={(e) => setGrant(index, { expiresOn: e.target.value })}
                  data-testid={`grant-${index}-expires`}
                />
                <FieldError errors={errors} path={`grants.${index}.expiresOn`} />
              </label>
              <button
                type="button"
                className="icon-btn danger"
                aria-label="Remove grant"
                onClick={() =>
                  set(
                    "grants",
                    terms.grants.filter((_, i) => i !== index),
                  )
                }
              >
                ×
              </button>
            </div>
          ))}
        </section>

        {serverError}
        {touchedSubmit && Object.keys(errors).length > 0 && (
          <p className="form-error" role="alert" data-testid="contract-form-invalid">
            Fix the highlighted fields first.
          </p>
        )}
        <div className="ops-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={submitting}
            data-testid="create-contract"
          >
            {submitting ? "Creating…" : "Create contract"}
          </button>
        </div>
      </div>
      <QuotePanel
        result={quote}
        period={period}
        loading={usage.isLoading}
        usageError={usage.error}
        invalidOverrides={Object.keys(errors).some((k) => k.startsWith("overrides."))}
        whatIf={{
          metrics: planInputs(document)
            .metrics.filter((m) => !m.groupBy?.length)
            .map((m) => ({
              key: m.key,
              measured: usage.data?.metrics.find((u) => u.key === m.key)?.value ?? "0",
            })),
          values: whatIf,
          onChange: (key, value) => setWhatIf((w) => ({ ...w, [key]: value })),
        }}
      />
    </form>
  );
}
