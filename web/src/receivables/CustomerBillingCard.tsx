import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import { type CustomerBillingInput, companyApi, paymentsApi, receivablesApi } from "../api/receivables.ts";
import { calendarDate, money } from "../ui/format.ts";
import { ErrorBox, Loading } from "../ui/states.tsx";
import { PaymentBadge } from "./PaymentBadge.tsx";
import { RecordPaymentDialog } from "./RecordPaymentDialog.tsx";
import "./receivables.css";

function BillingForm({ customerId }: { customerId: string }) {
  const queryClient = useQueryClient();
  const billing = useQuery({
    queryKey: ["customer-billing", customerId],
    queryFn: () => receivablesApi.billing(customerId),
  });
  const rates = useQuery({ queryKey: ["tax-rates"], queryFn: () => companyApi.taxRates() });
  const [form, setForm] = useState<CustomerBillingInput & { emailsText: string; termsText: string }>();
  useEffect(() => {
    if (billing.data) {
      const b = billing.data;
      setForm({
        address: b.address,
        emails: b.emails,
        emailsText: b.emails.join(", "),
        paymentTermsDays: b.paymentTermsDays,
        termsText: b.paymentTermsDays === null ? "" : String(b.paymentTermsDays),
        taxTreatment: b.taxTreatment,
        taxRateId: b.taxRateId,
        usageReports: b.usageReports,
      });
    }
  }, [billing.data]);
  const save = useMutation({
    mutationFn: () => {
      if (!form) throw new Error("not loaded");
      return receivablesApi.putBilling(customerId, {
        address: form.address,
        emails: form.emailsText.split(/[,\s]+/).filter(Boolean),
        paymentTermsDays: form.termsText.trim() === "" ? null : Number(form.termsText),
        taxTreatment: form.taxTreatment,
        taxRateId: form.taxTreatment === "rate" ? form.taxRateId : null,
        usageReports: form.usageReports,
      });
    },
    onSuccess: (data) => queryClient.setQueryData(["customer-billing", customerId], data),
  });
  if (billing.isError) return <ErrorBox error={billing.error} />;
  if (!form) return <Loading what="billing details" />;
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="billing-form" onSubmit={submit} data-testid="customer-billing">
      <label className="field">
        <span>Billing e-mails (comma separated)</span>
        <input
          value={form.emailsText}
          onChange={(e) => set({ emailsText: e.target.value })}
          data-testid="billing-emails"
        />
      </label>
      <label className="field">
        <span>Billing address</span>
        <textarea
          value={form.address}
          onChange={(e) => set({ address: e.target.value })}
          data-testid="billing-address"
        />
      </label>
      <label className="field">
        <span>Payment terms (net days; empty: the company default)</span>
        <input
          value={form.termsText}
          inputMode="numeric"
          onChange={(e) => set({ termsText: e.target.value })}
          data-testid="billing-terms"
        />
      </label>
      <label className="field">
        <span>Tax</span>
        <select
          value={form.taxTreatment === "rate" ? (form.taxRateId ?? "") : form.taxTreatment}
          onChange={(e) => {
            const v = e.target.value;
            if (v === "default" || v === "exempt") set({ taxTreatment: v, taxRateId: null });
            else set({ taxTreatment: "rate", taxRateId: v });
          }}
          data-testid="billing-tax"
        >
          <option value="default">company default</option>
          <option value="exempt">exempt</option>
          {rates.data?.data.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.percentage}%)
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Usage report e-mails</span>
        <select
          value={form.usageReports}
          onChange={(e) => set({ usageReports: e.target.value as typeof form.usageReports })}
          data-testid="billing-usage-reports"
        >
          <option value="off">off</option>
          <option value="weekly">weekly</option>
          <option value="monthly">monthly</option>
        </select>
      </label>
      <button type="submit" className="btn" disabled={save.isPending} data-testid="save-billing">
        {save.isPending ? "Saving…" : "Save billing details"}
      </button>{" "}
      {save.isSuccess && <span className="muted small">Saved</span>}
      {save.isError && <ErrorBox error={save.error} title="Not saved." />}
    </form>
  );
}

/** The customer's payments, latest first; a payment can be reversed (a bounced transfer), never edited. */
function Payments({ customerId }: { customerId: string }) {
  const queryClient = useQueryClient();
  const payments = useQuery({
    queryKey: ["payments", customerId],
    queryFn: () => paymentsApi.list(customerId),
  });
  const reverse = useMutation({
    mutationFn: (paymentId: string) => paymentsApi.reverse(paymentId, "reversed from the customer page"),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const list = payments.data?.data ?? [];
  if (list.length === 0) return null;
  return (
    <>
      <table className="data-table compact" data-testid="customer-payments">
        <thead>
          <tr>
            <th>Received</th>
            <th>Reference</th>
            <th>Applied to</th>
            <th className="num">Amount</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr key={p.id} className={p.reversed ? "muted" : undefined}>
              <td>{calendarDate(p.receivedAt)}</td>
              <td>{p.reference ?? "—"}</td>
              <td className="small">
                {[
                  ...p.allocations.map((a) => a.number),
                  ...(/^0\.?0*$/.test(p.toBalance) ? [] : [`balance ${p.toBalance}`]),
                ].join(", ") || "—"}
              </td>
              <td className="num">{money(p.amount, p.currency)}</td>
              <td className="num">
                {p.reversed ? (
                  <span className="muted small">reversed</span>
                ) : (
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => reverse.mutate(p.id)}
                    disabled={reverse.isPending}
                    data-testid={`reverse-payment-${p.reference ?? p.id}`}
                  >
                    Reverse
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {reverse.isError && <ErrorBox error={reverse.error} title="Not reversed." />}
    </>
  );
}

/**
 * A customer's side of getting paid: their open invoices, balance from overpayments, billing details, and a
 * payment recorded against their oldest invoices.
 */
export function CustomerBillingCard({
  customerId,
  currency,
}: {
  customerId: string;
  currency: string | null;
}) {
  const [paying, setPaying] = useState<string | null>(null);
  const open = useQuery({
    queryKey: ["receivables", "customer", customerId],
    queryFn: () => receivablesApi.list({ customerId, open: true }),
  });
  const billing = useQuery({
    queryKey: ["customer-billing", customerId],
    queryFn: () => receivablesApi.billing(customerId),
  });
  const invoices = open.data?.data ?? [];
  const currencies = [...new Set([...invoices.map((i) => i.currency), ...(currency ? [currency] : [])])];
  return (
    <section className="ops-card" data-testid="customer-receivables">
      <div className="ops-card-head">
        <h2>Billing and payments</h2>
        <div className="ops-actions">
          {currencies.map((c) => (
            <button
              key={c}
              type="button"
              className="btn btn-small"
              onClick={() => setPaying(c)}
              data-testid={`customer-record-payment-${c}`}
            >
              Record {c} payment
            </button>
          ))}
        </div>
      </div>
      {billing.data && billing.data.balances.length > 0 && (
        <p data-testid="customer-balance">
          Balance from overpayments:{" "}
          {billing.data.balances.map((b) => money(b.amount, b.currency)).join(", ")} (applied to the next
          invoices)
        </p>
      )}
      {open.isError && <ErrorBox error={open.error} />}
      {invoices.length === 0 && open.isSuccess && <p className="muted small">No open invoices.</p>}
      {invoices.length > 0 && (
        <table className="data-table compact" data-testid="customer-open-invoices">
          <thead>
            <tr>
              <th>Invoice</th>
              <th>Due</th>
              <th>Status</th>
              <th className="num">Outstanding</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((r) => (
              <tr key={r.invoiceId}>
                <td>
                  <Link to={`/invoices/${r.invoiceId}`}>{r.number}</Link>
                </td>
                <td>{calendarDate(r.dueDate)}</td>
                <td>
                  <PaymentBadge status={r.paymentStatus} />
                </td>
                <td className="num">{money(r.outstanding, r.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Payments customerId={customerId} />
      <details>
        <summary>Billing details</summary>
        <BillingForm customerId={customerId} />
      </details>
      {paying && (
        <RecordPaymentDialog customerId={customerId} currency={paying} onClose={() => setPaying(null)} />
      )}
    </section>
  );
}
