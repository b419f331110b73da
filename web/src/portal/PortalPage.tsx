import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import { type PortalPeriod, portalApi } from "../api/portal.ts";
import { Logo } from "../app/Layout.tsx";
import { usePageTitle } from "../app/pageTitle.ts";
import { instant, money, periodRange } from "../ui/format.ts";
import { ErrorBox, Loading } from "../ui/states.tsx";
import { PortalCreditNotes, PortalInvoices } from "./PortalDocuments.tsx";
import { PortalUsageChart } from "./PortalUsageChart.tsx";
import "./portal.css";

function CurrentPeriod({ period }: { period: PortalPeriod }) {
  return (
    <section className="ops-card" data-testid="portal-period">
      <h2>This period: {periodRange(period.periodStartDate, period.periodEndDate)}</h2>
      <p className="portal-total">
        So far <strong data-testid="portal-period-total">{money(period.total, period.currency)}</strong>
      </p>
      {period.freeUnits.length > 0 && (
        <table className="data-table compact">
          <thead>
            <tr>
              <th>Included</th>
              <th className="num">Used</th>
              <th className="num">Free</th>
              <th className="num">Remaining</th>
            </tr>
          </thead>
          <tbody>
            {period.freeUnits.map((f) => (
              <tr key={f.nodeId}>
                <td>{f.label ?? f.metric ?? "free units"}</td>
                <td className="num">{f.used}</td>
                <td className="num">{f.allowance ?? f.free}</td>
                <td className="num">{f.remaining ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {period.credits.length > 0 && (
        <table className="data-table compact" data-testid="portal-credits">
          <thead>
            <tr>
              <th>Credits</th>
              <th className="num">At period start</th>
              <th className="num">Used so far</th>
              <th className="num">Left</th>
            </tr>
          </thead>
          <tbody>
            {period.credits.map((c) => (
              <tr key={c.pool}>
                <td>{c.pool}</td>
                <td className="num">{money(c.opening, period.currency)}</td>
                <td className="num">{money(c.used, period.currency)}</td>
                <td className="num">{money(c.closing, period.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table className="data-table compact">
        <thead>
          <tr>
            <th>Line</th>
            <th className="num">Quantity</th>
            <th className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {period.lines.map((l) => (
            <tr key={l.description}>
              <td>{l.description}</td>
              <td className="num">{l.quantity ?? ""}</td>
              <td className="num">{money(l.amount, period.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The customer portal: read-only, outside the signed-in app, for the one customer the link was made for. */
export function PortalPage() {
  const { token = "" } = useParams();
  const overview = useQuery({
    queryKey: ["portal", token],
    queryFn: () => portalApi.overview(token),
    retry: false,
  });
  // Outside the signed-in layout, so the route's title is not set for it: the tab names the customer's portal.
  usePageTitle(overview.data ? `${overview.data.customer.name} — Customer portal` : "Customer portal");

  return (
    <div className="portal">
      <header className="portal-head">
        <div className="brand">
          <Logo />
          <span>Billing portal</span>
        </div>
        {overview.data && (
          <span className="muted small">Link valid until {instant(overview.data.expiresAt)}</span>
        )}
      </header>
      <main className="portal-main">
        {overview.isError && (
          <ErrorBox error={overview.error} title="This link does not open a portal." testId="portal-error" />
        )}
        {overview.isLoading && <Loading what="your billing" />}
        {overview.data && (
          <>
            <h1 data-testid="portal-customer">{overview.data.customer.name}</h1>
            {overview.data.periods.map((p) => (
              <CurrentPeriod key={p.contractId} period={p} />
            ))}
            <section className="ops-card">
              <h2>Usage history</h2>
              <PortalUsageChart token={token} />
            </section>
            <section className="ops-card">
              <h2>Invoices</h2>
              <PortalInvoices token={token} invoices={overview.data.invoices} />
            </section>
            {overview.data.creditNotes.length > 0 && (
              <section className="ops-card">
                <h2>Credit notes</h2>
                <PortalCreditNotes token={token} notes={overview.data.creditNotes} />
              </section>
            )}
          </>
        )}
      </main>
    </div>
  );
}
