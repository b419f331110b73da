import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { type ContractPeriodQuote, type ContractQuoteRequest, contractsApi } from "../api/contracts.ts";
import { money, periodRange, quantity } from "../ui/format.ts";
import { ErrorBox, Loading } from "../ui/states.tsx";

/**
 * `value` (compared as JSON, so a question rebuilt on every render is the same question), once it has stopped
 * changing for `ms`: a live quote asks the server after typing pauses.
 */
export function useSettled<T>(value: T, ms = 300): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(key), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return JSON.parse(settled) as T;
}

/** The server's quote of the current period for a question (what-if usage, a change beside it). */
export function usePeriodQuote(contractId: string, question: ContractQuoteRequest, enabled = true) {
  const settled = useSettled(question);
  return useQuery({
    queryKey: ["contract-period-quote", contractId, settled],
    queryFn: ({ signal }) => contractsApi.quote(contractId, settled, signal),
    enabled,
    retry: false,
    placeholderData: (previous) => previous,
  });
}

/** The volumes typed in, or undefined when none is (the quote then prices the usage measured so far). */
export function typedUsage(typed: Record<string, string>): Record<string, string> | undefined {
  const usage = Object.fromEntries(Object.entries(typed).filter(([, v]) => v.trim() !== ""));
  return Object.keys(usage).length ? usage : undefined;
}

/** A priced period's lines, labelled with their phase when a phase change splits the period. */
export function QuotedLines({
  quote,
  which,
  testId,
}: {
  quote: ContractPeriodQuote;
  which: "current" | "changed";
  testId: string;
}) {
  const priced = quote[which];
  if (!priced) return null;
  return (
    <table className="data-table compact" data-testid={testId}>
      <thead>
        <tr>
          <th>Line</th>
          <th>Phase</th>
          <th className="num">Quantity</th>
          <th className="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        {priced.lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a plan line appears once per phase
          <tr key={`${line.nodeId}-${i}`}>
            <td>
              {line.description}
              {line.timing === "advance" && <span className="tag tag-muted">in advance</span>}
              {line.componentId && (
                <span className="tag" data-testid="quote-add-on-tag">
                  add-on
                </span>
              )}
            </td>
            <td className="small">{line.phase ?? "—"}</td>
            <td className="num">{line.quantity === null ? "" : quantity(line.quantity)}</td>
            <td className="num">{money(line.amount, quote.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={3}>Total</td>
          <td className="num total" data-testid={`${testId}-total`}>
            {money(priced.total, quote.currency)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

/**
 * The contract's quote panel: the current period priced per phase by the server, at the usage measured so far or
 * at expected volumes typed in ("and at 2 million minutes?").
 */
export function PeriodQuote({
  contractId,
  typed,
  onType,
}: {
  contractId: string;
  /** Expected volumes typed per metric (shared with the change forms, whose quotes use them too). */
  typed: Record<string, string>;
  onType(typed: Record<string, string>): void;
}) {
  const usage = typedUsage(typed);
  const asking = usage !== undefined;
  const quote = usePeriodQuote(contractId, asking ? { usage } : {});
  const measured = useQuery({
    queryKey: ["contract-period-quote", contractId, {}],
    queryFn: () => contractsApi.quote(contractId, {}),
  });
  const metrics = Object.entries(measured.data?.usage ?? {}).filter(([, v]) => typeof v === "string");
  const q = quote.data;
  return (
    <section className="ops-card" data-testid="period-quote">
      <div className="ops-card-head">
        <h2>Quote for the current period</h2>
        {q && (
          <span className="muted small" data-testid="period-quote-range">
            {periodRange(q.period.startDate, q.period.endDate)}
            {q.period.proration !== "1" ? ` · prorated ${q.period.proration.slice(0, 6)}` : ""} ·{" "}
            {q.whatIf ? "at the usage typed" : "usage so far"}
          </span>
        )}
      </div>
      {metrics.length > 0 && (
        <fieldset className="quote-what-if" data-testid="contract-what-if">
          <legend>What if the period's usage were…</legend>
          {metrics.map(([key, value]) => (
            <label key={key} className="quote-what-if-row">
              <span>{key}</span>
              <input
                type="text"
                inputMode="decimal"
                value={typed[key] ?? ""}
                placeholder={`${quantity(value as string)} so far`}
                aria-label={`What-if usage of ${key}`}
                data-testid={`contract-what-if-${key}`}
                onChange={(e) => onType({ ...typed, [key]: e.target.value })}
              />
            </label>
          ))}
        </fieldset>
      )}
      {quote.isError && <ErrorBox error={quote.error} title="Could not quote the period." />}
      {quote.isLoading && <Loading what="quote" />}
      {q && <QuotedLines quote={q} which="current" testId="period-quote-lines" />}
    </section>
  );
}
