import { nodeRegistry } from "@pricegraph/engine";
import { useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import type { GraphNode } from "../graph.ts";
import { useEditor, useEditorStore } from "../store/editorStore.ts";
import { nodeTitle } from "../words/problemText.ts";

interface OutputOption {
  value: string;
  label: string;
}

const optionValue = (nodeId: string, port: string) => `${nodeId}\u0000${port}`;

// The selectors below run on every store change, a drag frame included: each keeps its last answer and
// recomputes only when what it reads changed (a dragged node keeps its id, type and data).
let lastNodes: readonly GraphNode[] = [];
let lastOutline = "";
function outlineOf(nodes: readonly GraphNode[]): string {
  const same =
    nodes.length === lastNodes.length &&
    nodes.every(
      (n, i) => n.id === lastNodes[i].id && n.type === lastNodes[i].type && n.data === lastNodes[i].data,
    );
  if (!same) lastOutline = nodes.map((n) => `${n.id}\u0001${n.type}\u0001${nodeTitle(n)}`).join("\u0002");
  lastNodes = nodes;
  return lastOutline;
}
let lastPortTypes: Record<string, string> | undefined;
let lastTypeOutline = "";
function typeOutlineOf(portTypes: Record<string, string> | undefined): string {
  if (portTypes !== lastPortTypes) {
    lastTypeOutline = Object.entries(portTypes ?? {})
      .map(([port, type]) => `${port}=${type}`)
      .join(",");
    lastPortTypes = portTypes;
  }
  return lastTypeOutline;
}

/**
 * The selected node's inputs, each with a list of the outputs that can feed it: wiring without a mouse. The
 * engine judges each choice exactly as it judges a drawn connection.
 */
export function NodeConnections({ nodeId }: { nodeId: string }) {
  const store = useEditorStore();
  const readOnly = useEditor((s) => s.readOnly);
  // Strings, compared by value: typing a price elsewhere re-renders nothing here, and the option lists are
  // rebuilt only when a node's name, type or port types change.
  const outline = useEditor((s) => outlineOf(s.nodes));
  const ownType = useEditor((s) => s.nodes.find((n) => n.id === nodeId)?.type);
  const ownData = useEditor((s) => s.nodes.find((n) => n.id === nodeId)?.data);
  const incoming = useEditor(useShallow((s) => s.edges.filter((e) => e.target === nodeId)));
  const typeOutline = useEditor((s) => typeOutlineOf(s.preview?.compiled.portTypes));
  const [refusals, setRefusals] = useState<Record<string, string>>({});
  const kind = ownType ? nodeRegistry.get(ownType) : undefined;
  const inputs = kind?.ports(ownData as never).inputs ?? [];

  // biome-ignore lint/correctness/useExhaustiveDependencies: outline and typeOutline stand for the graph's shape
  const options = useMemo(() => {
    const { nodes, preview } = store.getState();
    const portTypes = preview?.compiled.portTypes;
    const list: (OutputOption & { type?: string })[] = [];
    for (const other of nodes) {
      if (other.id === nodeId) continue;
      const otherKind = nodeRegistry.get(other.type ?? "");
      const outputs = otherKind?.ports(other.data as never).outputs ?? [];
      for (const port of outputs) {
        const title = nodeTitle(other);
        list.push({
          value: optionValue(other.id, port.name),
          label: outputs.length > 1 ? `${title} → ${port.label}` : title,
          type: portTypes?.[`${other.id}.${port.name}`] ?? port.types[0],
        });
      }
    }
    return list;
  }, [outline, typeOutline, nodeId, store]);
  if (!kind || inputs.length === 0) return null;
  const nodes = store.getState().nodes;

  const choose = (port: string, value: string, replace: boolean) => {
    if (!value) return;
    const [source, sourceHandle] = value.split("\u0000");
    const result = store
      .getState()
      .connectInput({ source, sourceHandle, target: nodeId, targetHandle: port }, replace);
    setRefusals((r) => ({ ...r, [port]: result.ok ? "" : result.reason }));
  };

  return (
    <section className="node-connections" aria-labelledby={`connections-${nodeId}`}>
      <h4 id={`connections-${nodeId}`}>Connected from</h4>
      {inputs.map((port) => {
        const edges = incoming.filter((e) => e.targetHandle === port.name);
        const fitting = options.filter((o) => !o.type || port.accepts.includes(o.type as never));
        const selectId = `connect-${nodeId}-${port.name}`;
        const current = edges[0] ? optionValue(edges[0].source, edges[0].sourceHandle ?? "out") : "";
        return (
          <div className="form-row" key={port.name}>
            <label className="form-label" htmlFor={selectId}>
              {port.label}
              {port.optional && <em className="muted"> optional</em>}
            </label>
            <div className="form-control">
              {port.many ? (
                <>
                  <ul className="connection-list">
                    {edges.map((edge) => {
                      const from = nodes.find((n) => n.id === edge.source);
                      return (
                        <li key={edge.id}>
                          <span>{nodeTitle(from, edge.source)}</span>
                          {!readOnly && (
                            <button
                              type="button"
                              className="link-btn danger"
                              onClick={() => store.getState().disconnect(edge.id)}
                              aria-label={`Disconnect ${nodeTitle(from, edge.source)} from ${port.label}`}
                            >
                              disconnect
                            </button>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                  <select
                    id={selectId}
                    value=""
                    disabled={readOnly}
                    data-testid={`connect-${port.name}`}
                    data-focus-path={`$inputs.${port.name}`}
                    onChange={(e) => choose(port.name, e.target.value, false)}
                  >
                    <option value="">Add a connection…</option>
                    {fitting.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </>
              ) : (
                <select
                  id={selectId}
                  value={current}
                  disabled={readOnly}
                  data-testid={`connect-${port.name}`}
                  data-focus-path={`$inputs.${port.name}`}
                  onChange={(e) =>
                    e.target.value
                      ? choose(port.name, e.target.value, true)
                      : store.getState().disconnect(edges[0]?.id ?? "")
                  }
                >
                  <option value="">Not connected</option>
                  {[...fitting, ...options.filter((o) => o.value === current && !fitting.includes(o))].map(
                    (o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ),
                  )}
                </select>
              )}
              {refusals[port.name] && (
                <span className="field-error" role="alert" data-testid={`connect-refused-${port.name}`}>
                  {refusals[port.name]}
                </span>
              )}
            </div>
          </div>
        );
      })}
    </section>
  );
}
