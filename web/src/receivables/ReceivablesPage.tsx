import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { type Aging, type PaymentStatus, receivablesApi } from "../api/receivables.ts";
import { uploadCsv } from "../api/upload.ts";
import { calendarDate, money } from "../ui/format.ts";
import { PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";
import { CsvUpload } from "../usage/CsvUpload.tsx";
import { agingColumns, agingCsv } from "./agingCsv.ts";
import { PaymentBadge, paymentStatusLabel } from "./PaymentBadge.tsx";
import "./receivables.css";

const today = () => new Date().toISOString().slice(0, 10);

function downloadCsv(aging: Aging) {
  const url = URL.createObjectURL(new Blob([agingCsv(aging)], { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `receivables-aging-${aging.asOf}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function AgingBlock({ block }: { block: Aging["currencies"][number] }) {
  // Chart values are numbers for drawing only; every figure shown as text stays the API's decimal string.
  const data = agingColumns.map(([key, label]) => ({ bucket: label, amount: Number(block.totals[key]) }));
  const m = (v: string) => money(v, block.currency);
  return (
    <section className="ops-card" data-testid={`aging-${block.currency}`}>
      <h2>
        {block.currency} outstanding:{" "}
        <span data-testid={`aging-total-${block.currency}`}>{m(block.totals.total)}</span>
      </h2>
      <div className="aging-chart" data-testid="aging-chart">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="bucket" />
            <YAxis width={70} />
            <Tooltip formatter={(value) => [`${block.currency} ${value}`, "Outstanding"]} />
            <Bar dataKey="amount" fill="#4f6bed" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="data-table compact" data-testid={`aging-customers-${block.currency}`}>
        <thead>
          <tr>
            <th>Customer</th>
            {agingColumns.map(([key, label]) => (
              <th key={key} className="num">
                {label}
              </th>
            ))}
            <th className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {block.customers.map((c) => (
            <tr key={c.customerId} data-testid={`aging-customer-${c.customerId}`}>
              <td>
                <Link to={`/customers/${c.customerId}`}>{c.name}</Link>
              </td>
              {agingColumns.map(([key]) => (
                <td key={key} className="num">
                  {m(c[key])}
                </td>
              ))}
              <td className="num strong">{m(c.total)}</td>
            </tr>
          ))}
          <tr className="grand">
            <td>Total</td>
            {agingColumns.map(([key]) => (
              <td key={key} className="num">
                {m(block.totals[key])}
              </td>
            ))}
            <td className="num">{m(block.totals.total)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

const statuses: PaymentStatus[] = ["overdue", "unpaid", "partially_paid", "paid"];

function OpenInvoices() {
  const [status, setStatus] = useState<PaymentStatus | "">("");
  const list = useQuery({
    queryKey: ["receivables", "invoices", status],
    queryFn: () => receivablesApi.list(status ? { paymentStatus: status } : { open: true }),
  });
  return (
    <section className="ops-card">
      <div className="ops-card-head">
        <h2>{status ? `Invoices ${paymentStatusLabel(status)}` : "Open invoices"}</h2>
        <select
          aria-label="Payment status"
          value={status}
          onChange={(e) => setStatus(e.target.value as PaymentStatus | "")}
          data-testid="receivables-status"
        >
          <option value="">all open</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {paymentStatusLabel(s)}
            </option>
          ))}
        </select>
      </div>
      {list.isError && <ErrorBox error={list.error} />}
      {list.isLoading && <Loading what="invoices" />}
      {list.data && list.data.data.length === 0 && <p className="muted small">None.</p>}
      {list.data && list.data.data.length > 0 && (
        <table className="data-table compact" data-testid="receivable-invoices">
          <thead>
            <tr>
              <th>Invoice</th>
              <th>Customer</th>
              <th>Due</th>
              <th>Status</th>
              <th className="num">Total</th>
              <th className="num">Outstanding</th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((r) => (
              <tr key={r.invoiceId} data-testid={`receivable-${r.number}`}>
                <td>
                  <Link className="strong-link" to={`/invoices/${r.invoiceId}`}>
                    {r.number}
                  </Link>
                </td>
                <td>{r.customerName}</td>
                <td>
                  {calendarDate(r.dueDate)}
                  {r.daysOverdue > 0 && r.paymentStatus !== "paid" && (
                    <span className="muted small"> ({r.daysOverdue} days late)</span>
                  )}
                </td>
                <td>
                  <PaymentBadge status={r.paymentStatus} />
                </td>
                <td className="num">{money(r.total, r.currency)}</td>
                <td className="num">{money(r.outstanding, r.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What customers owe: outstanding amounts by days past due, per customer, with the open invoices. */
export function ReceivablesPage() {
  const queryClient = useQueryClient();
  const [asOf, setAsOf] = useState(today());
  const aging = useQuery({ queryKey: ["aging", asOf], queryFn: () => receivablesApi.aging(asOf) });
  return (
    <div className="page ops-page" data-testid="receivables-page">
      <PageHeader
        title="Receivables"
        subtitle="Outstanding on finalized invoices by days past their due date, per customer."
      >
        <div className="ops-actions">
          <label className="field aging-as-of">
            <span>As of</span>
            <input
              type="date"
              value={asOf}
              onChange={(e) => e.target.value && setAsOf(e.target.value)}
              data-testid="aging-as-of"
            />
          </label>
          <button
            type="button"
            className="btn"
            disabled={!aging.data}
            onClick={() => aging.data && downloadCsv(aging.data)}
            data-testid="aging-csv"
          >
            Export CSV
          </button>
        </div>
      </PageHeader>
      {aging.isError && <ErrorBox error={aging.error} title="Could not load the aging report." />}
      {aging.isLoading && <Loading what="aging report" />}
      {aging.data && aging.data.currencies.length === 0 && (
        <EmptyState title="Nothing outstanding" testId="aging-empty">
          Finalized invoices that are not fully paid show here, bucketed by how late they are.
        </EmptyState>
      )}
      {aging.data?.currencies.map((block) => (
        <AgingBlock key={block.currency} block={block} />
      ))}
      <OpenInvoices />
      <CsvUpload
        id="import-payments"
        title="Import bank payments"
        description="Each row pays the invoice it names (any excess becomes the customer's balance). All or nothing."
        columns="invoice, amount, date[, currency, reference, method]"
        upload={(file, onProgress) => uploadCsv<{ imported: number }>("/payments/import", file, onProgress)}
        summarize={(r) => <>{r.imported} payments recorded.</>}
        onDone={() => queryClient.invalidateQueries()}
      />
    </div>
  );
}
