import { Fragment } from "react";
import type { Path } from "../store/paths.ts";
import { type FieldChoice, fieldChoiceFor, fieldHelpFor, fieldLabelFor } from "../words/fieldCopy.ts";
import { DecimalField } from "./DecimalField.tsx";
import { DecimalGrid, type FieldProps, ListInput, RecordInput, TextInput } from "./FieldInputs.tsx";
import { type FormApi, pathKey } from "./formApi.ts";
import { ProductField } from "./ProductField.tsx";
import { fieldKind, fieldLabel, initialValue, type JsonSchema } from "./schema.ts";
import { TierTableEditor } from "./TierTableEditor.tsx";

function ObjectList({ value, path, api, item }: FieldProps & { item: JsonSchema }) {
  const list = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  return (
    <div className="object-list">
      {list.map((entry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: list entries are positional
        <div className="object-card" key={index}>
          <div className="object-card-head">
            <span>#{index + 1}</span>
            {!api.readOnly && (
              <button
                type="button"
                className="icon-btn danger"
                aria-label={`Remove entry ${index + 1}`}
                onClick={() =>
                  api.set(
                    path,
                    list.filter((_, i) => i !== index),
                  )
                }
              >
                ×
              </button>
            )}
          </div>
          <ObjectFields schema={item} value={entry} path={[...path, index]} api={api} />
        </div>
      ))}
      {!api.readOnly && (
        <button
          type="button"
          className="btn btn-small"
          data-testid={`add-row-${pathKey(path)}`}
          onClick={() => api.set(path, [...list, initialValue(item)])}
        >
          + Add
        </button>
      )}
    </div>
  );
}

/** One field of node data, rendered by the kind its schema describes. */
export function Field({ name, schema, value, path, api }: FieldProps) {
  const field = fieldKind(schema);
  const label = path.length === 1 ? fieldLabelFor(api.nodeType, name) : fieldLabel(name);
  const key = pathKey(path);
  const errors = api.errorsAt(path);
  // An invoice line sells a catalog product: picked from the list, stored as its code.
  if (api.nodeType === "invoiceLine" && path.length === 1 && name === "product")
    return <ProductField value={value} api={api} label={label} />;
  switch (field.kind) {
    case "decimal":
      return (
        <DecimalField value={value} path={path} api={api} paramType={field.paramType} ariaLabel={label} />
      );
    case "string":
      return (
        <TextInput
          value={typeof value === "string" ? value : ""}
          onCommit={(next) => api.set(path, next)}
          testId={`field-${key}`}
          label={label}
          readOnly={api.readOnly}
        />
      );
    case "enum":
      return (
        <select
          value={String(value ?? "")}
          aria-label={label}
          data-testid={`field-${key}`}
          disabled={api.readOnly}
          onChange={(e) => api.set(path, e.target.value)}
        >
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
    case "boolean":
      return (
        <input
          type="checkbox"
          checked={value === true}
          aria-label={label}
          data-testid={`field-${key}`}
          disabled={api.readOnly}
          onChange={(e) => api.set(path, e.target.checked)}
        />
      );
    case "integer":
      return (
        <TextInput
          value={value === undefined ? "" : String(value)}
          label={label}
          testId={`field-${key}`}
          readOnly={api.readOnly}
          onCommit={(next) => {
            if (/^-?\d+$/.test(next.trim())) api.set(path, Number(next.trim()));
          }}
        />
      );
    case "stringList":
      return <ListInput value={value} path={path} api={api} label={label} />;
    case "record":
      return <RecordInput value={value} path={path} api={api} label={label} />;
    case "tiers":
      return (
        <>
          <TierTableEditor
            rows={Array.isArray(value) ? (value as Record<string, unknown>[]) : []}
            columns={field.columns}
            required={field.required}
            path={path}
            api={api}
          />
          {errors.length > 0 && <span className="field-error">{errors.join("; ")}</span>}
        </>
      );
    case "decimalGrid":
      return <DecimalGrid name={name} schema={schema} value={value} path={path} api={api} field={field} />;
    case "objectList":
      return <ObjectList name={name} schema={schema} value={value} path={path} api={api} item={field.item} />;
    case "object":
      return <ObjectFields schema={field.schema} value={value} path={path} api={api} />;
    default:
      return <code className="muted">{JSON.stringify(value)}</code>;
  }
}

const wide = new Set(["tiers", "decimalGrid", "objectList", "object"]);

/** One of several fields, picked with radio buttons: switching clears the other and starts the chosen one. */
function ChoiceOfFields({
  choice,
  schema,
  data,
  path,
  api,
}: {
  choice: FieldChoice;
  schema: JsonSchema;
  data: Record<string, unknown>;
  path: Path;
  api: FormApi;
}) {
  const chosen = choice.options.find((o) => data[o.field] !== undefined)?.field;
  const key = pathKey([...path, chosen ?? choice.options[0].field]);
  const pick = (field: string) => {
    if (field === chosen) return;
    const next: Record<string, unknown> = { ...data };
    for (const option of choice.options) delete next[option.field];
    next[field] = initialValue(schema.properties![field]);
    api.set(path, next);
  };
  return (
    <fieldset className="field-choice" data-testid={`choice-${key}`}>
      <legend>{choice.legend}</legend>
      {choice.options.map((option) => (
        <label key={option.field} className="choice-option">
          <input
            type="radio"
            name={`choice-${pathKey(path)}-${choice.options.map((o) => o.field).join("-")}`}
            checked={chosen === option.field}
            disabled={api.readOnly}
            onChange={() => pick(option.field)}
            data-testid={`choose-${option.field}`}
          />
          <span>
            <strong>{option.label}</strong>
            <span className="muted small">{option.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** The properties of an object schema: required ones always, optional ones added or removed on demand. */
export function ObjectFields({
  schema,
  value,
  path,
  api,
  skip = [],
}: {
  schema: JsonSchema;
  value: unknown;
  path: Path;
  api: FormApi;
  skip?: string[];
}) {
  const data = (value ?? {}) as Record<string, unknown>;
  const choice = path.length === 0 ? fieldChoiceFor(api.nodeType) : undefined;
  const chosen = new Set(choice?.options.map((o) => o.field) ?? []);
  const entries = Object.entries(schema.properties ?? {}).filter(([name]) => !skip.includes(name));
  // Fields of a choice are always "required" once chosen: the radio buttons add and remove them.
  const required = new Set([...(schema.required ?? []), ...chosen]);
  const absent = entries.filter(([name]) => !required.has(name) && data[name] === undefined);
  const top = path.length === 0;
  return (
    <div className="form-fields">
      {choice && <ChoiceOfFields choice={choice} schema={schema} data={data} path={path} api={api} />}
      {entries
        .filter(([name]) =>
          chosen.has(name) ? data[name] !== undefined : required.has(name) || data[name] !== undefined,
        )
        .map(([name, fieldSchema]) => {
          const fieldPath = [...path, name];
          const kind = fieldKind(fieldSchema).kind;
          const help = top ? fieldHelpFor(api.nodeType, name) : undefined;
          return (
            <Fragment key={name}>
              <div className={`form-row${wide.has(kind) ? " form-row-wide" : ""}`}>
                <span className="form-label">
                  {top ? fieldLabelFor(api.nodeType, name) : fieldLabel(name)}
                  {!required.has(name) && !api.readOnly && (
                    <button
                      type="button"
                      className="link-btn"
                      onClick={() => api.set(fieldPath, undefined)}
                      data-testid={`remove-field-${pathKey(fieldPath)}`}
                    >
                      remove
                    </button>
                  )}
                </span>
                <div className="form-control">
                  <Field name={name} schema={fieldSchema} value={data[name]} path={fieldPath} api={api} />
                  {help && (
                    <span className="field-help" data-testid={`help-${pathKey(fieldPath)}`}>
                      {help}
                    </span>
                  )}
                </div>
              </div>
            </Fragment>
          );
        })}
      {absent.length > 0 && !api.readOnly && (
        <div className="optional-fields">
          {absent.map(([name, fieldSchema]) => (
            <button
              type="button"
              key={name}
              className="btn btn-small btn-ghost"
              data-testid={`add-field-${pathKey([...path, name])}`}
              onClick={() => api.set([...path, name], initialValue(fieldSchema))}
            >
              + {top ? fieldLabelFor(api.nodeType, name) : fieldLabel(name)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
