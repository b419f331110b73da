import { nodeRegistry, type OutputPort, type ValueType } from "@pricegraph/engine";
import { Handle, Position } from "@xyflow/react";
import { type CSSProperties, memo, type ReactNode, useMemo } from "react";
import { formatWire } from "../format.ts";
import type { NodeData } from "../graph.ts";
import { type NodeOverlay, nodeById, useEditor, useOverlay } from "../store/editorStore.ts";
import { describeProblem } from "../words/problemText.ts";

export interface NodeShellProps {
  id: string;
  type: string;
  data: NodeData;
  selected?: boolean;
  children?: ReactNode;
}

/** The class for a port's colour: one type, or "numeric" when it takes quantity or money. */
export function portClass(types: readonly ValueType[]): string {
  return types.length === 1 ? `port-${types[0]}` : "port-numeric";
}

const noOverlay: NodeOverlay = { values: {}, portTypes: {} };

/**
 * What a node shows from the preview. One subscription per node, to an entry the overlay keeps while it is
 * unchanged: an edit runs one selector per node and re-renders only the nodes whose values changed.
 */
export function useNodeOverlay(id: string): NodeOverlay {
  return useOverlay((o) => o.byNode.get(id) ?? noOverlay);
}

function OutputValue({
  id,
  port,
  type,
  value,
  currency,
}: {
  id: string;
  port: string;
  type: ValueType | undefined;
  value: NodeOverlay["values"][string] | undefined;
  currency: string;
}) {
  const text = useMemo(() => formatWire(value, type, currency), [value, type, currency]);
  if (!text) return null;
  return (
    <span className={`port-value port-value-${type ?? "quantity"}`} data-testid={`value-${id}-${port}`}>
      {text}
    </span>
  );
}

function OutputHandle({ id, port, resolved }: { id: string; port: OutputPort; resolved?: ValueType }) {
  const types = resolved ? [resolved] : port.types;
  return (
    <Handle
      type="source"
      position={Position.Right}
      id={port.name}
      className={`pg-handle ${portClass(types)}`}
      data-testid={`handle-${id}-out-${port.name}`}
      title={`${port.label}: ${types.join(" or ")}`}
    />
  );
}

/**
 * The frame every node type shares: a header with its category colour, the type's own body, and one row per
 * port with a typed, colour-coded handle. Outputs show their live value from the preview.
 */
export const NodeShell = memo(function NodeShell({ id, type, data, selected, children }: NodeShellProps) {
  const kind = nodeRegistry.get(type);
  const overlay = useNodeOverlay(id);
  // The size the node was last measured at: in the overview its contents are skipped, and a node a large plan
  // mounts anew when it scrolls into view has no remembered size, so the overview holds it at this one.
  const measured = useEditor((s) => nodeById(s.nodes, id)?.measured);
  const currency = useOverlay((o) => o.currency);
  const problems = overlay.problems;
  if (!kind) return <div className="pg-node pg-node-error">Unknown node type {type}</div>;
  const layout = kind.ports(data as never);
  const title = (data.label as string | undefined) || kind.label;
  return (
    <div
      className={`pg-node cat-${kind.category}${problems ? " pg-node-error" : ""}${selected ? " is-selected" : ""}`}
      data-testid={`node-${id}`}
      data-node-type={type}
      style={
        measured?.width && measured.height
          ? ({
              "--measured-width": `${measured.width}px`,
              "--measured-height": `${measured.height}px`,
            } as CSSProperties)
          : undefined
      }
      title={problems?.map((p) => describeProblem(p, [{ id, type, data }]).text).join("\n")}
    >
      <header className="pg-node-head">
        <span className="pg-node-title">{title}</span>
        {title !== kind.label && <span className="pg-node-kind">{kind.label}</span>}
        {problems && (
          <span className="pg-node-badge" data-testid={`node-problem-${id}`}>
            !
          </span>
        )}
      </header>
      {children && <div className="pg-node-body">{children}</div>}
      {(layout.inputs.length > 0 || layout.outputs.length > 0) && (
        <div className="pg-node-ports">
          <div className="ports-in">
            {layout.inputs.map((port) => (
              <div className="port-row" key={port.name}>
                <Handle
                  type="target"
                  position={Position.Left}
                  id={port.name}
                  className={`pg-handle ${portClass(port.accepts)}${port.many ? " port-many" : ""}`}
                  data-testid={`handle-${id}-in-${port.name}`}
                  title={`${port.label}: ${port.accepts.join(" or ")}${port.optional ? " (optional)" : ""}`}
                />
                <span className="port-label">
                  {port.label}
                  {port.optional ? <em> opt</em> : null}
                </span>
              </div>
            ))}
          </div>
          <div className="ports-out">
            {layout.outputs.map((port) => (
              <div className="port-row port-row-out" key={port.name}>
                <OutputValue
                  id={id}
                  port={port.name}
                  type={overlay.portTypes[port.name]}
                  value={overlay.values[port.name]}
                  currency={currency}
                />
                <span className="port-label">{port.label}</span>
                <OutputHandle id={id} port={port} resolved={overlay.portTypes[port.name]} />
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
});
