import type { UnmatchedReason } from "@pricegraph/shared/api";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { unmatchedUsageApi } from "../api/metrics.ts";
import { useCan } from "../app/session.tsx";
import { instant } from "../ui/format.ts";
import { PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading, Stat } from "../ui/states.tsx";
import "../metrics/metrics.css";

export const reasonTitle: Record<UnmatchedReason, string> = {
  noMetric: "No metric for the type",
  unknownCustomer: "Unknown customer",
  nonNumericValue: "Not a number",
};

/** What fixes each reason, and where. */
function Fix({ reason, subject, customer }: { reason: UnmatchedReason; subject: string; customer: string }) {
  const can = useCan();
  if (reason === "noMetric" && can("POST /v1/metrics")) return <Link to="/metrics/new">Define a metric</Link>;
  if (reason === "unknownCustomer" && can("POST /v1/customers"))
    return <Link to="/customers">Add customer “{customer}”</Link>;
  if (reason === "nonNumericValue")
    return <Link to={`/metrics/${encodeURIComponent(subject)}`}>See the metric</Link>;
  return null;
}

function shortProperties(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("  ");
}

/**
 * Stored events that count for nothing today, per reason and per customer, with samples: a misspelled type,
 * an external id no customer has, a text where a metric reads a number. Computed from what exists now, so a
 * group leaves the list as soon as its metric or customer is created.
 */
export function UnmatchedUsagePage() {
  const unmatched = useQuery({ queryKey: ["unmatched-usage"], queryFn: () => unmatchedUsageApi.get() });
  const data = unmatched.data;
  const total = data?.reasons.reduce((sum, r) => sum + r.events, 0) ?? 0;
  return (
    <div className="page ops-page">
      <PageHeader
        title="Unmatched usage"
        titleTestId="unmatched-title"
        subtitle={
          <>
            Events received in the last 30 days that bill nobody yet. <Link to="/usage">Usage</Link> ·{" "}
            <Link to="/metrics">Metrics</Link>
          </>
        }
      />
      {unmatched.isError && <ErrorBox error={unmatched.error} title="Could not load unmatched usage." />}
      {unmatched.isLoading && <Loading what="unmatched usage" />}
      {data && (
        <div className="unmatched-reasons" data-testid="unmatched-reasons">
          {data.reasons.map((r) => (
            <Stat
              key={r.reason}
              label={reasonTitle[r.reason]}
              value={`${r.events.toLocaleString("en-US")} events`}
              testId={`unmatched-${r.reason}`}
            />
          ))}
        </div>
      )}
      {data && total === 0 && (
        <EmptyState title="Every event counts" testId="unmatched-empty">
          All events of the window match a metric and name a known customer.
        </EmptyState>
      )}
      {data && data.groups.length > 0 && (
        <section className="ops-card">
          <table className="data-table compact" data-testid="unmatched-table">
            <thead>
              <tr>
                <th>Reason</th>
                <th>Customer id</th>
                <th>Type or metric</th>
                <th className="num">Events</th>
                <th>Last</th>
                <th>Samples</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.groups.map((g) => (
                <tr key={`${g.reason}:${g.customer}:${g.subject}`} data-testid="unmatched-row">
                  <td>
                    <strong>{reasonTitle[g.reason]}</strong>
                    <div className="muted small">{g.message}</div>
                  </td>
                  <td>
                    <code>{g.customer}</code>
                  </td>
                  <td>
                    <code>{g.subject}</code>
                  </td>
                  <td className="num">{g.events.toLocaleString("en-US")}</td>
                  <td className="nowrap">{instant(g.lastTimestamp)}</td>
                  <td className="small unmatched-samples">
                    {g.samples.map((s) => (
                      <code key={s.id} title={s.id}>
                        {s.type} {shortProperties(s.properties)}
                      </code>
                    ))}
                  </td>
                  <td>
                    <Fix reason={g.reason} subject={g.subject} customer={g.customer} />
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
