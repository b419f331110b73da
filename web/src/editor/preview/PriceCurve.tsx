import { useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { PlanVersion } from "../../api/plans.ts";
import { formatMoney, formatQuantity } from "../format.ts";
import { toDocument } from "../graph.ts";
import { DecimalInput } from "../inspector/DecimalInput.tsx";
import { useEditor, useEditorStore } from "../store/editorStore.ts";
import { type CurveSeries, priceCurve, suggestedCurveEnd, sweepValues } from "./curve.ts";
import { planInputs } from "./runPreview.ts";

const palette = ["#4f46e5", "#0ea5e9", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"];

/** The total as one metric sweeps a range, for the draft and any published versions side by side. */
export function PriceCurve({ versions, withDraft = true }: { versions: PlanVersion[]; withDraft?: boolean }) {
  const store = useEditorStore();
  const revision = useEditor((s) => s.revision);
  const sample = useEditor((s) => s.sample);
  const currency = useEditor((s) => s.currency);
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the graph's content
  const metrics = useMemo(() => {
    const documents = [
      ...(withDraft ? [toDocument(store.getState())] : []),
      ...versions.map((v) => v.document),
    ];
    const keys = new Set(
      documents.flatMap((d) =>
        planInputs(d)
          .metrics.filter((m) => !m.groupBy)
          .map((m) => m.key),
      ),
    );
    return [...keys].sort().map((key) => ({ key }));
  }, [revision, versions, withDraft, store]);
  const [metricChoice, setMetric] = useState<string | null>(null);
  const [min, setMin] = useState("0");
  // The range end follows the plan (its tier bounds and allowances) until the user types one.
  const [maxChoice, setMax] = useState<{ metric: string; value: string } | null>(null);
  const [steps, setSteps] = useState("50");
  const [chosen, setChosen] = useState<number[] | null>(null);
  const metric = metricChoice && metrics.some((m) => m.key === metricChoice) ? metricChoice : metrics[0]?.key;
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the graph's content
  const suggestedMax = useMemo(
    () => (metric ? suggestedCurveEnd(toDocument(store.getState()), metric, sample) : "5000"),
    [revision, metric, sample, store],
  );
  const max = maxChoice && maxChoice.metric === metric ? maxChoice.value : suggestedMax;
  const shown = chosen ?? versions.slice(0, withDraft ? 1 : 2).map((v) => v.version);

  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the graph's content
  const result = useMemo(() => {
    if (!metric) return null;
    const series: CurveSeries[] = [
      ...(withDraft ? [{ key: "draft", label: "Draft", document: toDocument(store.getState()) }] : []),
      ...versions
        .filter((v) => shown.includes(v.version))
        .map((v) => ({ key: `v${v.version}`, label: `Version ${v.version}`, document: v.document })),
    ];
    try {
      return { series, ...priceCurve(series, sample, metric, sweepValues(min, max, Number(steps) || 1)) };
    } catch (error) {
      return { series, points: [], errors: { draft: (error as Error).message } };
    }
  }, [revision, sample, metric, min, max, steps, versions, shown.join(","), withDraft]);

  if (!metric) {
    return <p className="muted small panel-section">Add a Usage node (not grouped) to draw a price curve.</p>;
  }
  return (
    <div className="curve" data-testid="price-curve">
      <section className="panel-section">
        <div className="curve-controls">
          <label>
            <span>Metric</span>
            <select value={metric} onChange={(e) => setMetric(e.target.value)} data-testid="curve-metric">
              {metrics.map((m) => (
                <option key={m.key}>{m.key}</option>
              ))}
            </select>
          </label>
          <label>
            <span>From</span>
            <DecimalInput value={min} onCommit={setMin} testId="curve-min" ariaLabel="Sweep from" />
          </label>
          <label>
            <span>To</span>
            <DecimalInput
              value={max}
              onCommit={(value) => metric && setMax({ metric, value })}
              testId="curve-max"
              ariaLabel="Sweep to"
            />
          </label>
          <label>
            <span>Steps</span>
            <input
              type="text"
              inputMode="numeric"
              value={steps}
              onChange={(e) => setSteps(e.target.value.replace(/\D/g, ""))}
              data-testid="curve-steps"
            />
          </label>
        </div>
        {versions.length > 0 && (
          <div className="curve-versions">
            <span className="muted small">Compare with:</span>
            {versions.map((v) => (
              <label key={v.version} className="check">
                <input
                  type="checkbox"
                  checked={shown.includes(v.version)}
                  data-testid={`curve-version-${v.version}`}
                  onChange={(e) =>
                    setChosen(e.target.checked ? [...shown, v.version] : shown.filter((n) => n !== v.version))
                  }
                />
                v{v.version}
              </label>
            ))}
          </div>
        )}
      </section>
      {result && (
        <section className="panel-section">
          <div className="curve-chart" data-testid="curve-chart">
            <ResponsiveContainer width="100%" height={280}>
              <LineChart data={result.points} margin={{ top: 8, right: 12, bottom: 8, left: 8 }}>
                <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
                <XAxis
                  dataKey="x"
                  type="number"
                  domain={["dataMin", "dataMax"]}
                  tickFormatter={(v: number) => formatQuantity(String(v))}
                  fontSize={11}
                />
                <YAxis fontSize={11} tickFormatter={(v: number) => formatQuantity(String(v))} width={64} />
                <Tooltip
                  formatter={(value, name) => [formatMoney(String(value), currency), String(name)]}
                  labelFormatter={(label) => `${metric}: ${formatQuantity(String(label))}`}
                />
                <Legend />
                {result.series.map((s, index) => (
                  <Line
                    key={s.key}
                    dataKey={s.key}
                    name={s.label}
                    stroke={palette[index % palette.length]}
                    strokeWidth={s.key === "draft" ? 2.5 : 2}
                    strokeDasharray={s.key === "draft" ? undefined : "6 3"}
                    dot={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          <ul className="curve-legend" data-testid="curve-series">
            {result.series.map((s, index) => {
              const last = result.points[result.points.length - 1];
              return (
                <li key={s.key} data-testid={`curve-series-${s.key}`}>
                  <span className="swatch" style={{ background: palette[index % palette.length] }} />
                  {s.label}
                  {result.errors[s.key] ? (
                    <span className="field-error">{result.errors[s.key]}</span>
                  ) : (
                    last && (
                      <span className="muted">
                        {" "}
                        — {formatMoney(String(last[`${s.key}_text`] ?? "0"), currency)} at{" "}
                        {formatQuantity(String(last.usage))}
                      </span>
                    )
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}
