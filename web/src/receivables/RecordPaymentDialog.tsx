import { Decimal } from "@pricegraph/engine";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type CreatePayment, paymentMethods, paymentsApi } from "../api/receivables.ts";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { ErrorBox } from "../ui/states.tsx";

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Records money received. From an invoice, the payment is allocated to it (anything above what it owes becomes
 * customer balance); from a customer, to their open invoices oldest due first.
 */
export function RecordPaymentDialog({
  customerId,
  currency,
  invoice,
  suggestedAmount,
  onClose,
}: {
  customerId: string;
  currency: string;
  invoice?: { id: string; number: string; outstanding: string };
  suggestedAmount?: string;
  onClose(): void;
}) {
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState(suggestedAmount ?? invoice?.outstanding ?? "");
  const [receivedAt, setReceivedAt] = useState(today());
  const [method, setMethod] = useState<CreatePayment["method"]>("bank_transfer");
  const [reference, setReference] = useState("");
  const record = useMutation({
    mutationFn: () => {
      // At most what the invoice owes goes to it; the server puts the rest on the customer's balance.
      const paid = new Decimal(amount.trim());
      const allocation = invoice
        ? [{ invoiceId: invoice.id, amount: Decimal.min(paid, invoice.outstanding).toString() }]
        : undefined;
      return paymentsApi.create({
        customerId,
        amount: amount.trim(),
        currency,
        receivedAt,
        method,
        reference: reference.trim() || null,
        allocations: allocation,
      });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      onClose();
    },
  });
  const valid =
    /^\d+(\.\d+)?$/.test(amount.trim()) &&
    new Decimal(amount.trim()).gt(0) &&
    /^\d{4}-\d{2}-\d{2}$/.test(receivedAt);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) record.mutate();
  };
  return (
    <Dialog
      title={invoice ? `Record a payment of ${invoice.number}` : "Record a payment"}
      onClose={onClose}
      testId="payment-dialog"
    >
      <form onSubmit={submit}>
        <label className="field">
          <span>Amount ({currency})</span>
          <input
            type="text"
            inputMode="decimal"
            autoFocus
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            data-testid="payment-amount"
          />
        </label>
        <label className="field">
          <span>Received on</span>
          <input
            type="date"
            value={receivedAt}
            onChange={(e) => setReceivedAt(e.target.value)}
            data-testid="payment-date"
          />
        </label>
        <label className="field">
          <span>Method</span>
          <select
            value={method}
            onChange={(e) => setMethod(e.target.value as CreatePayment["method"])}
            data-testid="payment-method"
          >
            {paymentMethods.map((m) => (
              <option key={m} value={m}>
                {m.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Reference</span>
          <input
            type="text"
            value={reference}
            placeholder="bank reference, cheque number…"
            onChange={(e) => setReference(e.target.value)}
            data-testid="payment-reference"
          />
        </label>
        <p className="muted small">
          {invoice
            ? "Allocated to this invoice; anything above what it owes becomes the customer's balance."
            : "Allocated to the customer's open invoices, oldest due first; the rest becomes their balance."}
        </p>
        {record.isError && <ErrorBox error={record.error} title="Not recorded." />}
        <FormActions
          onCancel={onClose}
          label="Record payment"
          busyLabel="Recording…"
          busy={record.isPending}
          disabled={!valid}
          testId="record-payment"
        />
      </form>
    </Dialog>
  );
}
