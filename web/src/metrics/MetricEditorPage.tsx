import { aggregations } from "@pricegraph/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { metricsApi } from "../api/metrics.ts";
import { useCan } from "../app/session.tsx";
import { PageHeader, RecordPending } from "../ui/Page.tsx";
import { ErrorBox } from "../ui/states.tsx";
import { MetricPreviewPanel } from "./MetricPreviewPanel.tsx";
import {
  aggregationCopy,
  createBody,
  emptyMetricForm,
  formOf,
  type MetricFormState,
  updateBody,
} from "./metricForm.ts";
import "./metrics.css";

/** Creates a metric (no `:key`) or edits one, with the live preview beside the form. */
export function MetricEditorPage() {
  const { metricKey } = useParams();
  const existing = useQuery({
    queryKey: ["metric", metricKey],
    queryFn: () => metricsApi.get(metricKey!),
    enabled: metricKey !== undefined,
  });
  if (metricKey !== undefined && !existing.data) return <RecordPending query={existing} what="metric" />;
  return (
    <MetricEditor
      key={metricKey ?? "new"}
      initial={existing.data ? formOf(existing.data) : emptyMetricForm}
      isNew={metricKey === undefined}
    />
  );
}

function MetricEditor({ initial, isNew }: { initial: MetricFormState; isNew: boolean }) {
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(initial);
  const readOnly = !can(isNew ? "POST /v1/metrics" : "PATCH /v1/metrics/:key");
  const set = <K extends keyof MetricFormState>(field: K, value: MetricFormState[K]) =>
    setForm((f) => ({ ...f, [field]: value }));
  const save = useMutation({
    mutationFn: () =>
      isNew ? metricsApi.create(createBody(form)) : metricsApi.update(form.key, updateBody(form)),
    onSuccess: async (metric) => {
      await queryClient.invalidateQueries({ queryKey: ["metrics"] });
      queryClient.setQueryData(["metric", metric.key], metric);
      navigate(`/metrics?saved=${encodeURIComponent(metric.key)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const reads = form.aggregation !== "count";

  return (
    <div className="page ops-page">
      <PageHeader
        title={isNew ? "New metric" : form.name || form.key}
        titleTestId="metric-title"
        subtitle={
          <>
            How events become the usage a plan's usage node reads. <Link to="/metrics">All metrics</Link>
          </>
        }
      />
      <div className="metric-layout">
        <form className="ops-card" onSubmit={submit} data-testid="metric-form">
          <label className="field">
            <span>Key</span>
            <input
              type="text"
              value={form.key}
              readOnly={!isNew || readOnly}
              placeholder="storage_gb"
              onChange={(e) => set("key", e.target.value)}
              data-testid="metric-key"
            />
            <span className="muted small">What usage nodes name; it cannot change once created.</span>
          </label>
          <label className="field">
            <span>Name</span>
            <input
              type="text"
              value={form.name}
              readOnly={readOnly}
              placeholder="Storage (GB-months)"
              onChange={(e) => set("name", e.target.value)}
              data-testid="metric-name"
            />
          </label>
          <label className="field">
            <span>Description</span>
            <input
              type="text"
              value={form.description}
              readOnly={readOnly}
              onChange={(e) => set("description", e.target.value)}
            />
          </label>
          <label className="field">
            <span>Event type</span>
            <input
              type="text"
              value={form.eventType}
              readOnly={readOnly}
              placeholder="storage.changed"
              onChange={(e) => set("eventType", e.target.value)}
              data-testid="metric-event-type"
            />
          </label>
          <label className="field">
            <span>Aggregation</span>
            <select
              value={form.aggregation}
              disabled={readOnly}
              onChange={(e) => set("aggregation", e.target.value as MetricFormState["aggregation"])}
              data-testid="metric-aggregation"
            >
              {aggregations.map((a) => (
                <option key={a} value={a}>
                  {aggregationCopy[a].label}
                </option>
              ))}
            </select>
            <span className="muted small" data-testid="aggregation-help">
              {aggregationCopy[form.aggregation].help}
            </span>
          </label>
          {reads && (
            <label className="field">
              <span>Property</span>
              <input
                type="text"
                value={form.property}
                readOnly={readOnly}
                placeholder={form.aggregation === "uniqueCount" ? "user_id" : "gb"}
                onChange={(e) => set("property", e.target.value)}
                data-testid="metric-property"
              />
            </label>
          )}
          <fieldset className="field">
            <legend>Filters (every one must match)</legend>
            {form.filters.map((filter, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: filter rows are positional
              <div className="metric-filter-row" key={index}>
                <label className="field">
                  <span>Property</span>
                  <input
                    type="text"
                    value={filter.property}
                    readOnly={readOnly}
                    onChange={(e) =>
                      set(
                        "filters",
                        form.filters.map((f, i) => (i === index ? { ...f, property: e.target.value } : f)),
                      )
                    }
                    data-testid={`metric-filter-property-${index}`}
                  />
                </label>
                <label className="field">
                  <span>Equals one of</span>
                  <input
                    type="text"
                    value={filter.values}
                    readOnly={readOnly}
                    placeholder="prod, staging"
                    onChange={(e) =>
                      set(
                        "filters",
                        form.filters.map((f, i) => (i === index ? { ...f, values: e.target.value } : f)),
                      )
                    }
                    data-testid={`metric-filter-values-${index}`}
                  />
                </label>
                {!readOnly && (
                  <button
                    type="button"
                    className="icon-btn danger"
                    aria-label={`Remove filter ${index + 1}`}
                    onClick={() =>
                      set(
                        "filters",
                        form.filters.filter((_, i) => i !== index),
                      )
                    }
                  >
                    ×
                  </button>
                )}
              </div>
            ))}
            {!readOnly && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => set("filters", [...form.filters, { property: "", values: "" }])}
                data-testid="metric-add-filter"
              >
                + Filter
              </button>
            )}
          </fieldset>
          <label className="field">
            <span>Group by (dimensions a plan may split by)</span>
            <input
              type="text"
              value={form.groupBy}
              readOnly={readOnly}
              placeholder="region, model"
              onChange={(e) => set("groupBy", e.target.value)}
              data-testid="metric-group-by"
            />
          </label>
          <div className="metric-rounding">
            <label className="field">
              <span>Rounding</span>
              <select
                value={form.roundingMode}
                disabled={readOnly}
                onChange={(e) => set("roundingMode", e.target.value as MetricFormState["roundingMode"])}
                data-testid="metric-rounding-mode"
              >
                <option value="">None (exact)</option>
                <option value="round">Round half up</option>
                <option value="ceil">Round up (ceil)</option>
                <option value="floor">Round down (floor)</option>
              </select>
            </label>
            {form.roundingMode !== "" && (
              <label className="field">
                <span>Decimal places (negative: tens, hundreds…)</span>
                <input
                  type="number"
                  step={1}
                  value={form.roundingPrecision}
                  readOnly={readOnly}
                  onChange={(e) => set("roundingPrecision", e.target.value)}
                  data-testid="metric-rounding-precision"
                />
              </label>
            )}
          </div>
          {save.isError && <ErrorBox error={save.error} title="Not saved." testId="metric-error" />}
          {!readOnly && (
            <div className="dialog-actions">
              <Link className="btn" to="/metrics">
                Cancel
              </Link>
              <button
                type="submit"
                className="btn btn-primary"
                disabled={save.isPending}
                data-testid="metric-save"
              >
                {save.isPending ? "Saving…" : isNew ? "Create metric" : "Save changes"}
              </button>
            </div>
          )}
        </form>
        <MetricPreviewPanel form={form} />
      </div>
    </div>
  );
}
