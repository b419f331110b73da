import { DecimalInput } from "../inspector/DecimalInput.tsx";
import { useEditor, useEditorStore } from "../store/editorStore.ts";
import type { GroupRow, MetricInput } from "./runPreview.ts";

// Selectors must return stable references: a fresh [] on every call would re-render forever.
const NONE: never[] = [];

function GroupedUsage({ metric }: { metric: MetricInput }) {
  const store = useEditorStore();
  const value = useEditor((s) => s.sample.usage[metric.key]);
  const rows = Array.isArray(value) ? value : [];
  const dims = metric.groupBy ?? [];
  const setRows = (next: GroupRow[]) => store.getState().setUsage(metric.key, next);
  return (
    <div className="grouped-usage" data-testid={`usage-${metric.key}`}>
      <table>
        <thead>
          <tr>
            {dims.map((d) => (
              <th key={d}>{d}</th>
            ))}
            <th>units</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: sample rows are positional
            <tr key={index}>
              {dims.map((d) => (
                <td key={d}>
                  <input
                    type="text"
                    value={row.group[d] ?? ""}
                    aria-label={`${metric.key} ${d}`}
                    onChange={(e) =>
                      setRows(
                        rows.map((r, i) =>
                          i === index ? { ...r, group: { ...r.group, [d]: e.target.value } } : r,
                        ),
                      )
                    }
                  />
                </td>
              ))}
              <td>
                <DecimalInput
                  value={row.value}
                  ariaLabel={`${metric.key} units`}
                  onCommit={(v) => setRows(rows.map((r, i) => (i === index ? { ...r, value: v } : r)))}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="icon-btn danger"
                  aria-label="Remove group"
                  onClick={() => setRows(rows.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="btn btn-small"
        onClick={() =>
          setRows([...rows, { group: Object.fromEntries(dims.map((d) => [d, ""])), value: "0" }])
        }
      >
        + Group
      </button>
    </div>
  );
}

/** The sample the preview prices: usage per metric (grouped where the metric is), parameters, credits. */
export function SampleInputs() {
  const store = useEditorStore();
  const metrics = useEditor((s) => s.preview?.metrics ?? NONE);
  const pools = useEditor((s) => s.preview?.creditPools ?? NONE);
  const params = useEditor((s) => s.params);
  const sample = useEditor((s) => s.sample);
  if (metrics.length === 0 && params.length === 0 && pools.length === 0) {
    return <p className="muted small">Add a Usage node to enter sample usage.</p>;
  }
  return (
    <div className="sample-grid">
      {metrics.map((metric) =>
        metric.groupBy ? (
          <div className="sample-row sample-row-wide" key={metric.key}>
            <span className="sample-label">
              {metric.key} <em>by {metric.groupBy.join(", ")}</em>
            </span>
            <GroupedUsage metric={metric} />
          </div>
        ) : (
          <label className="sample-row" key={metric.key}>
            <span className="sample-label">{metric.key}</span>
            <DecimalInput
              value={typeof sample.usage[metric.key] === "string" ? (sample.usage[metric.key] as string) : ""}
              placeholder="0"
              allowEmpty
              testId={`usage-${metric.key}`}
              ariaLabel={`Sample usage of ${metric.key}`}
              onCommit={(v) => store.getState().setUsage(metric.key, v)}
            />
          </label>
        ),
      )}
      {params.map((param) => (
        <label className="sample-row" key={param.key}>
          <span className="sample-label">
            ⚑ {param.label || param.key} <em>{param.type}</em>
          </span>
          <DecimalInput
            value={sample.params[param.key] ?? ""}
            placeholder={param.default}
            allowEmpty
            testId={`param-value-${param.key}`}
            ariaLabel={`Value of ${param.key}`}
            onCommit={(v) => store.getState().setParamValue(param.key, v === "" ? undefined : v)}
          />
        </label>
      ))}
      {pools.map((pool) => (
        <label className="sample-row" key={pool}>
          <span className="sample-label">
            credits: {pool} <em>balance</em>
          </span>
          <DecimalInput
            value={sample.credits[pool] ?? ""}
            placeholder="0"
            allowEmpty
            ariaLabel={`Balance of ${pool}`}
            onCommit={(v) => store.getState().setCredit(pool, v)}
          />
        </label>
      ))}
    </div>
  );
}
