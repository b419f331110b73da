import { nodeRegistry } from "@pricegraph/engine";
import { currencyMinorUnits } from "@pricegraph/shared";
import { useEffect, useMemo, useRef } from "react";
import { useShallow } from "zustand/react/shallow";
import { useEditor, useEditorStore } from "../store/editorStore.ts";
import { describeProblem, pathSegments } from "../words/problemText.ts";
import { type FormApi, jsonPathOf } from "./formApi.ts";
import { NodeConnections } from "./NodeConnections.tsx";
import { NodeForm } from "./NodeForm.tsx";
import { ParamsPanel } from "./ParamsPanel.tsx";

const currencies = [...currencyMinorUnits.keys()];

/** The control for a problem's path: an input's connection list, or the field's own input. */
function focusTarget(root: HTMLElement, path: string | undefined): HTMLElement | null {
  if (path?.startsWith("$inputs.")) {
    return root.querySelector<HTMLElement>(`[data-focus-path="${CSS.escape(path)}"]`);
  }
  const segments = path ? pathSegments(path) : [];
  // The field itself, or the closest enclosing control (a whole tier table, a list) that exists.
  for (let length = segments.length; length > 0; length--) {
    const key = CSS.escape(segments.slice(0, length).join("."));
    const hit =
      root.querySelector<HTMLElement>(`[data-testid="field-${key}"]`) ??
      root.querySelector<HTMLElement>(`[data-testid="tiers-${key}"] input`) ??
      root.querySelector<HTMLElement>(`[data-testid="choice-${key}"] input`);
    if (hit) return hit;
  }
  // No path: the node's first own field (its name on the canvas comes first on screen, but is rarely the point).
  return (
    root.querySelector<HTMLElement>(".node-form .form-fields :is(input, select)") ??
    root.querySelector<HTMLElement>(".node-form input")
  );
}

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
  const focusRequest = useEditor((s) => s.focusRequest);
  const root = useRef<HTMLDivElement>(null);
  const params = useEditor((s) => s.params);
  const currency = useEditor((s) => s.currency);

  const api = useMemo<FormApi | null>(() => {
    if (!node) return null;
    const id = node.id;
    return {
      readOnly,
      nodeType: node.type,
      params,
      set: (path, value) => store.getState().setField(id, path, value),
      expose: (path, type) => store.getState().exposeParam(id, path, type),
      errorsAt: (path) => {
        const target = jsonPathOf(path);
        return (problems ?? []).filter((p) => p.path === target).map((p) => p.message);
      },
    };
  }, [node, readOnly, params, problems, store]);

  // A problem chosen elsewhere puts the cursor on its field, once the form for its node is on screen.
  useEffect(() => {
    if (!focusRequest || !node || focusRequest.nodeId !== node.id || !root.current) return;
    const frame = requestAnimationFrame(() => {
      const target = root.current && focusTarget(root.current, focusRequest.path);
      target?.focus();
      // Typing replaces what is there (a new node's default metric, a bound found wrong).
      if (target instanceof HTMLInputElement) target.select();
      if (target) target.scrollIntoView({ block: "nearest" });
      store.getState().clearFocusRequest();
    });
    return () => cancelAnimationFrame(frame);
  }, [focusRequest, node, store]);

  const kind = node?.type ? nodeRegistry.get(node.type) : undefined;
  return (
    <div className="inspector" data-testid="inspector" ref={root}>
      {node && kind && api ? (
        <section className="panel-section">
          <div className="inspector-head">
            <span className={`cat-pill cat-${kind.category}`}>{kind.label}</span>
            <code className="muted" title="The node's id in the plan document">
              {node.id}
            </code>
          </div>
          <p className="muted small">{kind.description}</p>
          {problems && problems.length > 0 && (
            <ul className="problem-list compact" data-testid="inspector-problems">
              {problems.map((p) => {
                const plain = describeProblem(p, [node]);
                return (
                  <li key={`${p.code}-${p.path}-${p.message}`}>
                    <button
                      type="button"
                      className="link-btn"
                      onClick={() => store.getState().focusField(node.id, plain.focusPath)}
                    >
                      {plain.subject && plain.sentence.startsWith(`${plain.subject}: `)
                        ? plain.text
                        : plain.sentence}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <NodeForm type={node.type!} data={node.data} api={api} />
          <NodeConnections nodeId={node.id} />
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
