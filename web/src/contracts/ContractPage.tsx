import { Decimal } from "@pricegraph/engine";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { contractsApi } from "../api/contracts.ts";
import { invoicesApi } from "../api/invoices.ts";
import { planInputs } from "../editor/preview/runPreview.ts";
import { calendarDate, groupThousands, instant, money, periodRange, quantity } from "../ui/format.ts";
import { useCustomer, usePlan, usePlanVersion } from "../ui/lookups.ts";
import { PageHeader, RecordPending } from "../ui/Page.tsx";
import { ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";
import { contractState } from "./contractState.ts";
import { GrantCreditsForm } from "./GrantCreditsForm.tsx";
import "./contracts.css";

/** A metric's usage: the decimal, or for grouped usage its exact sum and the number of groups. */
function metricValue(value: unknown): string {
  if (typeof value === "string") return quantity(value);
  if (Array.isArray(value)) {
    const sum = value.reduce(
      (total: Decimal, g: { value?: string }) => total.plus(g.value ?? "0"),
      new Decimal(0),
    );
    return `${quantity(sum.toString())} in ${value.length} group${value.length === 1 ? "" : "s"}`;
  }
  return "—";
}

/** A contract: its terms against the plan's defaults, the current period so far, credits and invoices. */
export function ContractPage() {
  const { contractId = "" } = useParams();
  const contract = useQuery({
    queryKey: ["contract", contractId],
    queryFn: () => contractsApi.get(contractId),
  });
  const c = contract.data;
  const customer = useCustomer(c?.customerId);
  const plan = usePlan(c?.planId);
  const version = usePlanVersion(c?.planId, c?.planVersion);
  const report = useQuery({
    queryKey: ["usage-report", contractId],
    queryFn: () => contractsApi.usageReport(contractId),
    enabled: !!c,
  });
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
  const r = report.data;

  return (
    <div className="page ops-page" data-testid="contract-page">
      <nav className="ops-crumbs">
        <Link to="/contracts">Contracts</Link>
        <span className="crumb-sep">/</span>
        {customer.data && <Link to={`/customers/${c.customerId}`}>{customer.data.name}</Link>}
      </nav>
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

      <section className="ops-card" data-testid="contract-quote">
        <div className="ops-card-head">
          <h2>Current period so far</h2>
          {r && (
            <span className="muted small">
              {periodRange(r.period.startDate, r.period.endDate)}
              {r.period.proration !== "1" ? ` · prorated ${r.period.proration.slice(0, 6)}` : ""}
            </span>
          )}
        </div>
        {report.isError && <ErrorBox error={report.error} title="Could not quote the period." />}
        {report.isLoading && <Loading what="quote" />}
        {r && (
          <div className="ops-grid-2">
            <div>
              <table className="invoice">
                <thead>
                  <tr>
                    <th>Line</th>
                    <th className="num">Qty</th>
                    <th className="num">Amount</th>
                  </tr>
                </thead>
                <tbody>
                  {r.lines.map((line) => (
                    <tr key={line.nodeId}>
                      <td>
                        {line.description}
                        {line.timing === "advance" && <span className="tag tag-muted">advance</span>}
                      </td>
                      <td className="num">{quantity(line.quantity)}</td>
                      <td className="num">{money(line.amount, r.currency)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <td colSpan={2}>Total so far</td>
                    <td className="num total" data-testid="contract-quote-total">
                      {money(r.total, r.currency)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
            <div>
              <h3>Usage</h3>
              <dl className="ops-kv">
                {r.metrics.map((m) => (
                  <div key={m.key} style={{ display: "contents" }}>
                    <dt className="ops-mono">{m.key}</dt>
                    <dd>{metricValue(m.value)}</dd>
                  </div>
                ))}
              </dl>
              {r.freeUnits.length > 0 && (
                <>
                  <h3 style={{ marginTop: 14 }}>Free units</h3>
                  <table className="data-table compact">
                    <thead>
                      <tr>
                        <th>Allowance</th>
                        <th className="num">Free used</th>
                        <th className="num">Remaining</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.freeUnits.map((f) => (
                        <tr key={f.nodeId}>
                          <td>{f.label ?? f.metric ?? f.nodeId}</td>
                          <td className="num">
                            {quantity(f.free)} / {quantity(f.allowance)}
                          </td>
                          <td className="num">{quantity(f.remaining)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </div>
          </div>
        )}
      </section>

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
                  <td>{periodRange(inv.periodStartDate, inv.periodEndDate)}</td>
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
