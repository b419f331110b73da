import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { contractsApi } from "../api/contracts.ts";
import { invoicesApi } from "../api/invoices.ts";
import { planInputs } from "../editor/preview/runPreview.ts";
import { calendarDate, groupThousands, instant, invoicePeriod, money } from "../ui/format.ts";
import { useCustomer, usePlan, usePlanVersion } from "../ui/lookups.ts";
import { Crumbs, PageHeader, RecordPending } from "../ui/Page.tsx";
import { ErrorBox, StatusBadge } from "../ui/states.tsx";
import { ContractAddOns } from "./AddOns.tsx";
import { ContractActions, PhaseTimeline } from "./ContractLifecycle.tsx";
import { contractState } from "./contractState.ts";
import { GrantCreditsForm } from "./GrantCreditsForm.tsx";
import { PeriodQuote, typedUsage } from "./PeriodQuote.tsx";
import { PeriodSoFar } from "./PeriodSoFar.tsx";
import "./contracts.css";

/** A contract: its terms against the plan's defaults, the current period so far, credits and invoices. */
export function ContractPage() {
  const { contractId = "" } = useParams();
  const [whatIf, setWhatIf] = useState<Record<string, string>>({});
  const contract = useQuery({
    queryKey: ["contract", contractId],
    queryFn: () => contractsApi.get(contractId),
  });
  const c = contract.data;
  const customer = useCustomer(c?.customerId);
  const plan = usePlan(c?.planId);
  const version = usePlanVersion(c?.planId, c?.planVersion);
  // The version of the phase in effect last: what an amendment's parameters start from.
  const currentVersion = usePlanVersion(c?.planId, c?.phases.at(-1)?.planVersion);
  const credits = useQuery({
    queryKey: ["credits", contractId],
    queryFn: () => contractsApi.credits(contractId),
  });
  const invoices = useQuery({
    queryKey: ["invoices", "contract", contractId],
    queryFn: () => invoicesApi.list({ contractId, limit: 24 }),
  });

  if (!c) return <RecordPending query={contract} what="contract" />;
  const params = version.data?.document.params ?? [];

  return (
    <div className="page ops-page" data-testid="contract-page">
      <Crumbs to="/contracts" label="Contracts">
        {customer.data && <Link to={`/customers/${c.customerId}`}>{customer.data.name}</Link>}
      </Crumbs>
      <PageHeader
        title={
          <>
            {customer.data?.name ?? "…"} on {plan.data?.name ?? "…"}{" "}
            <Link className="tag" to={`/plans/${c.planId}/versions/${c.planVersion}`}>
              v{c.planVersion}
            </Link>
          </>
        }
        subtitle={
          <>
            {calendarDate(c.startDate)} – {c.endDate ? calendarDate(c.endDate) : "open-ended"} · billed{" "}
            {c.billingPeriod} <StatusBadge status={contractState(c)} />
          </>
        }
        titleTestId="contract-title"
      >
        <Link className="btn" to={`/invoices?customer=${c.customerId}`}>
          Invoices
        </Link>
      </PageHeader>

      <ContractActions contract={c} document={currentVersion.data?.document} usage={typedUsage(whatIf)} />
      <PhaseTimeline contract={c} />
      <PeriodQuote contractId={c.id} typed={whatIf} onType={setWhatIf} />
      <PeriodSoFar contractId={c.id} />

      <ContractAddOns contract={c} usage={typedUsage(whatIf)} />

      <div className="ops-grid-2">
        <section className="ops-card">
          <h2>Prices</h2>
          {params.length === 0 ? (
            <p className="muted small">The plan has no parameters.</p>
          ) : (
            <table className="data-table compact" data-testid="contract-params">
              <thead>
                <tr>
                  <th>Parameter</th>
                  <th className="num">Default</th>
                  <th className="num">This contract</th>
                </tr>
              </thead>
              <tbody>
                {params.map((p) => {
                  const override = c.paramOverrides[p.key];
                  return (
                    <tr key={p.key}>
                      <td>{p.label || p.key}</td>
                      <td className="num ops-mono">{String(p.default)}</td>
                      <td className="num ops-mono" data-testid={`contract-param-${p.key}`}>
                        {override !== undefined ? (
                          <strong>{override}</strong>
                        ) : (
                          <span className="muted">default</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
        <section className="ops-card">
          <h2>Credits</h2>
          {credits.isError && <ErrorBox error={credits.error} />}
          {credits.data && credits.data.grants.length === 0 && (
            <p className="muted small">No credit grants.</p>
          )}
          {credits.data && credits.data.grants.length > 0 && (
            <table className="data-table compact" data-testid="contract-credits">
              <thead>
                <tr>
                  <th>Pool</th>
                  <th className="num">Granted</th>
                  <th className="num">Balance</th>
                  <th>Expires</th>
                </tr>
              </thead>
              <tbody>
                {credits.data.grants.map((g) => (
                  <tr key={g.id}>
                    <td className="ops-mono">{g.pool}</td>
                    <td className="num">{groupThousands(g.amount)}</td>
                    <td className="num" data-testid={`grant-balance-${g.pool}`}>
                      {groupThousands(g.balance)}
                    </td>
                    <td>
                      {g.expiresAt ? instant(g.expiresAt) : "never"}
                      {g.expired && <span className="tag tag-muted">expired</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {version.data && (
            <GrantCreditsForm contractId={c.id} pools={planInputs(version.data.document).creditPools} />
          )}
        </section>
      </div>

      <section className="ops-card">
        <h2>Invoices</h2>
        {invoices.isError && <ErrorBox error={invoices.error} />}
        {invoices.data && invoices.data.data.length === 0 && (
          <p className="muted small">
            No invoices yet: a billing run invoices each period once it has ended.
          </p>
        )}
        {invoices.data && invoices.data.data.length > 0 && (
          <table className="data-table compact">
            <thead>
              <tr>
                <th>Number</th>
                <th>Period</th>
                <th>Status</th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {invoices.data.data.map((inv) => (
                <tr key={inv.id}>
                  <td>
                    <Link to={`/invoices/${inv.id}`}>{inv.number ?? "Draft"}</Link>
                  </td>
                  <td>{invoicePeriod(inv)}</td>
                  <td>
                    <StatusBadge status={inv.status} />
                  </td>
                  <td className="num">{money(inv.total, inv.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
