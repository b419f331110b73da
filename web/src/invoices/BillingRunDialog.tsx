import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type BillingRun, billingRunsApi } from "../api/invoices.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { todayDate } from "../ui/format.ts";
import { ErrorBox, ProgressBar, StatusBadge } from "../ui/states.tsx";

/** The run's instant for a chosen date: the end of that day (UTC), or now when that is still ahead. */
export function asOfInstant(date: string, now: Date = new Date()): string {
  const endOfDay = new Date(`${date}T23:59:59.999Z`);
  return (endOfDay < now ? endOfDay : now).toISOString();
}

const finished = (run: BillingRun | undefined) => run?.status === "done" || run?.status === "failed";

/** Starts a billing run as of a date and follows its progress (done / total contracts) until it finishes. */
export function BillingRunDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [date, setDate] = useState(todayDate());
  const start = useMutation({
    mutationFn: () => billingRunsApi.start(asOfInstant(date)),
  });
  const runId = start.data?.id;
  const run = useQuery({
    queryKey: ["billing-run", runId],
    queryFn: () => billingRunsApi.get(runId!),
    enabled: !!runId,
    initialData: start.data,
    refetchInterval: (query) => {
      if (finished(query.state.data)) {
        queryClient.invalidateQueries({ queryKey: ["invoices"] });
        return false;
      }
      return 400;
    },
  });
  const current = run.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <Dialog title="Run billing" onClose={onClose} testId="billing-run-dialog">
      <form className="run-panel" onSubmit={submit}>
        <p className="muted small" style={{ margin: 0 }}>
          Invoices every contract period that ended by this date, exactly once: periods already invoiced are
          skipped, so running again is safe.
        </p>
        <label className="field">
          <span>As of</span>
          <input
            type="date"
            value={date}
            max={todayDate()}
            disabled={!!runId}
            onChange={(e) => setDate(e.target.value)}
            data-testid="billing-run-asof"
          />
        </label>
        {start.isError && <ErrorBox error={start.error} title="The run was not started." />}
        {current && (
          <div data-testid="billing-run-progress">
            <ProgressBar
              value={current.total ? current.done / current.total : finished(current) ? 1 : 0}
              label={`${current.done} / ${current.total} contracts`}
              testId="billing-run-bar"
            />
            <p className="run-result">
              <StatusBadge status={current.status} testId="billing-run-status" />{" "}
              <span data-testid="billing-run-created">{current.invoicesCreated}</span> invoice
              {current.invoicesCreated === 1 ? "" : "s"} created
              {current.error && <span className="form-error"> {current.error}</span>}
            </p>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="billing-run-close">
            {finished(current) ? "Done" : "Close"}
          </button>
          {!runId && (
            <button
              type="submit"
              className="btn btn-primary"
              disabled={start.isPending}
              data-testid="billing-run-start"
            >
              {start.isPending ? "Starting…" : "Start run"}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
