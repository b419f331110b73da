import type { Metric } from "@pricegraph/shared/api";
import { QueryClientContext, useQuery } from "@tanstack/react-query";
import { useContext } from "react";
import { metricsApi } from "../../api/metrics.ts";
import { ListInput, TextInput } from "./FieldInputs.tsx";
import type { FormApi } from "./formApi.ts";

/**
 * The usage node's `metric` and `groupBy` fields: the metric picked from the tenant's metrics (a metric the
 * plan names but nobody defined stays selectable, marked, since publishing refuses it), and the group-by
 * dimensions offered from the picked metric's own. Outside the app (no query client) they are plain inputs.
 */
export function UsageMetricField(props: {
  name: "metric" | "groupBy";
  data: Record<string, unknown>;
  api: FormApi;
  label: string;
}) {
  const client = useContext(QueryClientContext);
  if (!client) return <PlainField {...props} />;
  return <ListedField {...props} />;
}

function PlainField({ name, data, api, label }: Parameters<typeof UsageMetricField>[0]) {
  if (name === "groupBy")
    return <ListInput value={data.groupBy} path={["groupBy"]} api={api} label={label} />;
  return (
    <TextInput
      value={typeof data.metric === "string" ? data.metric : ""}
      onCommit={(next) => api.set(["metric"], next)}
      testId="field-metric"
      label={label}
      readOnly={api.readOnly}
    />
  );
}

function ListedField(props: Parameters<typeof UsageMetricField>[0]) {
  const metrics = useQuery({ queryKey: ["metrics"], queryFn: () => metricsApi.list() });
  // The list could not load: the key stays editable as text.
  if (metrics.isError) return <PlainField {...props} />;
  const list = metrics.data?.data ?? [];
  if (!metrics.data && props.name === "groupBy") return <PlainField {...props} />;
  const current = typeof props.data.metric === "string" ? props.data.metric : "";
  const picked = list.find((m) => m.key === current);
  return props.name === "metric" ? (
    <MetricSelect
      list={list}
      current={current}
      known={picked !== undefined}
      loading={!metrics.data}
      {...props}
    />
  ) : (
    <DimensionChoice metric={picked} {...props} />
  );
}

function MetricSelect({
  list,
  current,
  known,
  loading,
  api,
  label,
}: {
  list: Metric[];
  current: string;
  known: boolean;
  loading: boolean;
  api: FormApi;
  label: string;
}) {
  return (
    <>
      <select
        value={current}
        aria-label={label}
        data-testid="field-metric"
        // Not disabled while the list loads: a problem's "go to" must be able to focus it.
        disabled={api.readOnly}
        onChange={(e) => api.set(["metric"], e.target.value)}
      >
        {!known && (
          <option value={current}>
            {loading ? current : current ? `${current} — not defined yet` : "Pick a metric"}
          </option>
        )}
        {list.map((m) => (
          <option key={m.key} value={m.key}>
            {m.name === m.key ? m.key : `${m.name} (${m.key})`}
          </option>
        ))}
      </select>
      {!known && !loading && (
        <span className="field-error" data-testid="metric-undefined">
          {list.length === 0 ? "No metrics are defined yet: " : "Publishing needs a defined metric: "}
          <a href="/metrics/new" target="_blank" rel="noreferrer">
            define one
          </a>
        </span>
      )}
    </>
  );
}

/** One checkbox per dimension of the picked metric; clearing the last one drops the grouping. */
function DimensionChoice({
  metric,
  data,
  api,
  label,
}: {
  metric: Metric | undefined;
  data: Record<string, unknown>;
  api: FormApi;
  label: string;
}) {
  const chosen = Array.isArray(data.groupBy) ? (data.groupBy as string[]) : [];
  if (!metric || metric.groupBy.length === 0) {
    return <ListInput value={data.groupBy} path={["groupBy"]} api={api} label={label} />;
  }
  // Dimensions the node names that the metric lacks stay listed, so nothing is dropped silently.
  const offered = [...metric.groupBy, ...chosen.filter((d) => !metric.groupBy.includes(d))];
  const toggle = (dimension: string) => {
    const next = chosen.includes(dimension) ? chosen.filter((d) => d !== dimension) : [...chosen, dimension];
    api.set(["groupBy"], next.length ? next : undefined);
  };
  return (
    <fieldset className="dimension-choice" aria-label={label} data-testid="field-groupBy">
      {offered.map((dimension) => (
        <label key={dimension} className="choice-option">
          <input
            type="checkbox"
            checked={chosen.includes(dimension)}
            disabled={api.readOnly}
            onChange={() => toggle(dimension)}
            data-testid={`group-by-${dimension}`}
          />{" "}
          <code>{dimension}</code>
          {!metric.groupBy.includes(dimension) && (
            <span className="muted small"> (not a dimension of the metric)</span>
          )}
        </label>
      ))}
    </fieldset>
  );
}
