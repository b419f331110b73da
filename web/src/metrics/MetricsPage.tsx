import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { metricsApi } from "../api/metrics.ts";
import { useCan } from "../app/session.tsx";
import { PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";
import { aggregationCopy } from "./metricForm.ts";
import "./metrics.css";

/** Every billable metric of the tenant: what usage nodes can name, and how each aggregates its events. */
export function MetricsPage() {
  const can = useCan();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const metrics = useQuery({ queryKey: ["metrics"], queryFn: () => metricsApi.list() });
  const list = metrics.data?.data ?? [];
  return (
    <div className="page ops-page">
      <PageHeader
        title="Metrics"
        subtitle="How usage events turn into the quantities plans price. Usage nodes pick from this list."
      >
        <div className="ops-actions">
          <Link className="btn" to="/usage/unmatched" data-testid="open-unmatched">
            Unmatched usage
          </Link>
          {can("POST /v1/metrics") && (
            <Link className="btn btn-primary" to="/metrics/new" data-testid="new-metric">
              New metric
            </Link>
          )}
        </div>
      </PageHeader>
      {saved && (
        <p className="notice" role="status" data-testid="metric-saved">
          Metric <code>{saved}</code> saved.
        </p>
      )}
      {metrics.isError && <ErrorBox error={metrics.error} title="Could not load metrics." />}
      {metrics.isLoading && <Loading what="metrics" />}
      {metrics.isSuccess && list.length === 0 && (
        <EmptyState title="No metrics yet" testId="metrics-empty">
          Define what to count — API calls, tokens, seats, GB stored — before a plan prices it.
        </EmptyState>
      )}
      {list.length > 0 && (
        <section className="ops-card">
          <table className="data-table compact" data-testid="metrics-table">
            <thead>
              <tr>
                <th>Metric</th>
                <th>Event type</th>
                <th>Aggregation</th>
                <th>Filters</th>
                <th>Group by</th>
                <th>Rounding</th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr key={m.key} data-testid={`metric-row-${m.key}`}>
                  <td>
                    <Link to={`/metrics/${encodeURIComponent(m.key)}`}>{m.name}</Link>
                    <div className="muted small">
                      <code>{m.key}</code>
                    </div>
                  </td>
                  <td>
                    <code>{m.eventType}</code>
                  </td>
                  <td>
                    {aggregationCopy[m.aggregation].label}
                    {m.property && (
                      <>
                        {" "}
                        of <code>{m.property}</code>
                      </>
                    )}
                  </td>
                  <td className="small">
                    {m.filters.length
                      ? m.filters.map((f) => `${f.property} ∈ {${f.values.join(", ")}}`).join("; ")
                      : "—"}
                  </td>
                  <td className="small">{m.groupBy.length ? m.groupBy.join(", ") : "—"}</td>
                  <td className="small">
                    {m.rounding ? `${m.rounding.mode}, ${m.rounding.precision} places` : "exact"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
