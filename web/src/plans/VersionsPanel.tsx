import { useState } from "react";
import { Link, useNavigate } from "react-router";
import type { PlanVersion } from "../api/plans.ts";
import { useCan } from "../app/session.tsx";
import { MigrateDialog } from "./MigrateDialog.tsx";

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Published versions, newest first: open one read-only, or pick two to compare on the canvas. */
export function VersionsPanel({
  planId,
  versions,
  loading,
}: {
  planId: string;
  versions: PlanVersion[];
  loading?: boolean;
}) {
  const navigate = useNavigate();
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [migrating, setMigrating] = useState(false);
  const mayMigrate = useCan()("POST /v1/plans/:id/migrations");
  if (loading) return <p className="muted small panel-section">Loading versions…</p>;
  if (versions.length === 0) {
    return (
      <section className="panel-section">
        <h3>Versions</h3>
        <p className="muted small" data-testid="no-versions">
          Nothing published yet. Publish turns the draft into version 1; contracts bill a published version.
        </p>
      </section>
    );
  }
  const newest = versions[0].version;
  const fromVersion = from ?? versions[1]?.version ?? newest;
  const toVersion = to ?? newest;
  return (
    <>
      <section className="panel-section">
        <h3>Versions</h3>
        <ul className="version-list" data-testid="version-list">
          {versions.map((v) => (
            <li key={v.version} data-testid={`version-${v.version}`}>
              <div>
                <strong>Version {v.version}</strong>
                {v.version === newest && <span className="tag">latest</span>}
                <div className="muted small">
                  {when(v.publishedAt)} · {v.document.nodes.length} nodes
                </div>
              </div>
              <Link
                className="btn btn-small"
                to={`/plans/${planId}/versions/${v.version}`}
                data-testid={`open-version-${v.version}`}
              >
                Open
              </Link>
            </li>
          ))}
        </ul>
      </section>
      {versions.length > 1 && (
        <section className="panel-section">
          <h3>Compare</h3>
          <div className="compare-row">
            <select
              value={fromVersion}
              onChange={(e) => setFrom(Number(e.target.value))}
              data-testid="diff-from"
              aria-label="From version"
            >
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
            <span>→</span>
            <select
              value={toVersion}
              onChange={(e) => setTo(Number(e.target.value))}
              data-testid="diff-to"
              aria-label="To version"
            >
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={fromVersion === toVersion}
              data-testid="show-diff"
              onClick={() => navigate(`/plans/${planId}/diff?from=${fromVersion}&to=${toVersion}`)}
            >
              Show diff
            </button>
          </div>
        </section>
      )}
      {versions.length > 1 && mayMigrate && (
        <section className="panel-section">
          <h3>Contracts</h3>
          <p className="muted small">
            Move contracts to another version, with a backtest of the change first.
          </p>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setMigrating(true)}
            data-testid="migrate-contracts"
          >
            Migrate contracts…
          </button>
        </section>
      )}
      {migrating && <MigrateDialog planId={planId} versions={versions} onClose={() => setMigrating(false)} />}
    </>
  );
}
