import type { InvoiceLineOutput } from "@pricegraph/engine";
import { nodeRegistry } from "@pricegraph/engine";
import { useReactFlow } from "@xyflow/react";
import { useMemo, useState } from "react";
import { PricedLinesHead } from "../../ui/PricedLines.tsx";
import { formatMoney, formatQuantity } from "../format.ts";
import { useEditor, useEditorStore } from "../store/editorStore.ts";
import { describeProblem } from "../words/problemText.ts";
import { explanationOf, type PreviewResult } from "./runPreview.ts";
import { SampleInputs } from "./SampleInputs.tsx";

// Selectors must return stable references: a fresh [] on every call would re-render forever.
const NONE: never[] = [];

function LineRow({
  line,
  currency,
  preview,
}: {
  line: InvoiceLineOutput;
  currency: string;
  preview: PreviewResult;
}) {
  const [open, setOpen] = useState(false);
  // Computed only while the row is open: the preview evaluates without explanations.
  const explanation = useMemo(() => (open ? explanationOf(preview, line) : []), [open, preview, line]);
  return (
    <>
      <tr className="invoice-line" data-testid={`line-${line.nodeId}`}>
        <td>
          <button
            type="button"
            className="line-toggle"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            data-testid={`line-toggle-${line.nodeId}`}
          >
            <span className="chevron">{open ? "▾" : "▸"}</span> {line.description}
          </button>
        </td>
        <td className="num">{line.quantity === null ? "" : formatQuantity(line.quantity)}</td>
        <td className="num">{formatMoney(line.amount, currency)}</td>
      </tr>
      {open && (
        <tr className="explanation-row">
          <td colSpan={3}>
            <ol className="explanation" data-testid={`explanation-${line.nodeId}`}>
              {explanation.map((entry) => (
                <li key={entry.nodeId}>
                  <span className="exp-node">
                    {entry.label || nodeRegistry.get(entry.type)?.label || entry.type}
                  </span>
                  <span className="exp-text">{entry.text}</span>
                  {entry.items.length > 0 && (
                    <ul>
                      {entry.items.map((item) => (
                        <li key={item.text}>{item.text}</li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      )}
    </>
  );
}

export function ProblemList() {
  const store = useEditorStore();
  const { fitView } = useReactFlow();
  // A problem leads to its node: selected, brought into view, and the inspector opens with the cursor on the
  // field or input at fault.
  const focus = (nodeId: string, path?: string) => {
    store.getState().focusField(nodeId, path);
    fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 });
  };
  const nodes = useEditor((s) => s.nodes);
  const problems = useEditor((s) => s.preview?.problems ?? NONE);
  const warnings = useEditor((s) =>
    s.preview?.evaluation?.ok ? s.preview.evaluation.output.warnings : NONE,
  );
  const compileWarnings = useEditor((s) => s.preview?.compiled.warnings ?? NONE);
  const all = [...warnings, ...compileWarnings];
  if (problems.length === 0 && all.length === 0) return null;
  return (
    <section className="panel-section">
      {problems.length > 0 && (
        <>
          <h3>
            Problems <span className="count count-error">{problems.length}</span>
          </h3>
          <ul className="problem-list" data-testid="problem-list">
            {problems.map((p, index) => {
              const plain = describeProblem(p, nodes);
              return (
                <li key={`${p.code}-${p.nodeId}-${p.edgeId}-${p.path}-${p.message}`}>
                  <button
                    type="button"
                    data-testid={`problem-${index}`}
                    data-code={p.code}
                    disabled={!p.nodeId}
                    onClick={() => p.nodeId && focus(p.nodeId, plain.focusPath)}
                  >
                    {plain.sentence}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {all.length > 0 && (
        <details className="warnings">
          <summary>
            {all.length} warning{all.length === 1 ? "" : "s"}
          </summary>
          <ul className="problem-list warnings-list">
            {all.map((w) => (
              <li key={`${w.code}-${w.nodeId}-${w.message}`}>
                <button type="button" disabled={!w.nodeId} onClick={() => w.nodeId && focus(w.nodeId)}>
                  {describeProblem(w, nodes).sentence}
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** Sample usage in, invoice out: compiled and evaluated by the engine in the browser on every edit. */
export function PreviewPanel() {
  const preview = useEditor((s) => s.preview);
  const currency = useEditor((s) => s.currency);
  const output = preview?.evaluation?.ok ? preview.evaluation.output : null;
  return (
    <div className="preview" data-testid="preview-panel">
      <section className="panel-section">
        <h3>Sample period</h3>
        <SampleInputs />
      </section>
      <section className="panel-section">
        <div className="invoice-head">
          <h3>Invoice</h3>
          {preview && (
            <span className="muted small" data-testid="preview-ms">
              {preview.ms.toFixed(1)} ms
            </span>
          )}
        </div>
        {output ? (
          <table className="invoice" data-testid="invoice">
            <PricedLinesHead />
            <tbody>
              {output.lines.map((line) => (
                <LineRow key={line.nodeId} line={line} currency={currency} preview={preview!} />
              ))}
              {output.lines.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted">
                    No lines (all hidden at zero).
                  </td>
                </tr>
              )}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={2}>Total</td>
                <td className="num total" data-testid="preview-total">
                  {currency} {formatMoney(output.total, currency)}
                </td>
              </tr>
            </tfoot>
          </table>
        ) : (
          <p className="muted small" data-testid="preview-unavailable">
            {preview && preview.problems.length > 0
              ? "Fix the problems below to see the invoice."
              : "Build a plan to see its invoice."}
          </p>
        )}
      </section>
      <ProblemList />
    </div>
  );
}
