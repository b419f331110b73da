import type { NodeProps } from "@xyflow/react";
import type { ReactNode } from "react";
import { fieldText } from "../format.ts";
import type { GraphNode } from "../graph.ts";

export type PgNodeProps = NodeProps<GraphNode>;

/** A label/value line in a node body. */
export function Fact({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="fact">
      <span>{label}</span>
      <strong data-testid={testId}>{value}</strong>
    </div>
  );
}

type Row = Record<string, unknown>;

/** A tier table in miniature: one line per tier with its range and price columns. */
export function TierMini({
  rows,
  columns,
  max = 5,
}: {
  rows: unknown;
  columns: [string, string][];
  max?: number;
}) {
  if (!Array.isArray(rows)) return null;
  const shown = (rows as Row[]).slice(0, max);
  let from: unknown = "0";
  return (
    <table className="tier-mini">
      <tbody>
        {shown.map((row, index) => {
          const range = `${fieldText(from)}–${row.upTo === null ? "∞" : fieldText(row.upTo)}`;
          from = row.upTo;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: tiers are positional
            <tr key={index}>
              <td className="tier-range">{range}</td>
              {columns.map(([key, prefix]) => (
                <td key={key}>{row[key] === undefined ? "" : `${prefix}${fieldText(row[key])}`}</td>
              ))}
            </tr>
          );
        })}
        {(rows as Row[]).length > max && (
          <tr>
            <td colSpan={columns.length + 1} className="muted">
              +{(rows as Row[]).length - max} more
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
