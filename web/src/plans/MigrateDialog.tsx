import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { type MigrationResult, planMigrationsApi } from "../api/planMigrations.ts";
import type { PlanVersion } from "../api/plans.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { ErrorBox } from "../ui/states.tsx";
import { BacktestReport } from "./BacktestReport.tsx";

/** The first day of next month (UTC): when a price change usually takes effect. */
function nextMonthStart(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

/**
 * "Migrate contracts…": pick the versions and the effective date, see the backtest of the contracts on the old
 * version re-priced on the new one (a dry run, which changes nothing).
 */
export function MigrateDialog({
  planId,
  versions,
  onClose,
}: {
  planId: string;
  versions: PlanVersion[];
  onClose(): void;
}) {
  const newest = versions[0]?.version ?? 1;
  const [fromVersion, setFrom] = useState(versions[1]?.version ?? newest);
  const [toVersion, setTo] = useState(newest);
  const [effectiveDate, setDate] = useState(nextMonthStart);
  const [periods, setPeriods] = useState(3);
  const [result, setResult] = useState<MigrationResult | null>(null);
  const dryRun = useMutation({
    mutationFn: () =>
      planMigrationsApi.migrate(planId, { fromVersion, toVersion, effectiveDate, periods, dryRun: true }),
    onSuccess: setResult,
  });
  const changed = () => setResult(null);
  const versionSelect = (label: string, value: number, set: (v: number) => void, testId: string) => (
    <label>
      <span>{label}</span>
      <select
        value={value}
        onChange={(e) => {
          set(Number(e.target.value));
          changed();
        }}
        data-testid={testId}
      >
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            Version {v.version}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Dialog title="Migrate contracts" onClose={onClose} wide testId="migrate-dialog">
      <p className="muted small">
        Contracts on the first version move to the second from the effective date. The backtest re-prices each
        one's last invoiced periods on the new version, with its own overrides and the usage its invoices
        stored.
      </p>
      <div className="migrate-form">
        {versionSelect("From", fromVersion, setFrom, "migrate-from")}
        {versionSelect("To", toVersion, setTo, "migrate-to")}
        <label>
          <span>Effective date</span>
          <input
            type="date"
            value={effectiveDate}
            onChange={(e) => {
              setDate(e.target.value);
              changed();
            }}
            data-testid="migrate-effective-date"
          />
        </label>
        <label>
          <span>Periods</span>
          <input
            type="number"
            min={1}
            max={12}
            value={periods}
            onChange={(e) => {
              setPeriods(Number(e.target.value) || 1);
              changed();
            }}
            data-testid="migrate-periods"
          />
        </label>
        <button
          type="button"
          className="btn btn-primary"
          disabled={fromVersion === toVersion || dryRun.isPending}
          onClick={() => dryRun.mutate()}
          data-testid="migrate-backtest"
        >
          {dryRun.isPending ? "Backtesting…" : "Backtest"}
        </button>
      </div>
      {dryRun.error && <ErrorBox error={dryRun.error} title="Backtest refused" testId="migrate-error" />}
      {result && <BacktestReport result={result} />}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
