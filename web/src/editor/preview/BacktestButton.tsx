import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { planMigrationsApi } from "../../api/planMigrations.ts";
import { BacktestReport } from "../../plans/BacktestReport.tsx";
import { Dialog } from "../../ui/Dialog.tsx";
import { ErrorBox } from "../../ui/states.tsx";
import { toDocument } from "../graph.ts";
import { useEditorStore } from "../store/editorStore.ts";

/**
 * "Backtest", beside the price curve: the draft as it stands on the canvas, priced against every contract of the
 * plan (on any version) over their last invoiced periods — the revenue impact before publishing.
 */
export function BacktestButton({ planId }: { planId: string }) {
  const store = useEditorStore();
  const [open, setOpen] = useState(false);
  const [periods, setPeriods] = useState(3);
  const backtest = useMutation({
    mutationFn: (count: number) =>
      planMigrationsApi.backtest(planId, { document: toDocument(store.getState()), periods: count }),
  });
  const run = (count = periods) => backtest.mutate(count);
  return (
    <>
      <section className="panel-section backtest-launch">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setOpen(true);
            run();
          }}
          data-testid="editor-backtest"
        >
          Backtest
        </button>
        <span className="muted small">the draft against every customer of this plan</span>
      </section>
      {open && (
        <Dialog title="Backtest of the draft" onClose={() => setOpen(false)} wide testId="backtest-dialog">
          <div className="migrate-form">
            <label>
              <span>Periods</span>
              <input
                type="number"
                min={1}
                max={12}
                value={periods}
                onChange={(e) => setPeriods(Number(e.target.value) || 1)}
                data-testid="backtest-periods"
              />
            </label>
            <button
              type="button"
              className="btn btn-primary"
              disabled={backtest.isPending}
              onClick={() => run()}
              data-testid="backtest-rerun"
            >
              {backtest.isPending ? "Backtesting…" : "Backtest again"}
            </button>
          </div>
          {backtest.error && (
            <ErrorBox error={backtest.error} title="Backtest refused" testId="backtest-error" />
          )}
          {backtest.data && !backtest.isPending && <BacktestReport result={backtest.data} />}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
