import { useMutation, useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { type PortalCreditNote, type PortalInvoice, portalApi } from "../api/portal.ts";
import { PaymentBadge } from "../receivables/PaymentBadge.tsx";
import { calendarDate, instant, invoicePeriod, money } from "../ui/format.ts";
import { ErrorBox, Loading, StatusBadge } from "../ui/states.tsx";

/** A "PDF" button: fetches the document with the portal token and saves it. */
function PdfButton({ download, testId }: { download: () => Promise<void>; testId: string }) {
  const pdf = useMutation({ mutationFn: download });
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        onClick={(event) => {
          event.stopPropagation(); // the row toggles its lines; the button only downloads
          pdf.mutate();
        }}
        disabled={pdf.isPending}
        data-testid={testId}
      >
        {pdf.isPending ? "Preparing…" : "PDF"}
      </button>
      {pdf.isError && <ErrorBox error={pdf.error} title="No PDF." />}
    </>
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

/** The customer's invoices (click a row for its lines) with where each stands with payment, and their PDFs. */
export function PortalInvoices({ token, invoices }: { token: string; invoices: PortalInvoice[] }) {
  const [open, setOpen] = useState<string | null>(null);
  if (invoices.length === 0) return <p className="muted small">No invoices yet.</p>;
  return (
    <table className="data-table compact" data-testid="portal-invoices">
      <thead>
        <tr>
          <th>Number</th>
          <th>Period</th>
          <th>Status</th>
          <th>Payment</th>
          <th>Due date</th>
          <th className="num">Total</th>
          <th className="num">Outstanding</th>
          <th>
            <span className="visually-hidden">PDF</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {invoices.map((i) => (
          <Fragment key={i.id}>
            <tr
              className="is-clickable"
              onClick={() => setOpen(open === i.id ? null : i.id)}
              data-testid={`portal-invoice-${i.number}`}
            >
              <td className="nowrap">
                {/* The row opens on a click; the number is its button for keyboards and screen readers. */}
                <button
                  type="button"
                  className="link-button"
                  aria-expanded={open === i.id}
                  onClick={(event) => {
                    event.stopPropagation();
                    setOpen(open === i.id ? null : i.id);
                  }}
                >
                  {i.number}
                </button>
              </td>
              <td>{invoicePeriod(i)}</td>
              <td>
                <StatusBadge status={i.status} />
              </td>
              <td>
                {i.payment ? (
                  <PaymentBadge status={i.payment.status} testId={`portal-payment-${i.number}`} />
                ) : (
                  <span className="muted small">—</span>
                )}
              </td>
              <td className="nowrap">{i.payment ? calendarDate(i.payment.dueDate) : ""}</td>
              <td className="num">{money(i.total, i.currency)}</td>
              <td className="num">{i.payment ? money(i.payment.outstanding, i.currency) : ""}</td>
              <td>
                <PdfButton
                  download={() => portalApi.invoicePdf(token, i)}
                  testId={`portal-invoice-pdf-${i.number}`}
                />
              </td>
            </tr>
            {open === i.id && (
              <tr>
                <td colSpan={8}>
                  <InvoiceLines token={token} invoiceId={i.id} />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

/** Credit notes on the customer's invoices, with their PDFs. */
export function PortalCreditNotes({ token, notes }: { token: string; notes: PortalCreditNote[] }) {
  return (
    <table className="data-table compact" data-testid="portal-credit-notes">
      <thead>
        <tr>
          <th>Number</th>
          <th>Credits invoice</th>
          <th>Reason</th>
          <th className="num">Amount</th>
          <th>Issued</th>
          <th>
            <span className="visually-hidden">PDF</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {notes.map((n) => (
          <tr key={n.id} data-testid={`portal-credit-note-${n.number}`}>
            <td className="nowrap">{n.number}</td>
            <td className="nowrap">{n.invoiceNumber}</td>
            <td>{n.reason}</td>
            <td className="num">{money(n.amount, n.currency)}</td>
            <td>{instant(n.createdAt)}</td>
            <td>
              <PdfButton
                download={() => portalApi.creditNotePdf(token, n)}
                testId={`portal-credit-note-pdf-${n.number}`}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
