import { Decimal } from "@pricegraph/engine";
import { DECIMAL_PATTERN } from "@pricegraph/shared";
import { fieldText } from "../format.ts";
import type { Path } from "../store/paths.ts";
import { DecimalField } from "./DecimalField.tsx";
import { DecimalInput } from "./DecimalInput.tsx";
import { type FormApi, pathKey } from "./formApi.ts";
import { fieldKind, fieldLabel, initialValue, type JsonSchema } from "./schema.ts";

type Row = Record<string, unknown>;

export interface TierTableEditorProps {
  rows: Row[];
  columns: [string, JsonSchema][];
  required: string[];
  path: Path;
  api: FormApi;
}

const literal = (value: unknown) =>
  typeof value === "string" && DECIMAL_PATTERN.test(value) ? new Decimal(value) : null;

/** Order problems of the `upTo` column, checked on every keystroke (the compiler checks them again). */
export function tierOrderErrors(rows: Row[]): (string | undefined)[] {
  return rows.map((row, index) => {
    const last = index === rows.length - 1;
    if (last) return row.upTo === null ? undefined : "The last tier must be unbounded";
    if (row.upTo === null || row.upTo === undefined) return "Only the last tier may be unbounded";
    const upTo = literal(row.upTo);
    if (!upTo) return undefined;
    if (upTo.lte(0)) return "Must be greater than 0";
    const previous = index > 0 ? literal(rows[index - 1].upTo) : null;
    if (previous && upTo.lte(previous)) return `Must be greater than the tier above (${previous.toString()})`;
    return undefined;
  });
}

/** The next bound when a tier is added: twice the last bound, or 1,000 for the first. */
function nextBound(rows: Row[]): string {
  const bounded = rows.filter((r) => r.upTo !== null);
  const last = bounded.length ? literal(bounded[bounded.length - 1].upTo) : null;
  return last ? last.times(2).toString() : "1000";
}

/**
 * A tier table: one row per tier, `upTo` ascending and the last row unbounded. Adding inserts a tier above the
 * unbounded one; moving a row swaps its prices with the neighbour's while the bounds stay in place, so a
 * reorder never breaks the ascending order.
 */
export function TierTableEditor({ rows, columns, required, path, api }: TierTableEditorProps) {
  const key = pathKey(path);
  const orderErrors = tierOrderErrors(rows);
  const setRows = (next: Row[]) => api.set(path, next);
  const present = columns.filter(
    ([name]) => required.includes(name) || rows.some((r) => r[name] !== undefined),
  );
  const optional = columns.filter(([name]) => !present.some(([p]) => p === name));

  const addTier = () => {
    const template = rows[rows.length - 1] ?? {};
    const fresh: Row = { upTo: nextBound(rows) };
    for (const [name, schema] of columns) {
      if (template[name] !== undefined) fresh[name] = structuredClone(template[name]);
      else if (required.includes(name)) fresh[name] = initialValue(schema);
    }
    setRows([...rows.slice(0, -1), fresh, ...rows.slice(-1)]);
  };
  const removeTier = (index: number) => {
    const next = rows.filter((_, i) => i !== index);
    if (next.length > 0) next[next.length - 1] = { ...next[next.length - 1], upTo: null };
    setRows(next);
  };
  const move = (index: number, by: -1 | 1) => {
    const other = index + by;
    const next = rows.map((r) => ({ ...r }));
    for (const [name] of columns) {
      const a = next[index][name];
      next[index][name] = next[other][name];
      next[other][name] = a;
      if (next[index][name] === undefined) delete next[index][name];
      if (next[other][name] === undefined) delete next[other][name];
    }
    setRows(next);
  };

  return (
    <div className="tier-editor" data-testid={`tiers-${key}`}>
      <table>
        <thead>
          <tr>
            <th>From</th>
            <th>Up to</th>
            {present.map(([name]) => (
              <th key={name}>{fieldLabel(name)}</th>
            ))}
            <th aria-label="Row actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const last = index === rows.length - 1;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: tiers are positional
              <tr key={index} data-testid={`tier-row-${key}-${index}`}>
                <td className="tier-from">{index === 0 ? "0" : fieldText(rows[index - 1].upTo)}</td>
                <td>
                  {last ? (
                    <span className="unbounded" title="The last tier has no upper bound">
                      and above
                    </span>
                  ) : typeof row.upTo === "object" && row.upTo !== null ? (
                    <DecimalField
                      value={row.upTo}
                      path={[...path, index, "upTo"]}
                      api={api}
                      paramType="quantity"
                      ariaLabel={`Tier ${index + 1} up to`}
                      compact
                    />
                  ) : (
                    <DecimalInput
                      value={(row.upTo as string | null) ?? ""}
                      onCommit={(v) => api.set([...path, index, "upTo"], v)}
                      testId={`field-${key}.${index}.upTo`}
                      ariaLabel={`Tier ${index + 1} up to`}
                      readOnly={api.readOnly}
                      error={orderErrors[index] ?? api.errorsAt([...path, index, "upTo"])[0]}
                    />
                  )}
                  {last && orderErrors[index] && <span className="field-error">{orderErrors[index]}</span>}
                </td>
                {present.map(([name, schema]) => {
                  const kind = fieldKind(schema);
                  return (
                    <td key={name}>
                      {kind.kind === "decimal" ? (
                        <DecimalField
                          value={row[name]}
                          path={[...path, index, name]}
                          api={api}
                          paramType={kind.paramType}
                          ariaLabel={`Tier ${index + 1} ${fieldLabel(name).toLowerCase()}`}
                          compact
                        />
                      ) : (
                        String(row[name] ?? "")
                      )}
                    </td>
                  );
                })}
                <td className="row-actions">
                  {!api.readOnly && (
                    <>
                      <button
                        type="button"
                        className="icon-btn"
                        title="Move prices up"
                        aria-label={`Move tier ${index + 1} up`}
                        disabled={index === 0}
                        onClick={() => move(index, -1)}
                        data-testid={`move-up-${key}-${index}`}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        className="icon-btn"
                        title="Move prices down"
                        aria-label={`Move tier ${index + 1} down`}
                        disabled={last}
                        onClick={() => move(index, 1)}
                        data-testid={`move-down-${key}-${index}`}
                      >
                        ↓
                      </button>
                      <button
                        type="button"
                        className="icon-btn danger"
                        title="Remove tier"
                        aria-label={`Remove tier ${index + 1}`}
                        disabled={rows.length === 1}
                        onClick={() => removeTier(index)}
                        data-testid={`remove-row-${key}-${index}`}
                      >
                        ×
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!api.readOnly && (
        <div className="tier-actions">
          <button type="button" className="btn btn-small" onClick={addTier} data-testid={`add-row-${key}`}>
            + Add tier
          </button>
          {optional.map(([name, schema]) => (
            <button
              type="button"
              key={name}
              className="btn btn-small btn-ghost"
              onClick={() => setRows(rows.map((r) => ({ ...r, [name]: initialValue(schema) })))}
              data-testid={`add-column-${key}-${name}`}
            >
              + {fieldLabel(name)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
