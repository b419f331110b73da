import { type EvaluationOutput, nodeRegistry } from "@pricegraph/engine";
import type { PlanDocumentInput } from "@pricegraph/shared";
import {
  Background,
  BackgroundVariant,
  Controls,
  type Edge,
  type Node,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
} from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";
import type { InvoiceLine } from "../api/invoices.ts";
import { fromDocument } from "../editor/graph.ts";
import { nodeTypes } from "../editor/nodes/nodeTypes.ts";
import { createEditorStore, EditorStoreContext, showPreview } from "../editor/store/editorStore.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { money, periodRange, quantity } from "../ui/format.ts";
import { type WhyPath, whyPath, wireLabel } from "./why.ts";

/**
 * The editor's store, loaded read-only with the plan version, whose preview carries the values of this invoice
 * line instead of a sample: node components read their port values and line amounts from it, so the canvas
 * shows exactly what was billed.
 */
function billedStore(document: PlanDocumentInput, line: InvoiceLine, currency: string, path: WhyPath) {
  const store = createEditorStore();
  store.getState().load(fromDocument(document), { mode: "view" });
  const base = store.getState().preview;
  if (base) {
    const output: EvaluationOutput = {
      currency,
      lines: [line],
      total: line.amount,
      credits: {},
      values: path.values,
      warnings: [],
    };
    showPreview(store, {
      ...base,
      evaluation: { ok: true, output },
      values: path.values,
      problems: [],
      problemsByNode: new Map(),
    });
  }
  return store;
}

/** The explanation beside the canvas: one step per node, from the usage up to the line. */
export function WhyExplanation({
  line,
  path,
  currency,
}: {
  line: InvoiceLine;
  path: WhyPath;
  currency: string;
}) {
  return (
    <ol className="why-steps" data-testid="why-steps">
      {path.steps.map((step) => (
        <li key={step.nodeId} data-testid={`why-step-${step.nodeId}`}>
          <div className="why-step-head">
            <strong>{step.label || nodeRegistry.get(step.type)?.label || step.type}</strong>
            <code>{step.nodeId}</code>
          </div>
          <div className="why-step-text">{step.text}</div>
          {step.items?.length > 0 && (
            <ul className="why-items">
              {step.items.map((item, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: explanation items are positional
                <li key={i}>{item.text}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
      <li className="why-step-line" data-testid={`why-step-${line.nodeId}`}>
        <div className="why-step-head">
          <strong>Invoice line</strong>
          <code>{line.nodeId}</code>
        </div>
        <div className="why-step-text">
          {line.description}
          {line.quantity !== null && ` · ${quantity(line.quantity)} units`} = {money(line.amount, currency)}
          {line.unrounded !== line.amount && <span className="muted"> (unrounded {line.unrounded})</span>}
        </div>
      </li>
    </ol>
  );
}

/** Once the nodes are measured, closes in on the path (its neighbours stay in view for context). */
function FitPath({ ids }: { ids: string[] }) {
  const initialized = useNodesInitialized();
  const flow = useReactFlow();
  const key = ids.join(",");
  useEffect(() => {
    if (!initialized || !key) return;
    const frame = requestAnimationFrame(() => {
      flow.fitView({ nodes: key.split(",").map((id) => ({ id })), padding: 0.3, maxZoom: 1 });
    });
    return () => cancelAnimationFrame(frame);
  }, [initialized, key, flow]);
  return null;
}

function WhyCanvas({ document, path }: { document: PlanDocumentInput; path: WhyPath }) {
  const graph = useMemo(() => fromDocument(document), [document]);
  const nodes: Node[] = useMemo(
    () =>
      graph.nodes.map((n) => ({
        ...n,
        className: path.nodeIds.has(n.id) ? "why-on" : "why-off",
        draggable: false,
        selectable: false,
        connectable: false,
      })),
    [graph, path],
  );
  const edges: Edge[] = useMemo(
    () =>
      graph.edges.map((e) => {
        const on = path.edgeIds.has(e.id);
        const value = path.edgeValues[e.id];
        return {
          ...e,
          className: on ? "why-edge-on" : "why-edge-off",
          animated: on,
          label: on && value !== undefined ? wireLabel(value) : undefined,
          labelBgPadding: [6, 3] as [number, number],
          labelBgBorderRadius: 4,
          selectable: false,
        };
      }),
    [graph, path],
  );
  const focus = [...path.nodeIds].filter((id) => graph.nodes.some((n) => n.id === id));
  return (
    <div className="why-canvas" data-testid="why-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />
        <Controls showInteractive={false} />
        <FitPath ids={focus} />
      </ReactFlow>
    </div>
  );
}

/**
 * "Why?" for one invoice line: the plan version read-only on the canvas, the path that produced the line
 * highlighted with the values billed on it, and the engine's explanation beside it.
 */
export function WhyView({
  document,
  line,
  currency,
  planLabel,
  onClose,
}: {
  document: PlanDocumentInput;
  line: InvoiceLine;
  currency: string;
  planLabel: string;
  onClose(): void;
}) {
  const path = useMemo(() => whyPath(document, line), [document, line]);
  const [store] = useState(() => billedStore(document, line, currency, path));
  return (
    <Dialog
      title={`Why ${line.description}`}
      onClose={onClose}
      className="why-view"
      testId="why-view"
      showTitle={false}
    >
      <header className="why-head">
        <div>
          <h2>
            Why {money(line.amount, currency)} for “{line.description}”?
          </h2>
          <p className="muted small">
            {planLabel} · service period{" "}
            {periodRange(line.servicePeriod.startDate, line.servicePeriod.endDate)} · highlighted: the{" "}
            {path.nodeIds.size} nodes this line comes from, with the values billed
          </p>
        </div>
        <button type="button" className="btn" onClick={onClose} data-testid="why-close">
          Close
        </button>
      </header>
      <div className="why-body">
        <EditorStoreContext.Provider value={store}>
          <ReactFlowProvider>
            <WhyCanvas document={document} path={path} />
          </ReactFlowProvider>
        </EditorStoreContext.Provider>
        <aside className="why-side">
          <h3>Explanation</h3>
          <WhyExplanation line={line} path={path} currency={currency} />
          {path.missing.length > 0 && (
            <p className="small muted">Not in this version's document: {path.missing.join(", ")}</p>
          )}
        </aside>
      </div>
    </Dialog>
  );
}
