import { DECIMAL_PATTERN } from "@pricegraph/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type CreateCreditNote, type InvoiceDetail, invoicesApi } from "../api/invoices.ts";
import { Dialog, FormActions } from "../ui/Dialog.tsx";
import { money } from "../ui/format.ts";
import { ErrorBox } from "../ui/states.tsx";

/**
 * A credit note by amount or by line. Only the shape is checked here (decimals); the limits (not more than
 * what remains, the currency's decimals) are the server's, and its refusal is shown with the field it names.
 */
export function CreditNoteDialog({ invoice, onClose }: { invoice: InvoiceDetail; onClose(): void }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<"amount" | "lines">("amount");
  const [amount, setAmount] = useState("");
  const [lineAmounts, setLineAmounts] = useState<Record<string, string>>({});
  const [reason, setReason] = useState("");
  const create = useMutation({
    mutationFn: (body: CreateCreditNote) => invoicesApi.creditNote(invoice.id, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(["invoice", invoice.id], updated);
      queryClient.invalidateQueries({ queryKey: ["invoices"] });
      onClose();
    },
  });
  const lines = Object.entries(lineAmounts)
    .map(([lineId, value]) => ({ lineId, amount: value.trim() }))
    .filter((l) => l.amount !== "");
  const badLine = lines.find((l) => !DECIMAL_PATTERN.test(l.amount));
  const amountInvalid = mode === "amount" && amount.trim() !== "" && !DECIMAL_PATTERN.test(amount.trim());
  const ready =
    reason.trim() !== "" &&
    (mode === "amount" ? DECIMAL_PATTERN.test(amount.trim()) : lines.length > 0 && !badLine);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    create.mutate(
      mode === "amount" ? { amount: amount.trim(), reason: reason.trim() } : { lines, reason: reason.trim() },
    );
  };
  return (
    <Dialog title="Issue a credit note" onClose={onClose} wide testId="credit-note-dialog">
      <form onSubmit={submit}>
        <p className="muted small">
          Amount due now {money(invoice.amountDue, invoice.currency)}. A credit note lowers it and gets its
          own number.
        </p>
        <div className="credit-mode" role="radiogroup">
          <label className="check">
            <input
              type="radio"
              checked={mode === "amount"}
              onChange={() => setMode("amount")}
              data-testid="credit-mode-amount"
            />
            By amount
          </label>
          <label className="check">
            <input
              type="radio"
              checked={mode === "lines"}
              onChange={() => setMode("lines")}
              data-testid="credit-mode-lines"
            />
            By line
          </label>
        </div>
        {mode === "amount" ? (
          <label className="field">
            <span>Amount ({invoice.currency})</span>
            <input
              type="text"
              inputMode="decimal"
              value={amount}
              className={amountInvalid ? "is-invalid" : undefined}
              onChange={(e) => setAmount(e.target.value)}
              data-testid="credit-amount"
            />
            {amountInvalid && <span className="field-error">Enter a decimal such as 12.50</span>}
          </label>
        ) : (
          <table className="data-table compact credit-lines" data-testid="credit-lines">
            <thead>
              <tr>
                <th>Line</th>
                <th className="num">Amount</th>
                <th className="num">Credited</th>
                <th>Credit</th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line) => {
                const value = lineAmounts[line.id] ?? "";
                const invalid = value.trim() !== "" && !DECIMAL_PATTERN.test(value.trim());
                return (
                  <tr key={line.id}>
                    <td>{line.description}</td>
                    <td className="num">{money(line.amount, invoice.currency)}</td>
                    <td className="num">{money(line.credited, invoice.currency)}</td>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        value={value}
                        className={invalid ? "is-invalid" : undefined}
                        aria-label={`Credit for ${line.description}`}
                        onChange={(e) => setLineAmounts((a) => ({ ...a, [line.id]: e.target.value }))}
                        data-testid={`credit-line-${line.nodeId}`}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <label className="field" style={{ marginTop: 12 }}>
          <span>Reason</span>
          <textarea
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="credit-reason"
          />
        </label>
        {create.isError && (
          <ErrorBox error={create.error} title="The credit note was refused." testId="credit-note-error" />
        )}
        <FormActions
          onCancel={onClose}
          label="Issue credit note"
          busyLabel="Issuing…"
          busy={create.isPending}
          disabled={!ready}
          testId="credit-note-submit"
        />
      </form>
    </Dialog>
  );
}
