import { Decimal } from "@pricegraph/engine";
import { useQuery } from "@tanstack/react-query";
import { contractsApi } from "../api/contracts.ts";
import { money, periodRange, quantity } from "../ui/format.ts";
import { PricedLineRow, PricedLinesHead } from "../ui/PricedLines.tsx";
import { ErrorBox, Loading } from "../ui/states.tsx";

/** A metric's usage: the decimal, or for grouped usage its exact sum and the number of groups. */
function metricValue(value: unknown): string {
  if (typeof value === "string") return quantity(value);
  if (Array.isArray(value)) {
    const sum = value.reduce(
      (total: Decimal, g: { value?: string }) => total.plus(g.value ?? "0"),
      new Decimal(0),
    );
    return `${quantity(sum.toString())} in ${value.length} group${value.length === 1 ? "" : "s"}`;
  }
  return "—";
}

/** The contract's current period priced so far: its lines, the usage behind them and free units left. */
export function PeriodSoFar({ contractId }: { contractId: string }) {
  const report = useQuery({
    queryKey: ["usage-report", contractId],
    queryFn: () => contractsApi.usageReport(contractId),
  });
  const r = report.data;
  return (
    <section className="ops-card" data-testid="contract-quote">
      <div className="ops-card-head">
        <h2>Current period so far</h2>
        {r && (
          <span className="muted small">
            {periodRange(r.period.startDate, r.period.endDate)}
            {r.period.proration !== "1" ? ` · prorated ${r.period.proration.slice(0, 6)}` : ""}
          </span>
        )}
      </div>
      {report.isError && <ErrorBox error={report.error} title="Could not quote the period." />}
      {report.isLoading && <Loading what="quote" />}
      {r && (
        <div className="ops-grid-2">
          <div>
            <table className="invoice">
              <PricedLinesHead />
              <tbody>
                {r.lines.map((line) => (
                  <PricedLineRow
                    key={`${line.componentId ?? "base"}-${line.nodeId}-${line.phase ?? ""}`}
                    line={line}
                    currency={r.currency}
                  />
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <td colSpan={2}>Total so far</td>
                  <td className="num total" data-testid="contract-quote-total">
                    {money(r.total, r.currency)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          <div>
            <h3>Usage</h3>
            <dl className="ops-kv">
              {r.metrics.map((m) => (
                <div key={m.key} style={{ display: "contents" }}>
                  <dt className="ops-mono">{m.key}</dt>
                  <dd>{metricValue(m.value)}</dd>
                </div>
              ))}
            </dl>
            {r.freeUnits.length > 0 && (
              <>
                <h3 style={{ marginTop: 14 }}>Free units</h3>
                <table className="data-table compact">
                  <thead>
                    <tr>
                      <th>Allowance</th>
                      <th className="num">Free used</th>
                      <th className="num">Remaining</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.freeUnits.map((f) => (
                      <tr key={f.nodeId}>
                        <td>{f.label ?? f.metric ?? f.nodeId}</td>
                        <td className="num">
                          {quantity(f.free)} / {quantity(f.allowance)}
                        </td>
                        <td className="num">{quantity(f.remaining)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
