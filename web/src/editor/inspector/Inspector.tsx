import { nodeRegistry } from "@pricegraph/engine";
import { currencyMinorUnits } from "@pricegraph/shared";
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { useEditor, useEditorStore } from "../store/editorStore.ts";
import { type FormApi, jsonPathOf } from "./formApi.ts";
import { NodeForm } from "./NodeForm.tsx";
import { ParamsPanel } from "./ParamsPanel.tsx";

const currencies = [...currencyMinorUnits.keys()];

/** The right-hand inspector: the selected node's form, or the plan's settings; the parameters always. */
export function Inspector() {
  const store = useEditorStore();
  const selected = useEditor(useShallow((s) => s.nodes.filter((n) => n.selected).map((n) => n.id)));
  // Only what the form shows: a dragged node gets a new object (its position) every frame, its data does not.
  const found = useEditor(
    useShallow((s) => {
      const n = selected.length === 1 ? s.nodes.find((x) => x.id === selected[0]) : undefined;
      return { id: n?.id, type: n?.type, data: n?.data };
    }),
  );
  const node = useMemo(
    () => (found.id && found.data ? { id: found.id, type: found.type, data: found.data } : undefined),
    [found.id, found.type, found.data],
  );
  const problems = useEditor((s) => (node ? s.preview?.problemsByNode.get(node.id) : undefined));
  const readOnly = useEditor((s) => s.readOnly);
  const params = useEditor((s) => s.params);
  const currency = useEditor((s) => s.currency);

  const api = useMemo<FormApi | null>(() => {
    if (!node) return null;
    const id = node.id;
    return {
      readOnly,
      params,
      set: (path, value) => store.getState().setField(id, path, value),
      expose: (path, type) => store.getState().exposeParam(id, path, type),
      errorsAt: (path) => {
        const target = jsonPathOf(path);
        return (problems ?? []).filter((p) => p.path === target).map((p) => p.message);
      },
    };
  }, [node, readOnly, params, problems, store]);

  const kind = node?.type ? nodeRegistry.get(node.type) : undefined;
  return (
    <div className="inspector" data-testid="inspector">
      {node && kind && api ? (
        <section className="panel-section">
          <div className="inspector-head">
            <span className={`cat-pill cat-${kind.category}`}>{kind.label}</span>
            <code className="muted">{node.id}</code>
          </div>
          <p className="muted small">{kind.description}</p>
          {problems && problems.length > 0 && (
            <ul className="problem-list compact">
              {problems.map((p) => (
                <li key={`${p.code}-${p.path}-${p.message}`}>{p.message}</li>
              ))}
            </ul>
          )}
          <NodeForm type={node.type!} data={node.data} api={api} />
        </section>
      ) : (
        <section className="panel-section">
          <h3>Plan</h3>
          <p className="muted small">
            {selected.length > 1
              ? `${selected.length} nodes selected — Ctrl+C copies them with the edges between them.`
              : "Select a node to edit it."}
          </p>
          <label className="field">
            <span>Currency</span>
            <select
              value={currency}
              disabled={readOnly}
              data-testid="plan-currency"
              onChange={(e) => store.getState().setCurrency(e.target.value)}
            >
              {currencies.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        </section>
      )}
      <ParamsPanel />
    </div>
  );
}
