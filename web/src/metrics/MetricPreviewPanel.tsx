import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { metricsApi } from "../api/metrics.ts";
import { ErrorBox } from "../ui/states.tsx";
import { definitionOf, type MetricFormState, previewable } from "./metricForm.ts";

const WINDOWS = [7, 30, 90];

/** The definition as it stands in the form, aggregated over recent events by the statement billing runs. */
export function MetricPreviewPanel({ form }: { form: MetricFormState }) {
  const [days, setDays] = useState(30);
  const definition = definitionOf(form);
  const wanted = JSON.stringify({ definition, days });
  // Typing settles for a moment before the server is asked.
  const [asked, setAsked] = useState(wanted);
  useEffect(() => {
    const timer = setTimeout(() => setAsked(wanted), 350);
    return () => clearTimeout(timer);
  }, [wanted]);
  const ready = previewable(form);
  const preview = useQuery({
    queryKey: ["metric-preview", asked],
    queryFn: ({ signal }) => metricsApi.preview(JSON.parse(asked), signal),
    enabled: ready,
    placeholderData: (previous) => previous,
  });
  const data = preview.data;
  return (
    <section className="ops-card metric-preview" data-testid="metric-preview" aria-live="polite">
      <div className="ops-card-head">
        <h2>Live preview</h2>
        <label className="field field-inline">
          <span>Window</span>
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="preview-days">
            {WINDOWS.map((d) => (
              <option key={d} value={d}>
                last {d} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {!ready && (
        <p className="muted small" data-testid="preview-waiting">
          Name the event type{form.aggregation === "count" ? "" : " and the property"} to see values from
          recent events.
        </p>
      )}
      {ready && preview.isError && <ErrorBox error={preview.error} title="No preview for this definition." />}
      {ready && data && (
        <>
          <p className="small" data-testid="preview-summary">
            <strong>{data.events.toLocaleString("en-US")}</strong> matching event
            {data.events === 1 ? "" : "s"} from <strong>{data.customers.toLocaleString("en-US")}</strong>{" "}
            customer id
            {data.customers === 1 ? "" : "s"} in the last {days} days
            {preview.isFetching && <span className="muted"> · updating…</span>}
          </p>
          {data.values.length > 0 ? (
            <table className="data-table compact" data-testid="preview-values">
              <thead>
                <tr>
                  <th>Customer id</th>
                  <th className="num">Value</th>
                </tr>
              </thead>
              <tbody>
                {data.values.map((row) => (
                  <tr key={row.customer} data-testid="preview-row">
                    <td>
                      <code>{row.customer}</code>
                      {!row.known && (
                        <span className="ops-badge ops-badge-warn" title="No customer has this external id">
                          unknown customer
                        </span>
                      )}
                      {row.groups && row.groups.length > 0 && (
                        <div className="muted small">
                          {row.groups
                            .map((g) => `${Object.values(g.group).join(" / ") || "—"}: ${g.value}`)
                            .join(" · ")}
                        </div>
                      )}
                    </td>
                    <td className="num" data-testid="preview-value">
                      {row.value}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted small" data-testid="preview-empty">
              No events of type <code>{definition.eventType}</code> match in this window.
            </p>
          )}
        </>
      )}
    </section>
  );
}
