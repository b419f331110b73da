import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { InvoiceDetail } from "../api/invoices.ts";
import { downloadDocument, dunningApi, receivablesApi } from "../api/receivables.ts";
import { calendarDate, instant, money } from "../ui/format.ts";
import { ErrorBox, Loading, Stat } from "../ui/states.tsx";
import { PaymentBadge } from "./PaymentBadge.tsx";
import { RecordPaymentDialog } from "./RecordPaymentDialog.tsx";

/** The invoice's PDF as a download (finalized and void invoices). */
export function DownloadPdfButton({
  path,
  filename,
  testId,
}: {
  path: string;
  filename: string;
  testId: string;
}) {
  const download = useMutation({ mutationFn: () => downloadDocument(path, filename) });
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => download.mutate()}
        disabled={download.isPending}
        data-testid={testId}
      >
        {download.isPending ? "Preparing…" : "Download PDF"}
      </button>
      {download.isError && <ErrorBox error={download.error} title="No PDF." />}
    </>
  );
}

/** Sends the customer a payment reminder for the invoice now (it appears under Communications). */
function RequestPaymentButton({ invoiceId }: { invoiceId: string }) {
  const request = useMutation({ mutationFn: () => dunningApi.requestPayment(invoiceId) });
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => request.mutate()}
        disabled={request.isPending || request.isSuccess}
        data-testid="request-payment"
      >
        {request.isSuccess ? "Reminder requested" : "Request payment"}
      </button>
      {request.isError && <ErrorBox error={request.error} title="No reminder." />}
    </>
  );
}

/**
 * Getting paid on one invoice: its payment status, issue and due dates, tax lines and total with tax, the payments
 * allocated to it, and the actions (record a payment, download the PDF). Drafts have none of it yet.
 */
export function InvoiceReceivable({ invoice }: { invoice: InvoiceDetail }) {
  const [paying, setPaying] = useState(false);
  const finalized = invoice.status === "finalized";
  const receivable = useQuery({
    queryKey: ["receivable", invoice.id, invoice.updatedAt],
    queryFn: () => receivablesApi.ofInvoice(invoice.id),
    enabled: finalized,
  });
  if (invoice.status === "draft") {
    return (
      <section className="ops-card">
        <h2>Payment</h2>
        <p className="muted small">Tax, the due date and the PDF are fixed when the invoice is finalized.</p>
      </section>
    );
  }
  const r = receivable.data;
  const m = (value: string) => money(value, invoice.currency);
  return (
    <section className="ops-card" data-testid="invoice-receivable">
      <div className="ops-card-head">
        <h2>Payment {r && <PaymentBadge status={r.paymentStatus} testId="invoice-payment-status" />}</h2>
        <div className="ops-actions">
          {invoice.number && (
            <DownloadPdfButton
              path={`/invoices/${invoice.id}/pdf`}
              filename={`${invoice.number}.pdf`}
              testId="download-invoice-pdf"
            />
          )}
          {r && finalized && r.paymentStatus !== "paid" && <RequestPaymentButton invoiceId={invoice.id} />}
          {r && finalized && r.paymentStatus !== "paid" && (
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={() => setPaying(true)}
              data-testid="open-record-payment"
            >
              Record payment
            </button>
          )}
        </div>
      </div>
      {receivable.isError && <ErrorBox error={receivable.error} title="No payment details." />}
      {receivable.isLoading && <Loading what="payment details" />}
      {r && (
        <>
          <div className="ops-stats">
            <Stat label="Issued" value={calendarDate(r.issueDate)} testId="invoice-issue-date" />
            <Stat
              label={`Due (net ${r.paymentTermsDays})`}
              value={calendarDate(r.dueDate)}
              testId="invoice-due-date"
            />
            <Stat label="Total with tax" value={m(r.total)} testId="invoice-total-with-tax" />
            <Stat label="Paid" value={m(r.paid)} testId="invoice-paid" />
            <Stat label="Outstanding" value={m(r.outstanding)} testId="invoice-outstanding" />
          </div>
          <table className="invoice-totals" data-testid="invoice-tax">
            <tbody>
              <tr>
                <td>Subtotal</td>
                <td className="num">{m(r.subtotal)}</td>
              </tr>
              {r.taxLines.length === 0 && (
                <tr>
                  <td>Tax</td>
                  <td className="num">{m(r.tax)}</td>
                </tr>
              )}
              {r.taxLines.map((t) => (
                <tr key={`${t.name}-${t.percentage}`}>
                  <td>
                    {t.name} {t.percentage}% of {m(t.taxableAmount)}
                  </td>
                  <td className="num">{m(t.amount)}</td>
                </tr>
              ))}
              {r.balanceApplied !== "0" && !/^0\.?0*$/.test(r.balanceApplied) && (
                <tr>
                  <td>Customer balance applied</td>
                  <td className="num">−{m(r.balanceApplied)}</td>
                </tr>
              )}
              <tr className="grand">
                <td>Total</td>
                <td className="num">{m(r.total)}</td>
              </tr>
            </tbody>
          </table>
          {r.payments.length > 0 && (
            <table className="data-table compact" data-testid="invoice-payments">
              <thead>
                <tr>
                  <th>Received</th>
                  <th>Method</th>
                  <th>Reference</th>
                  <th className="num">Amount</th>
                </tr>
              </thead>
              <tbody>
                {r.payments.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a reversal repeats its payment's id
                  <tr key={`${p.paymentId}-${i}`} className={p.reversed ? "muted" : undefined}>
                    <td>{instant(p.receivedAt)}</td>
                    <td>{p.method.replace("_", " ")}</td>
                    <td>
                      {p.reference ?? "—"}
                      {p.reversed && " (reversed)"}
                    </td>
                    <td className="num">{m(p.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {paying && r && (
        <RecordPaymentDialog
          customerId={invoice.customerId}
          currency={invoice.currency}
          invoice={{ id: invoice.id, number: r.number, outstanding: r.outstanding }}
          onClose={() => setPaying(false)}
        />
      )}
    </section>
  );
}
