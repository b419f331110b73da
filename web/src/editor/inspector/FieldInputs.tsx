import { useEffect, useState } from "react";
import type { Path } from "../store/paths.ts";
import { DecimalField } from "./DecimalField.tsx";
import { type FormApi, pathKey } from "./formApi.ts";
import type { FieldKind, JsonSchema } from "./schema.ts";

/** What every field of node data is given: its name and schema, its value, where it is, and the form. */
export interface FieldProps {
  name: string;
  schema: JsonSchema;
  value: unknown;
  path: Path;
  api: FormApi;
}

// The inputs behind SchemaForm's field kinds that are more than a single control: free text, lists,
// string records and decimal grids.

/** A text input that commits on every keystroke but keeps its own text while a parse is pending. */
export function TextInput({
  value,
  onCommit,
  testId,
  label,
  readOnly,
  placeholder,
}: {
  value: string;
  onCommit(value: string): void;
  testId: string;
  label: string;
  readOnly: boolean;
  placeholder?: string;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText((current) => (current === value ? current : value)), [value]);
  return (
    <input
      type="text"
      value={text}
      aria-label={label}
      data-testid={testId}
      readOnly={readOnly}
      placeholder={placeholder}
      onChange={(e) => {
        setText(e.target.value);
        onCommit(e.target.value);
      }}
    />
  );
}

/** The list and record inputs: one text line for the whole value. */
type ListFieldProps = Pick<FieldProps, "value" | "path" | "api"> & { label: string };

export function ListInput({ value, path, api, label }: ListFieldProps) {
  const list = Array.isArray(value) ? (value as string[]) : [];
  const joined = list.join(", ");
  const [text, setText] = useState(joined);
  useEffect(
    () => setText((current) => (splitList(current).join(", ") === joined ? current : joined)),
    [joined],
  );
  return (
    <input
      type="text"
      value={text}
      aria-label={label}
      placeholder="comma, separated"
      data-testid={`field-${pathKey(path)}`}
      readOnly={api.readOnly}
      onChange={(e) => {
        setText(e.target.value);
        api.set(path, splitList(e.target.value));
      }}
    />
  );
}

const splitList = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function RecordInput({ value, path, api, label }: ListFieldProps) {
  const record = (value ?? {}) as Record<string, string>;
  const text = Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return (
    <TextInput
      value={text}
      label={label}
      testId={`field-${pathKey(path)}`}
      readOnly={api.readOnly}
      placeholder="dimension=value, …"
      onCommit={(next) =>
        api.set(
          path,
          Object.fromEntries(
            splitList(next)
              .map((pair) => pair.split("=").map((s) => s.trim()))
              .filter(([k]) => k),
          ),
        )
      }
    />
  );
}

export function DecimalGrid({
  value,
  path,
  api,
  field,
}: FieldProps & { field: Extract<FieldKind, { kind: "decimalGrid" }> }) {
  const grid = Array.isArray(value) ? (value as unknown[][]) : [];
  return (
    <table className="grid-editor" data-testid={`grid-${pathKey(path)}`}>
      <tbody>
        {grid.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: grid rows are positional
          <tr key={r}>
            <th>row {r + 1}</th>
            {(row ?? []).map((cell, c) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: grid cells are positional
              <td key={c}>
                <DecimalField
                  value={cell}
                  path={[...path, r, c]}
                  api={api}
                  paramType={field.paramType}
                  ariaLabel={`Rate row ${r + 1} column ${c + 1}`}
                  compact
                />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
