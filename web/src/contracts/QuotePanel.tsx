import type { EvaluateResult } from "@pricegraph/engine";
import { DecimalInput } from "../editor/inspector/DecimalInput.tsx";
import { money, periodRange, quantity } from "../ui/format.ts";
import { PricedLineRow, PricedLinesHead } from "../ui/PricedLines.tsx";
import { ErrorBox, Loading } from "../ui/states.tsx";
import type { QuotePeriod } from "./contractForm.ts";

/** The live quote: what the current period comes to so far with these terms, computed by the engine. */
export function QuotePanel({
  result,
  period,
  loading,
  usageError,
  invalidOverrides,
  whatIf,
}: {
  result: EvaluateResult | null;
  period: QuotePeriod | null;
  loading: boolean;
  usageError: unknown;
  invalidOverrides: boolean;
  /** Usage to price instead of what was measured: a sales conversation's "and at 2 million calls?". */
  whatIf?: {
    metrics: { key: string; measured: string }[];
    values: Record<string, string>;
    onChange(metric: string, value: string): void;
  };
}) {
  const asking = whatIf?.metrics.some((m) => whatIf.values[m.key]?.trim());
  return (
    <aside className="quote-panel ops-card" data-testid="quote-panel">
      <h2>Quote for the current period</h2>
      {period ? (
        <p className="muted small" data-testid="quote-period">
          {periodRange(period.startDate, period.endDate)}
          {period.proration !== "1" && ` · prorated ${period.proration.slice(0, 6)}`} · usage so far
        </p>
      ) : (
        <p className="muted small">The contract has ended before today; nothing to bill now.</p>
      )}
      {whatIf && whatIf.metrics.length > 0 && (
        <fieldset className="quote-what-if" data-testid="quote-what-if">
          <legend>What if the usage were…</legend>
          {whatIf.metrics.map((m) => (
            <label key={m.key} className="quote-what-if-row">
              <span>{m.key}</span>
              <DecimalInput
                value={whatIf.values[m.key] ?? ""}
                placeholder={`${quantity(m.measured)} so far`}
                allowEmpty
                ariaLabel={`What-if usage of ${m.key}`}
                testId={`what-if-${m.key}`}
                onCommit={(value) => whatIf.onChange(m.key, value)}
              />
            </label>
          ))}
          {asking && (
            <p className="small quote-note" data-testid="quote-what-if-note">
              Priced at the usage typed above, not the usage measured so far.
            </p>
          )}
        </fieldset>
      )}
      {usageError ? <ErrorBox error={usageError} title="Usage could not be loaded." /> : null}
      {loading && <Loading what="usage" />}
      {result && !result.ok && (
        <div className="form-error" data-testid="quote-problems">
          The plan could not be priced:
          <ul>
            {result.problems.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems are positional
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}
      {result?.ok && (
        <>
          <table className="invoice quote-lines">
            <PricedLinesHead />
            <tbody>
              {result.output.lines.map((line) => (
                <PricedLineRow
                  key={line.nodeId}
                  line={line}
                  currency={result.output.currency}
                  testId={`quote-line-${line.nodeId}`}
                />
              ))}
              {Object.entries(result.output.credits).map(([pool, c]) =>
                c.used !== "0" ? (
                  <tr key={pool} className="muted">
                    <td colSpan={3} className="small">
                      Credits “{pool}”: {quantity(c.used)} of {quantity(c.opening)} used
                    </td>
                  </tr>
                ) : null,
              )}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={2}>Total</td>
                <td className="num total" data-testid="quote-total">
                  {money(result.output.total, result.output.currency)}
                </td>
              </tr>
            </tfoot>
          </table>
          {invalidOverrides && (
            <p className="small quote-note" data-testid="quote-defaults-note">
              Invalid overrides are priced at the plan's defaults until fixed.
            </p>
          )}
          <p className="muted small">Computed in your browser by the same engine that bills the invoice.</p>
        </>
      )}
    </aside>
  );
}
