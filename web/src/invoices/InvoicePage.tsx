import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { invoicesApi } from "../api/invoices.ts";
import { DownloadPdfButton, InvoiceReceivable } from "../receivables/InvoiceReceivable.tsx";
import { instant, invoicePeriod, money } from "../ui/format.ts";
import { useCustomer, usePlan, usePlanVersion } from "../ui/lookups.ts";
import { Crumbs, PageHeader, RecordPending } from "../ui/Page.tsx";
import { ErrorBox, Stat, StatusBadge } from "../ui/states.tsx";
import { CreditNoteDialog } from "./CreditNoteDialog.tsx";
import { InvoiceActions } from "./InvoiceActions.tsx";
import { InvoiceLines } from "./InvoiceLines.tsx";
import { WhyView } from "./WhyView.tsx";
import "./invoices.css";

/** An invoice: lines with their "why?", totals, balance and credit notes, and its lifecycle actions. */
export function InvoicePage() {
  const { invoiceId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const [crediting, setCrediting] = useState(false);
  const invoice = useQuery({ queryKey: ["invoice", invoiceId], queryFn: () => invoicesApi.get(invoiceId) });
  const inv = invoice.data;
  const customer = useCustomer(inv?.customerId);
  const plan = usePlan(inv?.planId);
  const whyLineId = params.get("why");
  const whyLine = inv?.lines.find((l) => l.id === whyLineId);
  // A consolidated invoice's lines were priced by their own contract's plan version.
  const whyGroup = inv?.contractGroups.find((g) => g.contractId === whyLine?.contractId);
  const whyPlanId = inv?.consolidated ? (whyGroup?.planId ?? undefined) : inv?.planId;
  const whyVersion = inv?.consolidated ? (whyGroup?.planVersion ?? undefined) : inv?.planVersion;
  const version = usePlanVersion(whyPlanId, whyVersion, !!whyLineId);

  if (!inv) return <RecordPending query={invoice} what="invoice" />;
  const openWhy = (lineId: string | null) => {
    const next = new URLSearchParams(params);
    if (lineId) next.set("why", lineId);
    else next.delete("why");
    setParams(next);
  };

  return (
    <div className="page ops-page" data-testid="invoice-page">
      <Crumbs to="/invoices" label="Invoices">
        {customer.data && <Link to={`/customers/${inv.customerId}`}>{customer.data.name}</Link>}
      </Crumbs>
      <PageHeader
        title={
          <>
            <span data-testid="invoice-number">{inv.number ?? "Draft invoice"}</span>{" "}
            <StatusBadge status={inv.status} testId="invoice-status" />
          </>
        }
        subtitle={
          <>
            {customer.data?.name ?? "…"} ·{" "}
            {inv.consolidated ? (
              <span data-testid="invoice-consolidated">consolidated: {inv.contractIds.length} contracts</span>
            ) : (
              <>
                {plan.data?.name ?? "…"} v{inv.planVersion} ·{" "}
                <Link to={`/contracts/${inv.contractId}`}>contract</Link>
              </>
            )}{" "}
            · {inv.kind === "adjustment" ? invoicePeriod(inv) : `period ${invoicePeriod(inv)}`}
            {inv.kind === "period" && inv.proration !== "1" && ` (prorated ${inv.proration.slice(0, 6)})`}
          </>
        }
      >
        <InvoiceActions invoice={inv} onCredit={() => setCrediting(true)} />
      </PageHeader>

      <div className="ops-stats">
        <Stat label="Total" value={money(inv.total, inv.currency)} testId="invoice-total" />
        <Stat label="Credited" value={money(inv.creditedAmount, inv.currency)} testId="invoice-credited" />
        <Stat label="Amount due" value={money(inv.amountDue, inv.currency)} testId="invoice-amount-due" />
        <Stat
          label={inv.status === "draft" ? "Created" : inv.status === "void" ? "Voided" : "Finalized"}
          value={instant(inv.voidedAt ?? inv.finalizedAt ?? inv.createdAt)}
        />
      </div>

      <section className="ops-card">
        <h2>Lines</h2>
        {inv.lines.length === 0 ? (
          <p className="muted small">This invoice has no lines: nothing was billable in the period.</p>
        ) : (
          <InvoiceLines invoice={inv} onWhy={openWhy} />
        )}
        <table className="invoice-totals">
          <tbody>
            <tr>
              <td>Total</td>
              <td className="num">{money(inv.total, inv.currency)}</td>
            </tr>
            <tr>
              <td>Credit notes</td>
              <td className="num">−{money(inv.creditedAmount, inv.currency)}</td>
            </tr>
            <tr className="grand">
              <td>Balance due</td>
              <td className="num" data-testid="invoice-balance">
                {money(inv.amountDue, inv.currency)}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <InvoiceReceivable invoice={inv} />

      <section className="ops-card">
        <h2>Credit notes</h2>
        {inv.creditNotes.length === 0 ? (
          <p className="muted small">
            None.
            {inv.status === "finalized" ? " A finalized invoice can be credited by line or by amount." : ""}
          </p>
        ) : (
          <table className="data-table compact" data-testid="credit-notes">
            <thead>
              <tr>
                <th>Number</th>
                <th>Reason</th>
                <th>Issued</th>
                <th className="num">Amount</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {inv.creditNotes.map((note) => (
                <tr key={note.id} data-testid={`credit-note-${note.number}`}>
                  <td className="strong-link">{note.number}</td>
                  <td>{note.reason}</td>
                  <td>{instant(note.createdAt)}</td>
                  <td className="num">{money(note.amount, inv.currency)}</td>
                  <td className="num">
                    <DownloadPdfButton
                      path={`/credit-notes/${note.id}/pdf`}
                      filename={`${note.number}.pdf`}
                      testId={`download-credit-note-pdf-${note.number}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {crediting && <CreditNoteDialog invoice={inv} onClose={() => setCrediting(false)} />}
      {whyLineId && !whyLine && <ErrorBox error="This invoice has no such line." />}
      {whyLine && version.isError && (
        <ErrorBox error={version.error} title="Could not load the plan version." />
      )}
      {whyLine && version.data && (
        <WhyView
          key={whyLine.id}
          document={version.data.document}
          line={whyLine}
          currency={inv.currency}
          planLabel={
            inv.consolidated
              ? `${whyGroup?.planName ?? whyPlanId} v${whyVersion}`
              : `${plan.data?.name ?? inv.planId} v${inv.planVersion}`
          }
          onClose={() => openWhy(null)}
        />
      )}
    </div>
  );
}
