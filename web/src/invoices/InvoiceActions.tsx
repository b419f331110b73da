import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type InvoiceDetail, invoicesApi } from "../api/invoices.ts";
import { useCan } from "../app/session.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { ErrorBox } from "../ui/states.tsx";

type Action = "refresh" | "finalize" | "void";

/** What can be done to an invoice in its state: refresh or finalize a draft, credit or void a finalized one. */
export function InvoiceActions({ invoice, onCredit }: { invoice: InvoiceDetail; onCredit(): void }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: Action) => invoicesApi[action](invoice.id),
    onSuccess: (updated) => {
      queryClient.setQueryData(["invoice", invoice.id], updated);
      queryClient.invalidateQueries({ queryKey: ["invoices"] });
    },
  });
  const [confirming, setConfirming] = useState<{ action: Action; message: string } | null>(null);
  const confirmThen = (action: Action, message: string) => () => setConfirming({ action, message });
  if (!can("POST /v1/invoices/:id/finalize")) return null;
  return (
    <div>
      {confirming && (
        <Dialog
          title={confirming.action === "finalize" ? "Finalize invoice" : "Void invoice"}
          onClose={() => setConfirming(null)}
          testId="confirm-dialog"
        >
          <p>{confirming.message}</p>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button
              type="button"
              className={confirming.action === "void" ? "btn btn-danger" : "btn btn-primary"}
              onClick={() => {
                act.mutate(confirming.action);
                setConfirming(null);
              }}
              data-testid="confirm-action"
            >
              {confirming.action === "finalize" ? "Finalize" : "Void"}
            </button>
          </div>
        </Dialog>
      )}
      <div className="ops-actions">
        {invoice.status === "draft" && (
          <>
            <button
              type="button"
              className="btn"
              disabled={act.isPending}
              onClick={() => act.mutate("refresh")}
              data-testid="invoice-refresh"
            >
              Refresh usage
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={act.isPending}
              onClick={confirmThen(
                "finalize",
                "Finalize this invoice? It gets a number and can no longer change.",
              )}
              data-testid="invoice-finalize"
            >
              Finalize
            </button>
          </>
        )}
        {invoice.status === "finalized" && (
          <>
            <button type="button" className="btn" onClick={onCredit} data-testid="invoice-credit-note">
              Issue credit note
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={act.isPending || invoice.creditNotes.length > 0}
              title={
                invoice.creditNotes.length > 0 ? "An invoice with credit notes cannot be voided" : undefined
              }
              onClick={confirmThen("void", "Void this invoice? Its credit draws are given back.")}
              data-testid="invoice-void"
            >
              Void
            </button>
          </>
        )}
      </div>
      {act.isError && (
        <ErrorBox error={act.error} title="The action was refused." testId="invoice-action-error" />
      )}
    </div>
  );
}
