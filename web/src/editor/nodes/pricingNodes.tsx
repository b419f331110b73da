import { fieldText } from "../format.ts";
import { NodeShell } from "./NodeShell.tsx";
import { Fact, type PgNodeProps, TierMini } from "./parts.tsx";

export function FlatFeeNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="flatFee" data={data} selected={selected}>
      <Fact label="amount" value={fieldText(data.amount)} />
      {data.prorate ? <Fact label="prorated" value="yes" /> : null}
    </NodeShell>
  );
}

export function PerUnitNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="perUnit" data={data} selected={selected}>
      <Fact label="per unit" value={fieldText(data.unitPrice)} />
    </NodeShell>
  );
}

export function PackageNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="package" data={data} selected={selected}>
      <Fact label={`per ${fieldText(data.packageSize)} units`} value={fieldText(data.packagePrice)} />
      <Fact label="rounding" value={String(data.rounding ?? "up")} />
    </NodeShell>
  );
}

/** Tiered and volume pricing draw the same table: a unit price and an optional flat fee per tier. */
function RateTiersNode({ id, data, selected, type }: PgNodeProps & { type: "tiered" | "volume" }) {
  return (
    <NodeShell id={id} type={type} data={data} selected={selected}>
      <TierMini
        rows={data.tiers}
        columns={[
          ["unitPrice", "@ "],
          ["flatFee", "+ "],
        ]}
      />
    </NodeShell>
  );
}

export function TieredNode(props: PgNodeProps) {
  return <RateTiersNode {...props} type="tiered" />;
}

export function VolumeNode(props: PgNodeProps) {
  return <RateTiersNode {...props} type="volume" />;
}

export function StepNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="step" data={data} selected={selected}>
      <TierMini rows={data.steps} columns={[["price", "= "]]} />
    </NodeShell>
  );
}

export function PercentNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="percent" data={data} selected={selected}>
      <Fact label="rate" value={`${fieldText(data.rate)} %`} />
      {data.fixedFee !== undefined && <Fact label="fixed fee" value={fieldText(data.fixedFee)} />}
      {data.minimum !== undefined && <Fact label="minimum" value={fieldText(data.minimum)} />}
      {data.maximum !== undefined && <Fact label="maximum" value={fieldText(data.maximum)} />}
    </NodeShell>
  );
}

export function MatrixNode({ id, data, selected }: PgNodeProps) {
  const rows = Array.isArray(data.rows) ? (data.rows as { match: Record<string, string> }[]) : [];
  return (
    <NodeShell id={id} type="matrix" data={data} selected={selected}>
      <Fact label="dimensions" value={((data.dimensions as string[]) ?? []).join(" × ")} />
      <div className="chips">
        {rows.slice(0, 6).map((row) => {
          const name = Object.values(row.match ?? {}).join("/");
          return (
            <span className="chip" key={name}>
              {name}
            </span>
          );
        })}
        {data.default !== undefined && <span className="chip chip-muted">default</span>}
      </div>
    </NodeShell>
  );
}

export function Tiered2dNode({ id, data, selected }: PgNodeProps) {
  const rates = Array.isArray(data.rates) ? (data.rates as unknown[][]) : [];
  return (
    <NodeShell id={id} type="tiered2d" data={data} selected={selected}>
      <Fact label="mode" value={String(data.mode ?? "")} />
      <table className="tier-mini">
        <tbody>
          {rates.slice(0, 4).map((row, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rate rows are positional
            <tr key={r}>
              {row.slice(0, 4).map((rate, c) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rate columns are positional
                <td key={c}>{fieldText(rate)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </NodeShell>
  );
}
