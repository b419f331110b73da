import { type PlanParam, paramTypes } from "@pricegraph/shared";
import { useState } from "react";
import { useEditor } from "../store/editorStore.ts";
import { DecimalInput } from "./DecimalInput.tsx";

function ParamKeyInput({ param, onRename }: { param: PlanParam; onRename(key: string): void }) {
  const [text, setText] = useState(param.key);
  const valid = /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
  return (
    <span className="decimal-input">
      <input
        type="text"
        value={text}
        aria-label="Parameter key"
        data-testid={`param-key-${param.key}`}
        className={valid ? undefined : "is-invalid"}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (valid && text !== param.key) onRename(text);
          else setText(param.key);
        }}
      />
      {!valid && <span className="field-error">Letters, digits and _ only</span>}
    </span>
  );
}

/** The plan's contract parameters: what a contract may override, with labels, types and defaults. */
export function ParamsPanel() {
  const params = useEditor((s) => s.params);
  const readOnly = useEditor((s) => s.readOnly);
  const updateParam = useEditor((s) => s.updateParam);
  const removeParam = useEditor((s) => s.removeParam);
  return (
    <section className="panel-section" data-testid="params-panel">
      <h3>Contract parameters</h3>
      {params.length === 0 ? (
        <p className="muted small">
          None yet. Use ⚑ next to any price or quantity to let contracts override it.
        </p>
      ) : (
        <div className="params-list">
          {params.map((param) => (
            <div className="param-card" key={param.key} data-testid={`param-${param.key}`}>
              <div className="param-grid">
                {readOnly ? (
                  <div className="param-field">
                    <span>Key</span>
                    <code>{param.key}</code>
                  </div>
                ) : (
                  <label>
                    <span>Key</span>
                    <ParamKeyInput
                      key={param.key}
                      param={param}
                      onRename={(key) => updateParam(param.key, { key })}
                    />
                  </label>
                )}
                <label>
                  <span>Label</span>
                  <input
                    type="text"
                    value={param.label ?? ""}
                    readOnly={readOnly}
                    data-testid={`param-label-${param.key}`}
                    onChange={(e) => updateParam(param.key, { label: e.target.value })}
                  />
                </label>
                <label>
                  <span>Type</span>
                  <select
                    value={param.type}
                    disabled={readOnly}
                    data-testid={`param-type-${param.key}`}
                    onChange={(e) => updateParam(param.key, { type: e.target.value as PlanParam["type"] })}
                  >
                    {paramTypes.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  <span>Default</span>
                  <DecimalInput
                    value={param.default}
                    readOnly={readOnly}
                    testId={`param-default-${param.key}`}
                    ariaLabel={`Default of ${param.key}`}
                    onCommit={(value) => updateParam(param.key, { default: value })}
                  />
                </label>
              </div>
              {!readOnly && (
                <button
                  type="button"
                  className="link-btn danger"
                  data-testid={`param-remove-${param.key}`}
                  onClick={() => removeParam(param.key)}
                >
                  Remove (fields keep the default)
                </button>
              )}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
