import "./ops.css";
import type { ReactNode } from "react";
import { ApiError } from "../api/client.ts";

/** A loading line that keeps the page's layout calm while a query runs. */
export function Loading({ what, testId }: { what: string; testId?: string }) {
  return (
    <div className="ops-loading" role="status" data-testid={testId}>
      <span className="ops-spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

/** An API error with its details (field paths, CSV rows) as the server wrote them. */
export function ErrorBox({ error, title, testId }: { error: unknown; title?: string; testId?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="form-error ops-error" role="alert" data-testid={testId}>
      <strong>{title ?? "Something went wrong"}</strong> {message}
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: details are positional
            <li key={i}>
              {d.path && d.path !== "$" && <code>{d.path}</code>} {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What a list shows when it has nothing yet: what belongs here and the action that adds it. */
export function EmptyState({
  title,
  children,
  action,
  testId,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="empty-state" data-testid={testId}>
      <strong>{title}</strong>
      {children && <span>{children}</span>}
      {action && <div className="ops-empty-action">{action}</div>}
    </div>
  );
}

/** A determinate progress bar (0–1) with its label. */
export function ProgressBar({ value, label, testId }: { value: number; label?: string; testId?: string }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="ops-progress" data-testid={testId}>
      <div
        className="ops-progress-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label={label}
      >
        <div className="ops-progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="ops-progress-label">{label ?? `${percent}%`}</span>
    </div>
  );
}

const statusTone: Record<string, string> = {
  draft: "warn",
  finalized: "ok",
  void: "muted",
  queued: "muted",
  running: "info",
  done: "ok",
  failed: "danger",
  active: "ok",
  ended: "muted",
  upcoming: "info",
  revoked: "muted",
  succeeded: "ok",
  pending: "info",
  canceled: "muted",
  disabled: "muted",
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`ops-badge ops-badge-${statusTone[status] ?? "muted"}`} data-testid={testId}>
      {status}
    </span>
  );
}

/** A labelled value in a summary strip (invoice totals, contract terms). */
export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="ops-stat">
      <span>{label}</span>
      <strong data-testid={testId}>{value}</strong>
    </div>
  );
}
