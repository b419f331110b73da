import { fieldText } from "../format.ts";
import { NodeShell } from "./NodeShell.tsx";
import { Fact, type PgNodeProps, TierMini } from "./parts.tsx";

export function FreeUnitsNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="freeUnits" data={data} selected={selected}>
      {data.tiers !== undefined ? (
        <TierMini rows={data.tiers} columns={[["allowance", "free "]]} />
      ) : (
        <Fact label="allowance" value={fieldText(data.allowance)} />
      )}
    </NodeShell>
  );
}

export function DiscountNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="discount" data={data} selected={selected}>
      {data.percent !== undefined ? (
        <Fact label="off" value={`${fieldText(data.percent)} %`} />
      ) : (
        <Fact label="off" value={fieldText(data.amount)} />
      )}
      {data.maximum !== undefined && <Fact label="at most" value={fieldText(data.maximum)} />}
    </NodeShell>
  );
}

export function MinimumNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="minimum" data={data} selected={selected}>
      <Fact label="at least" value={fieldText(data.amount)} />
    </NodeShell>
  );
}

export function MaximumNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="maximum" data={data} selected={selected}>
      <Fact label="at most" value={fieldText(data.amount)} />
    </NodeShell>
  );
}

export function CreditsNode({ id, data, selected }: PgNodeProps) {
  return (
    <NodeShell id={id} type="credits" data={data} selected={selected}>
      <Fact label="pool" value={String(data.grant ?? "")} />
    </NodeShell>
  );
}
