import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useParams } from "react-router";
import { type PortalPeriod, portalApi } from "../api/portal.ts";
import { Logo } from "../app/Layout.tsx";
import { instant, invoicePeriod, money, periodRange } from "../ui/format.ts";
import { ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";
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

function InvoiceLines({ token, invoiceId }: { token: string; invoiceId: string }) {
  const invoice = useQuery({
    queryKey: ["portal", token, "invoice", invoiceId],
    queryFn: () => portalApi.invoice(token, invoiceId),
  });
  if (invoice.isError) return <ErrorBox error={invoice.error} title="Could not load the invoice." />;
  if (!invoice.data) return <Loading what="invoice" />;
  return (
    <table className="data-table compact" data-testid="portal-invoice-lines">
      <tbody>
        {invoice.data.lines.map((l) => (
          <tr key={l.id}>
            <td>{l.description}</td>
            <td className="num">{l.quantity ?? ""}</td>
            <td className="num">{money(l.amount, invoice.data.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The customer portal: read-only, outside the signed-in app, for the one customer the link was made for. */
export function PortalPage() {
  const { token = "" } = useParams();
  const [open, setOpen] = useState<string | null>(null);
  const overview = useQuery({
    queryKey: ["portal", token],
    queryFn: () => portalApi.overview(token),
    retry: false,
  });

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
              {overview.data.invoices.length === 0 ? (
                <p className="muted small">No invoices yet.</p>
              ) : (
                <table className="data-table compact" data-testid="portal-invoices">
                  <thead>
                    <tr>
                      <th>Number</th>
                      <th>Period</th>
                      <th>Status</th>
                      <th className="num">Total</th>
                      <th className="num">Due</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview.data.invoices.map((i) => (
                      <Fragment key={i.id}>
                        <tr
                          className="is-clickable"
                          onClick={() => setOpen(open === i.id ? null : i.id)}
                          data-testid={`portal-invoice-${i.number}`}
                        >
                          <td>{i.number}</td>
                          <td>{invoicePeriod(i)}</td>
                          <td>
                            <StatusBadge status={i.status} />
                          </td>
                          <td className="num">{money(i.total, i.currency)}</td>
                          <td className="num">{money(i.amountDue, i.currency)}</td>
                        </tr>
                        {open === i.id && (
                          <tr>
                            <td colSpan={5}>
                              <InvoiceLines token={token} invoiceId={i.id} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            {overview.data.creditNotes.length > 0 && (
              <section className="ops-card">
                <h2>Credit notes</h2>
                <table className="data-table compact" data-testid="portal-credit-notes">
                  <tbody>
                    {overview.data.creditNotes.map((n) => (
                      <tr key={n.id}>
                        <td>{n.number}</td>
                        <td>on {n.invoiceNumber}</td>
                        <td>{n.reason}</td>
                        <td className="num">{n.amount}</td>
                        <td>{instant(n.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )}
          </>
        )}
      </main>
    </div>
  );
}
