import { useMutation, useQueryClient } from "@tanstack/react-query";
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
 * version re-priced on the new one (a dry run, which changes nothing), then Apply: each contract is amended onto
 * the new version from the effective date.
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
  const [applied, setApplied] = useState<MigrationResult | null>(null);
  // One key per backtest shown: applying twice (a double click, a retry) amends the contracts once.
  const [applyKey, setApplyKey] = useState("");
  const queryClient = useQueryClient();
  const request = { fromVersion, toVersion, effectiveDate, periods };
  const dryRun = useMutation({
    mutationFn: () => planMigrationsApi.migrate(planId, { ...request, dryRun: true }),
    onSuccess: (answer) => {
      setResult(answer);
      setApplied(null);
      setApplyKey(crypto.randomUUID());
    },
  });
  const apply = useMutation({
    mutationFn: () => planMigrationsApi.migrate(planId, { ...request, dryRun: false }, applyKey),
    onSuccess: (answer) => {
      setApplied(answer);
      queryClient.invalidateQueries({ queryKey: ["contracts"] });
    },
  });
  const changed = () => {
    setResult(null);
    setApplied(null);
  };
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
      {apply.error && <ErrorBox error={apply.error} title="Migration refused" testId="migrate-apply-error" />}
      {applied && (
        <p className="notice-inline" role="status" data-testid="migrate-applied">
          Migrated {applied.amended.length} contracts to version {applied.toVersion} from{" "}
          {applied.effectiveDate}.
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
        {result && !applied && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={result.contracts.length === 0 || apply.isPending}
            onClick={() => apply.mutate()}
            data-testid="migrate-apply"
          >
            {apply.isPending
              ? "Applying…"
              : `Apply to ${result.contracts.length} contract${result.contracts.length === 1 ? "" : "s"}`}
          </button>
        )}
      </div>
    </Dialog>
  );
}
