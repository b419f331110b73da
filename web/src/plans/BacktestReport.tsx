import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { BacktestResult } from "../api/planMigrations.ts";
import { money } from "../ui/format.ts";

/** The chart shows the contracts that move most; the table lists every one. */
const CHART_CONTRACTS = 30;

/**
 * What a plan change would have made of the contracts' latest invoiced periods: totals before and after, a chart
 * of the change per contract and of the totals, and the table per contract (amounts before credits).
 */
export function BacktestReport({ result }: { result: BacktestResult }) {
  const m = (v: string) => money(v, result.currency);
  const { totals } = result;
  // Chart values are numbers for drawing only; every figure shown as text is the API's exact decimal string.
  const moved = [...result.contracts]
    .sort((a, b) => Math.abs(Number(b.delta)) - Math.abs(Number(a.delta)))
    .slice(0, CHART_CONTRACTS)
    .map((c) => ({ id: c.contractId, name: c.customerName, delta: Number(c.delta), exact: c.delta }));
  const before = [{ name: "Total", before: Number(totals.invoiced), after: Number(totals.repriced) }];
  const exactTotal = { Invoiced: totals.invoiced, "Re-priced": totals.repriced } as Record<string, string>;
  return (
    <div className="backtest" data-testid="backtest-report">
      <p className="muted small">
        {result.contracts.length} contracts × their last {result.periods} invoiced periods, before credits
        {result.skipped.length > 0 && `; ${result.skipped.length} left out`} · computed in {result.tookMs} ms
      </p>
      <div className="backtest-totals">
        <div>
          <span className="muted small">Invoiced</span>
          <strong data-testid="backtest-invoiced">{m(totals.invoiced)}</strong>
        </div>
        <div>
          <span className="muted small">Re-priced</span>
          <strong data-testid="backtest-repriced">{m(totals.repriced)}</strong>
        </div>
        <div>
          <span className="muted small">Change</span>
          <strong data-testid="backtest-delta">{m(totals.delta)}</strong>
        </div>
      </div>
      <div className="backtest-charts">
        <div className="backtest-chart" data-testid="backtest-chart-delta">
          <h4>Change per contract</h4>
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={moved} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" hide />
              <YAxis width={70} />
              <Tooltip formatter={(_value, _name, item) => [m(String(item.payload.exact)), "Change"]} />
              <Bar dataKey="delta" isAnimationActive={false}>
                {moved.map((row) => (
                  <Cell key={row.id} fill={row.delta < 0 ? "#c2410c" : "#15803d"} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
        <div className="backtest-chart" data-testid="backtest-chart-totals">
          <h4>Total before and after</h4>
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={before} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" />
              <YAxis width={70} />
              <Tooltip formatter={(_value, name) => [m(exactTotal[String(name)] ?? ""), name]} />
              <Legend />
              <Bar dataKey="before" name="Invoiced" fill="#64748b" isAnimationActive={false} />
              <Bar dataKey="after" name="Re-priced" fill="#4f46e5" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </div>
      <table className="data-table compact" data-testid="backtest-table">
        <thead>
          <tr>
            <th>Customer</th>
            <th className="num">Version</th>
            <th>Periods</th>
            <th className="num">Invoiced</th>
            <th className="num">Re-priced</th>
            <th className="num">Change</th>
          </tr>
        </thead>
        <tbody>
          {result.contracts.map((c) => (
            <tr key={c.contractId} data-testid={`backtest-row-${c.contractId}`}>
              <td>
                {c.customerName}
                {c.droppedOverrides.length > 0 && (
                  <div className="muted small">overrides left out: {c.droppedOverrides.join(", ")}</div>
                )}
              </td>
              <td className="num">v{c.planVersion}</td>
              <td className="small">
                {c.periods.map((p) => p.startDate.slice(0, 7)).join(", ")}
                {c.periods.some((p) => p.usage === "events") && (
                  <span className="muted"> (usage re-read)</span>
                )}
              </td>
              <td className="num">{m(c.invoiced)}</td>
              <td className="num">{m(c.repriced)}</td>
              <td className="num" data-testid="backtest-row-delta">
                {m(c.delta)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.skipped.length > 0 && (
        <details className="small">
          <summary>{result.skipped.length} contracts left out</summary>
          <ul>
            {result.skipped.map((s) => (
              <li key={s.contractId}>
                {s.contractId}: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
