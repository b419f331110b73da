import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Plan, plansApi } from "../api/plans.ts";
import { useCan } from "../app/session.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { ErrorBox } from "../ui/states.tsx";

/**
 * Archive or bring back a plan from the plans list; an archived plan can also be deleted, which the server
 * refuses (with a message this dialog shows) while any contract refers to it.
 */
export function PlanRowActions({ plan }: { plan: Plan }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["plans"] });
  const toggle = useMutation({
    mutationFn: () => (plan.archivedAt ? plansApi.unarchive(plan.id) : plansApi.archive(plan.id)),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () => plansApi.remove(plan.id),
    onSuccess: () => {
      setConfirmingDelete(false);
      refresh();
    },
  });
  const canArchive = can(plan.archivedAt ? "POST /v1/plans/:id/unarchive" : "POST /v1/plans/:id/archive");
  return (
    <div className="plan-row-actions">
      {canArchive && (
        <button
          type="button"
          className="btn btn-small"
          disabled={toggle.isPending}
          onClick={() => toggle.mutate()}
          aria-label={`${plan.archivedAt ? "Unarchive" : "Archive"} ${plan.name}`}
          data-testid={`plan-${plan.archivedAt ? "unarchive" : "archive"}-${plan.id}`}
        >
          {plan.archivedAt ? "Unarchive" : "Archive"}
        </button>
      )}
      {plan.archivedAt && can("DELETE /v1/plans/:id") && (
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={() => setConfirmingDelete(true)}
          aria-label={`Delete ${plan.name}`}
          data-testid={`plan-delete-${plan.id}`}
        >
          Delete
        </button>
      )}
      {toggle.isError && <ErrorBox error={toggle.error} title="Not changed." />}
      {confirmingDelete && (
        <Dialog
          title={`Delete “${plan.name}”?`}
          onClose={() => setConfirmingDelete(false)}
          testId="delete-plan-dialog"
        >
          <p>
            The plan and its {plan.latestVersion ?? 0} published version(s) are deleted for good. A plan that
            contracts use cannot be deleted; it stays archived.
          </p>
          {remove.isError && (
            // The server's message says why in words (contracts use it); its field path would not help here.
            <p className="form-error" role="alert" data-testid="delete-plan-error">
              <strong>Not deleted.</strong> {remove.error.message}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setConfirmingDelete(false)}>
              {remove.isError ? "Close" : "Cancel"}
            </button>
            {!remove.isError && (
              <button
                type="button"
                className="btn btn-danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate()}
                data-testid="confirm-delete-plan"
              >
                {remove.isPending ? "Deleting…" : "Delete plan"}
              </button>
            )}
          </div>
        </Dialog>
      )}
    </div>
  );
}
