import type { ParamType } from "@pricegraph/shared";
import type { Path } from "../store/paths.ts";
import { isParamRef } from "../store/paths.ts";
import { DecimalInput } from "./DecimalInput.tsx";
import { type FormApi, pathKey } from "./formApi.ts";

export interface DecimalFieldProps {
  value: unknown;
  path: Path;
  api: FormApi;
  paramType: ParamType | "any";
  ariaLabel: string;
  error?: string;
  compact?: boolean;
}

/** The param type a field exposes as: its own, or quantity for fields that take either. */
const exposeType = (t: ParamType | "any"): ParamType => (t === "any" ? "quantity" : t);

/** A decimal literal with "expose as contract parameter", or the chip of the parameter it reads. */
export function DecimalField({ value, path, api, paramType, ariaLabel, error, compact }: DecimalFieldProps) {
  const key = pathKey(path);
  const errors = [error, ...api.errorsAt(path)].filter(Boolean);
  if (isParamRef(value)) {
    const param = api.params.find((p) => p.key === value.param);
    return (
      <span className="decimal-input">
        <span className="param-chip" data-testid={`param-ref-${key}`} title="Read from a contract parameter">
          ⚑ {value.param}
          {param && <em>= {param.default}</em>}
          {!api.readOnly && (
            <button
              type="button"
              title="Use a literal value again"
              aria-label={`Unlink ${value.param}`}
              onClick={() => api.set(path, param?.default ?? "0")}
            >
              ×
            </button>
          )}
        </span>
        {errors.length > 0 && <span className="field-error">{errors.join("; ")}</span>}
      </span>
    );
  }
  return (
    <span className={`decimal-field${compact ? " compact" : ""}`}>
      <DecimalInput
        value={typeof value === "string" ? value : value === undefined || value === null ? "" : String(value)}
        onCommit={(next) => api.set(path, next)}
        testId={`field-${key}`}
        ariaLabel={ariaLabel}
        readOnly={api.readOnly}
        error={errors.join("; ") || undefined}
      />
      {!api.readOnly && (
        <button
          type="button"
          className="icon-btn expose-btn"
          title="Expose as contract parameter"
          aria-label={`Expose ${ariaLabel} as contract parameter`}
          data-testid={`expose-${key}`}
          onClick={() => api.expose(path, exposeType(paramType))}
        >
          ⚑
        </button>
      )}
    </span>
  );
}
